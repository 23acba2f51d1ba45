# libcors - plain GNU make. All output goes to build/.
#   make                 library (static + shared), cors.pc, corscheck
#   make check           unit tests, behaviour corpus, examples, symbol checks
#   make demo            corscheck over the bundled example exchanges
#   make sanitize        the tests under ASan + UBSan
#   make valgrind        the tests under valgrind memcheck
#   make check-browser   the corpus in headless Chromium (tests/browser)
#   make install / uninstall   honour PREFIX and DESTDIR

VERSION   := 0.1.0
SOVERSION := 0
PREFIX    ?= /usr/local
LIBDIR    ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
BINDIR    ?= $(PREFIX)/bin
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig

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

.PHONY: all deps check run-tests unit examples check-symbols check-exports demo sanitize valgrind \
        check-browser check-ffi check-install install uninstall clean

all: $(STATIC) $(SHARED) $(B)/$(SONAME) $(B)/libcors.so $(B)/cors.pc $(B)/corscheck

$(B)/obj/%.o: lib/%.c lib/internal.h include/cors.h | $(B)/obj
	$(CC) $(CPPFLAGS) $(LIB_CFLAGS) -c $< -o $@

$(STATIC): $(LIB_OBJ)
	rm -f $@ && $(AR) rcs $@ $^

$(SHARED): $(LIB_OBJ) lib/cors.map
	$(CC) -shared -Wl,-soname,$(SONAME) -Wl,--version-script=lib/cors.map $(LDFLAGS) -o $@ $(LIB_OBJ)

$(B)/$(SONAME): $(SHARED)
	ln -sf libcors.so.$(VERSION) $@
$(B)/libcors.so: $(B)/$(SONAME)
	ln -sf $(SONAME) $@

$(B)/cors.pc: pkgconfig/cors.pc.in Makefile | $(B)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(LIBDIR)|' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|' \
	    -e 's|@VERSION@|$(VERSION)|' $< > $@

$(B)/corscheck: examples/corscheck.c $(STATIC) include/cors.h
	$(CC) $(CPPFLAGS) $(APP_CFLAGS) $< $(STATIC) -o $@

$(B)/examples/%: examples/%.c $(STATIC) include/cors.h | $(B)/examples
	$(CC) $(CPPFLAGS) $(APP_CFLAGS) $< $(STATIC) -o $@

# Unit tests see lib/internal.h; they link the static library.
$(B)/tests/%: tests/%.c tests/test_util.h $(STATIC) | $(B)/tests
	$(CC) $(CPPFLAGS) -Ilib $(APP_CFLAGS) -Wno-missing-prototypes $< $(STATIC) $(CMOCKA_LIBS) -o $@

$(B) $(B)/obj $(B)/tests $(B)/examples:
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

check-exports: $(SHARED)
	@bad=$$(nm -D --defined-only $(SHARED) | awk '{print $$3}' | grep -v '^cors_' | grep -v '^CORS_0$$' || true); \
	if [ -n "$$bad" ]; then echo "libcors.so exports more than cors_*: $$bad"; exit 1; fi; \
	echo "check-exports: libcors.so exports only cors_* ($$(nm -D --defined-only $(SHARED) | grep -c ' T cors_') functions)"

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

check-browser: all
	bash tests/browser/run.sh

check-ffi: all
	@sh tests/check-ffi.sh $(B)

check-install:
	@sh tests/check-install.sh

install: all
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(BINDIR)
	install -m 644 include/cors.h $(DESTDIR)$(INCLUDEDIR)/cors.h
	install -m 644 $(STATIC) $(DESTDIR)$(LIBDIR)/libcors.a
	install -m 755 $(SHARED) $(DESTDIR)$(LIBDIR)/libcors.so.$(VERSION)
	ln -sf libcors.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libcors.so
	install -m 644 $(B)/cors.pc $(DESTDIR)$(PKGCONFIGDIR)/cors.pc
	install -m 755 $(B)/corscheck $(DESTDIR)$(BINDIR)/corscheck

uninstall:
	rm -f $(DESTDIR)$(INCLUDEDIR)/cors.h $(DESTDIR)$(LIBDIR)/libcors.a \
	      $(DESTDIR)$(LIBDIR)/libcors.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME) \
	      $(DESTDIR)$(LIBDIR)/libcors.so $(DESTDIR)$(PKGCONFIGDIR)/cors.pc $(DESTDIR)$(BINDIR)/corscheck

clean:
	rm -rf build
