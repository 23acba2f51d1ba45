# libcors - plain GNU make. All output goes to build/.
#   make                 library (static + shared), libcors.pc, corscheck
#   make check           unit tests, behaviour corpus, examples, symbol checks
#   make demo            corscheck over the bundled example exchanges
#   make sanitize        the tests under ASan + UBSan
#   make valgrind        the tests under valgrind memcheck
#   make check-browser   the corpus in headless Chromium (tests/browser)
#   make bench           the checker's benchmark (tests/bench)
#   make install / uninstall   honour PREFIX and DESTDIR
#   make install-python / uninstall-python   the Python binding into PYTHON's site-packages

VERSION   := 0.2.0
SOVERSION := 1
PREFIX    ?= /usr/local
LIBDIR    ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
BINDIR    ?= $(PREFIX)/bin
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
PYTHON    ?= python3
# Where install-python puts the package: $(PYTHON)'s own site-packages (Debian's
# python3 run as root: /usr/local/lib/python3.X/dist-packages). PREFIX does not apply.
PYTHONDIR ?= $(shell $(PYTHON) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])' 2>/dev/null)

CC      ?= cc
AR      ?= ar
B       ?= build
WARN    := -std=c11 -Wall -Wextra -Wpedantic -Wconversion -Wshadow -Wstrict-prototypes -Wmissing-prototypes
ifeq ($(WERROR),1)
WARN    += -Werror
endif
OPT     ?= -O2 -g
CFLAGS  ?=
CPPFLAGS += -Iinclude
LIB_CFLAGS := $(WARN) $(OPT) -fPIC -fvisibility=hidden -DCORS_BUILDING $(CFLAGS)
APP_CFLAGS := $(WARN) $(OPT) $(CFLAGS)
SAN_FLAGS ?= -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

LIB_SRC := $(wildcard lib/*.c)
LIB_OBJ := $(patsubst lib/%.c,$(B)/obj/%.o,$(LIB_SRC))
SONAME  := libcors.so.$(SOVERSION)
SHARED  := $(B)/libcors.so.$(VERSION)
STATIC  := $(B)/libcors.a

UNIT_SRC := $(filter-out tests/test_corpus.c,$(wildcard tests/test_*.c))
UNIT_BIN := $(patsubst tests/%.c,$(B)/tests/%,$(UNIT_SRC))
TEST_BIN := $(UNIT_BIN) $(B)/tests/test_corpus
EXAMPLE_SRC := $(filter-out examples/corscheck.c,$(wildcard examples/*.c))
EXAMPLE_BIN := $(patsubst examples/%.c,$(B)/examples/%,$(EXAMPLE_SRC))
CMOCKA_LIBS ?= -lcmocka

.PHONY: all deps bench check run-tests unit examples check-symbols check-exports demo sanitize valgrind \
        check-browser check-ffi check-install install uninstall install-python uninstall-python clean

all: $(STATIC) $(SHARED) $(B)/$(SONAME) $(B)/libcors.so $(B)/libcors.pc $(B)/corscheck

$(B)/obj/%.o: lib/%.c lib/internal.h include/libcors.h | $(B)/obj
	$(CC) $(CPPFLAGS) $(LIB_CFLAGS) -c $< -o $@

$(STATIC): $(LIB_OBJ)
	rm -f $@ && $(AR) rcs $@ $^

$(SHARED): $(LIB_OBJ) lib/libcors.map
	$(CC) -shared -Wl,-soname,$(SONAME) -Wl,--version-script=lib/libcors.map $(LDFLAGS) -o $@ $(LIB_OBJ)

$(B)/$(SONAME): $(SHARED)
	ln -sf libcors.so.$(VERSION) $@
$(B)/libcors.so: $(B)/$(SONAME)
	ln -sf $(SONAME) $@

$(B)/libcors.pc: pkgconfig/libcors.pc.in Makefile | $(B)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	    -e 's|@VERSION@|$(VERSION)|' $< > $@

$(B)/corscheck: examples/corscheck.c $(STATIC) include/libcors.h
	$(CC) $(CPPFLAGS) $(APP_CFLAGS) $< $(STATIC) -o $@

$(B)/examples/%: examples/%.c $(STATIC) include/libcors.h | $(B)/examples
	$(CC) $(CPPFLAGS) $(APP_CFLAGS) $< $(STATIC) -o $@

# Unit tests see lib/internal.h; they link the static library.
$(B)/tests/%: tests/%.c tests/test_util.h $(STATIC) include/libcors.h lib/internal.h | $(B)/tests
	$(CC) $(CPPFLAGS) -Ilib $(APP_CFLAGS) -Wno-missing-prototypes $< $(STATIC) $(CMOCKA_LIBS) -o $@

$(B) $(B)/obj $(B)/tests $(B)/examples $(B)/bench:
	mkdir -p $@

examples: $(EXAMPLE_BIN) $(B)/corscheck

# The core does no I/O: its objects may only call this short list of libc functions.
ALLOWED_SYMBOLS := memchr memcmp memcpy memmove memset strchr strlen __stack_chk_fail _GLOBAL_OFFSET_TABLE_
check-symbols: $(LIB_OBJ)
	@nm --defined-only $(LIB_OBJ) | awk 'NF==3 {print $$3}' | sort -u > $(B)/defined.txt; \
	bad=$$(nm -u $(LIB_OBJ) | awk 'NF==2 {print $$2}' | sort -u | comm -23 - $(B)/defined.txt | \
	       grep -vxF $(foreach s,$(ALLOWED_SYMBOLS),-e $(s)) || true); \
	if [ -n "$$bad" ]; then echo "lib/ calls outside the libc allow-list:" $$bad; exit 1; fi; \
	echo "check-symbols: lib/ calls only $(ALLOWED_SYMBOLS)"

# libcors.so exports exactly the functions libcors.h declares with CORS_API.
check-exports: $(SHARED)
	@sed -n 's/^CORS_API .*[ *]\(cors_[a-z0-9_]*\)(.*/\1/p' include/libcors.h | sort -u > $(B)/declared.txt; \
	nm -D --defined-only $(SHARED) | awk '{sub(/@.*/, "", $$3); if ($$3 != "LIBCORS_1") print $$3}' | sort -u > $(B)/exported.txt; \
	if ! cmp -s $(B)/declared.txt $(B)/exported.txt; then \
	    echo "libcors.so exports differ from the CORS_API declarations in libcors.h:"; \
	    diff $(B)/declared.txt $(B)/exported.txt; exit 1; fi; \
	echo "check-exports: libcors.so exports exactly the $$(wc -l < $(B)/declared.txt) functions libcors.h declares"

check: deps all $(TEST_BIN) examples check-symbols check-exports
	@$(B)/examples/evaluate >/dev/null
	@sh tests/run.sh $(B)

# The test programs alone (sanitizer builds add runtime symbols check-symbols would refuse).
run-tests: deps all $(TEST_BIN) examples
	@sh tests/run.sh $(B)

# cmocka and pkg-config from Debian, installed only when missing.
deps:
	@sh tests/install-deps.sh

sanitize:
	$(MAKE) B=build/sanitize OPT="-O1 -g $(SAN_FLAGS)" LDFLAGS="$(SAN_FLAGS)" run-tests

valgrind: all $(TEST_BIN)
	@VALGRIND="valgrind -q --error-exitcode=99 --leak-check=full" sh tests/run.sh $(B)

demo: deps all
	@sh examples/demo.sh $(B)/corscheck

# The checker's benchmark (not a test: it asserts nothing about time).
$(B)/bench/bench_check: tests/bench/bench_check.c $(STATIC) include/libcors.h | $(B)/bench
	$(CC) $(CPPFLAGS) $(APP_CFLAGS) -Wno-missing-prototypes $< $(STATIC) -lpthread -o $@

bench: $(B)/bench/bench_check
	@$(B)/bench/bench_check

check-browser: all
	bash tests/browser/run.sh

check-ffi: all
	@sh tests/check-ffi.sh $(B)

check-install:
	@sh tests/check-install.sh

install: all
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(BINDIR)
	install -m 644 include/libcors.h $(DESTDIR)$(INCLUDEDIR)/libcors.h
	install -m 644 $(STATIC) $(DESTDIR)$(LIBDIR)/libcors.a
	install -m 755 $(SHARED) $(DESTDIR)$(LIBDIR)/libcors.so.$(VERSION)
	ln -sf libcors.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libcors.so
	install -m 644 $(B)/libcors.pc $(DESTDIR)$(PKGCONFIGDIR)/libcors.pc
	install -m 755 $(B)/corscheck $(DESTDIR)$(BINDIR)/corscheck

uninstall:
	rm -f $(DESTDIR)$(INCLUDEDIR)/libcors.h $(DESTDIR)$(LIBDIR)/libcors.a \
	      $(DESTDIR)$(LIBDIR)/libcors.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME) \
	      $(DESTDIR)$(LIBDIR)/libcors.so $(DESTDIR)$(PKGCONFIGDIR)/libcors.pc $(DESTDIR)$(BINDIR)/corscheck

# The Python binding, as the distribution pip builds from examples/python (pyproject.toml),
# without network: $(PYTHON) needs pip, setuptools and wheel (Debian: python3-pip,
# python3-setuptools, python3-wheel). The C library is installed by make install.
install-python:
	@test -n "$(PYTHONDIR)" || { echo "install-python: no $(PYTHON) (set PYTHON, or PYTHONDIR)"; exit 1; }
	@$(PYTHON) -c 'import setuptools, wheel' 2>/dev/null || { echo "install-python: $(PYTHON) lacks setuptools or wheel," \
	    "which building the package needs offline (Debian: apt-get install python3-setuptools python3-wheel," \
	    "then PYTHON=/usr/bin/python3)"; exit 1; }
	$(PYTHON) -m pip install --quiet --no-build-isolation --no-index --no-deps --upgrade --root-user-action=ignore \
	    --target "$(DESTDIR)$(PYTHONDIR)" examples/python
	rm -rf examples/python/build examples/python/libcors.egg-info

uninstall-python:
	rm -rf "$(DESTDIR)$(PYTHONDIR)/libcors" "$(DESTDIR)$(PYTHONDIR)"/libcors-*.dist-info

clean:
	rm -rf build examples/python/build examples/python/libcors.egg-info
