# SPDX-License-Identifier: MIT
# libcors - plain GNU make. All output goes to build/.
#   make                 library (static + shared), corscheck, libcors.pc, the CMake package
#                        (build/cmake), the man pages (build/man)
#   make check           unit tests, behaviour corpus, examples, symbol checks
#   make demo            corscheck over the bundled example exchanges (builds only what it runs)
#   make sanitize        the tests under ASan + UBSan
#   make valgrind        the tests under valgrind memcheck
#   make check-browser   the corpus in headless Chromium (tests/browser)
#   make bench           the checker's benchmark (tests/bench), and build/bench/peer-bench, the harness of
#                        ../shared/bench/peers (it prints how to run it there)
#   make check-browser-policy  Chromium against the answers of 400 generated policies and the corpus's server cases
#   make check-server    the libmicrohttpd example server, called by curl and Chromium
#   make fuzz            the libFuzzer targets of tests/fuzz (clang), FUZZ_SECONDS (60) s each, one at a time:
#                        FUZZ_TARGET=fuzz_head (or several names, default all); the corpus grows in build/fuzz
#   make fuzz-smoke      every target FUZZ_SMOKE_SECONDS (20) s from the tree's corpus, for CI
#   make fuzz-merge      minimize the tree's corpus and build/fuzz's into tests/fuzz/corpus
#   make fuzz-coverage   line coverage of lib/ by each target's corpus (clang, llvm-cov)
#   make fuzz-policy-file  the same as make fuzz FUZZ_TARGET=fuzz_policy_file
#   make tsan            the thread test (tests/test_threads.c) and libcors under ThreadSanitizer (clang)
#   make bench-hostile   only the hostile sizes of make bench
#   make install / uninstall   honour PREFIX, DESTDIR and the *DIR variables below: the library,
#                        libcors.h, corscheck, libcors.pc, the CMake package, corscheck(1), libcors(3)
#   make install-python / uninstall-python   the Python binding into PYTHON's site-packages

VERSION   := 0.2.0
SOVERSION := 1
PREFIX    ?= /usr/local
LIBDIR    ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
BINDIR    ?= $(PREFIX)/bin
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
CMAKEDIR  ?= $(LIBDIR)/cmake/libcors
MANDIR    ?= $(PREFIX)/share/man
# make install without DESTDIR runs it (as root) so that programs find libcors.so.1; LDCONFIG= skips it
LDCONFIG  ?= ldconfig
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
LIB_OBJ := $(patsubst lib/%.c,$(B)/obj/%.o,$(LIB_SRC)) $(B)/obj/psl_data.o
LIB_HDR := lib/internal.h lib/chars.h lib/judging.h lib/server.h lib/server_lookup.h lib/scan.h include/libcors.h

# The Public Suffix List, pinned (lib/psl.pin) and turned into a C table at build time.
PSL_FILE ?= /usr/share/publicsuffix/public_suffix_list.dat
include lib/psl.pin
SONAME  := libcors.so.$(SOVERSION)
SHARED  := $(B)/libcors.so.$(VERSION)
STATIC  := $(B)/libcors.a

UNIT_SRC := $(filter-out tests/test_corpus.c,$(wildcard tests/test_*.c))
UNIT_BIN := $(patsubst tests/%.c,$(B)/tests/%,$(UNIT_SRC))
FUZZ_SRC := $(wildcard tests/fuzz/fuzz_*.c)
FUZZ_NAMES := $(patsubst tests/fuzz/%.c,%,$(FUZZ_SRC))
REPLAY_BIN := $(patsubst tests/fuzz/%.c,$(B)/tests/test_%,$(FUZZ_SRC))
TEST_BIN := $(UNIT_BIN) $(B)/tests/test_corpus $(REPLAY_BIN)
EXAMPLE_SRC := $(filter-out examples/corscheck.c examples/server_mhd.c,$(wildcard examples/*.c))
EXAMPLE_BIN := $(patsubst examples/%.c,$(B)/examples/%,$(EXAMPLE_SRC))
CMOCKA_LIBS ?= -lcmocka

.PHONY: all deps bench check run-tests unit examples check-symbols check-exports demo sanitize check-portable valgrind \
        check-browser check-browser-policy check-server fuzz fuzz-build fuzz-smoke fuzz-merge fuzz-coverage \
        fuzz-policy-file deps-fuzz tsan bench-hostile check-ffi check-install install uninstall \
        install-python uninstall-python clean build-deps install-notes FORCE

# What make install writes besides the binaries: it embeds the install directories.
CMAKE_FILES := $(B)/cmake/libcorsConfig.cmake $(B)/cmake/libcorsConfigVersion.cmake
MAN_PAGES   := $(B)/man/corscheck.1 $(B)/man/libcors.3
INSTALL_DATA := $(B)/libcors.pc $(CMAKE_FILES) $(MAN_PAGES)
# `man cors_evaluate` and the others libcors(3)'s SYNOPSIS shows open libcors(3).
MAN3_LINKS := cors_response_parse cors_response_from_headers cors_request_init cors_options_init \
    cors_report_init cors_report_lend_hops cors_evaluate cors_evaluate_chain cors_policy_parse \
    cors_policy_validate cors_policy_compile cors_policy_answer cors_policy_check cors_version cors_strerror

all: $(STATIC) $(SHARED) $(B)/$(SONAME) $(B)/libcors.so $(B)/corscheck $(INSTALL_DATA)

$(B)/obj/%.o: lib/%.c $(LIB_HDR) | $(B)/obj
	$(CC) $(CPPFLAGS) $(LIB_CFLAGS) -c $< -o $@

$(B)/obj/psl_data.o: $(B)/gen/psl_data.c $(LIB_HDR) | $(B)/obj
	$(CC) $(CPPFLAGS) -Ilib $(LIB_CFLAGS) -c $< -o $@

# Only the pinned list: another one fails here, naming what to install.
$(B)/gen/psl_data.c: lib/psl_gen.awk lib/psl.pin | $(B)/gen
	@if [ ! -r "$(PSL_FILE)" ]; then \
	    echo "$(PSL_FILE) is missing: install Debian's publicsuffix $(PSL_VERSION) (sh tests/install-deps.sh)"; exit 1; fi
	@sum=$$(sha256sum "$(PSL_FILE)" | cut -d' ' -f1); if [ "$$sum" != "$(PSL_SHA256)" ]; then \
	    echo "$(PSL_FILE) is not the pinned Public Suffix List (Debian publicsuffix $(PSL_VERSION), sha256 $(PSL_SHA256)); it has sha256 $$sum."; \
	    echo "Install publicsuffix $(PSL_VERSION), or review the new list and update lib/psl.pin."; exit 1; fi
	LC_ALL=C awk -v phase=rules -f lib/psl_gen.awk "$(PSL_FILE)" > $@.rules
	LC_ALL=C sort -u $@.rules > $@.sorted
	LC_ALL=C awk -v phase=emit -v version=$(PSL_VERSION) -f lib/psl_gen.awk $@.sorted > $@.tmp
	mv $@.tmp $@ && rm -f $@.rules $@.sorted

$(STATIC): $(LIB_OBJ)
	rm -f $@ && $(AR) rcs $@ $^

$(SHARED): $(LIB_OBJ) lib/libcors.map
	$(CC) -shared -Wl,-soname,$(SONAME) -Wl,--version-script=lib/libcors.map $(LDFLAGS) -o $@ $(LIB_OBJ)

$(B)/$(SONAME): $(SHARED)
	ln -sf libcors.so.$(VERSION) $@
$(B)/libcors.so: $(B)/$(SONAME)
	ln -sf $(SONAME) $@

# The install directories, rewritten only when one of them changes: what embeds them is then
# made again, so `make` followed by `make install PREFIX=/opt/x` installs files naming /opt/x.
INSTALL_DIRS := PREFIX=$(PREFIX) LIBDIR=$(LIBDIR) INCLUDEDIR=$(INCLUDEDIR) BINDIR=$(BINDIR) \
    PKGCONFIGDIR=$(PKGCONFIGDIR) CMAKEDIR=$(CMAKEDIR) MANDIR=$(MANDIR)
$(B)/install-dirs: FORCE | $(B)
	@printf '%s\n' '$(INSTALL_DIRS)' > $@.tmp; if cmp -s $@.tmp $@; then rm -f $@.tmp; else mv -f $@.tmp $@; fi
FORCE:

# $(call under_prefix,DIR,VAR): DIR as $${VAR}/REST when it lies under $(PREFIX) (so the file
# follows the tree when it is moved), else DIR as it is.
under_prefix = $(if $(filter $(PREFIX),$(1)),$${$(2)},$(if $(filter $(PREFIX)/%,$(1)),$${$(2)}/$(patsubst $(PREFIX)/%,%,$(1)),$(1)))

$(B)/libcors.pc: pkgconfig/libcors.pc.in Makefile $(B)/install-dirs | $(B)
	sed -e 's|@PREFIX@|$(PREFIX)|' -e 's|@LIBDIR@|$(call under_prefix,$(LIBDIR),exec_prefix)|' \
	    -e 's|@INCLUDEDIR@|$(call under_prefix,$(INCLUDEDIR),prefix)|' -e 's|@VERSION@|$(VERSION)|' $< > $@.tmp
	mv -f $@.tmp $@

# The CMake package (find_package(libcors CONFIG)), written without CMake. The prefix is found
# from the file's own place, CMAKEDIR's depth under PREFIX: a moved tree (a DESTDIR) works.
space := $() $()
CMAKE_UP := $(if $(filter $(PREFIX)/%,$(CMAKEDIR)),$${_libcors_here}$(subst $(space),,$(patsubst %,/..,$(subst /, ,$(patsubst $(PREFIX)/%,%,$(CMAKEDIR))))),$(PREFIX))
SIZEOF_VOID_P = $$(echo __SIZEOF_POINTER__ | $(CC) -E -P - | tr -dc 0-9)
$(B)/cmake/%.cmake: cmake/%.cmake.in Makefile $(B)/install-dirs | $(B)/cmake
	sed -e 's|@VERSION@|$(VERSION)|g' -e 's|@SONAME@|$(SONAME)|g' -e 's|@SHARED@|$(notdir $(SHARED))|g' \
	    -e 's|@PREFIX_FROM_HERE@|$(CMAKE_UP)|' -e 's|@LIBDIR@|$(call under_prefix,$(LIBDIR),_libcors_prefix)|' \
	    -e 's|@INCLUDEDIR@|$(call under_prefix,$(INCLUDEDIR),_libcors_prefix)|' \
	    -e 's|@VERSION_MAJOR@|$(word 1,$(subst ., ,$(VERSION)))|g' -e 's|@VERSION_MINOR@|$(word 2,$(subst ., ,$(VERSION)))|g' \
	    -e "s|@SIZEOF_VOID_P@|$(SIZEOF_VOID_P)|g" $< > $@.tmp
	mv -f $@.tmp $@

# Man pages: the version, and the installed paths in FILES.
$(B)/man/%: man/%.in Makefile $(B)/install-dirs | $(B)/man
	sed -e 's|@VERSION@|$(VERSION)|g' -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@BINDIR@|$(BINDIR)|g' \
	    -e 's|@LIBDIR@|$(LIBDIR)|g' -e 's|@INCLUDEDIR@|$(INCLUDEDIR)|g' -e 's|@PKGCONFIGDIR@|$(PKGCONFIGDIR)|g' \
	    -e 's|@CMAKEDIR@|$(CMAKEDIR)|g' -e 's|@MANDIR@|$(MANDIR)|g' -e 's|@SONAME@|$(SONAME)|g' $< > $@.tmp
	mv -f $@.tmp $@

$(B)/corscheck: examples/corscheck.c $(STATIC) include/libcors.h
	$(CC) $(CPPFLAGS) $(APP_CFLAGS) $< $(STATIC) -o $@

$(B)/examples/%: examples/%.c $(STATIC) include/libcors.h | $(B)/examples
	$(CC) $(CPPFLAGS) $(APP_CFLAGS) $< $(STATIC) -o $@

# Unit tests see lib/internal.h; they link the static library.
$(B)/tests/%: tests/%.c tests/test_util.h tests/test_policy_util.h tests/test_alloc.h tests/general_reading.h $(STATIC) \
              include/libcors.h lib/internal.h lib/chars.h lib/judging.h lib/server.h lib/server_lookup.h lib/scan.h | $(B)/tests
	$(CC) $(CPPFLAGS) -Ilib $(APP_CFLAGS) -Wno-missing-prototypes $< $(STATIC) $(CMOCKA_LIBS) -o $@

# Each fuzz target with the replay main (tests/fuzz/replay.c), built by $(CC): make check replays
# tests/fuzz/corpus/NAME and tests/fuzz/regress/NAME.
$(B)/tests/test_fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz.h tests/general_reading.h $(STATIC) \
                        include/libcors.h lib/internal.h lib/chars.h lib/judging.h lib/scan.h | $(B)/tests
	$(CC) $(CPPFLAGS) -Ilib $(APP_CFLAGS) -Wno-missing-prototypes -DFUZZ_TARGET_NAME='"fuzz_$*"' $< tests/fuzz/replay.c \
	    $(STATIC) -o $@

$(B) $(B)/obj $(B)/gen $(B)/tests $(B)/examples $(B)/bench $(B)/browser $(B)/fuzz $(B)/cmake $(B)/man:
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

# What building the library and corscheck needs, and nothing else (make demo).
build-deps:
	@sh tests/install-deps.sh --build

sanitize:
	$(MAKE) B=build/sanitize OPT="-O1 -g $(SAN_FLAGS)" LDFLAGS="$(SAN_FLAGS)" run-tests

# The scans as a machine without SSE2 runs them (arm64, ...): the 8-byte and byte paths of
# lib/scan.h, lib/chars.h and lib/server_lookup.h.
check-portable:
	$(MAKE) B=build/portable CFLAGS="$(CFLAGS) -U__SSE2__" run-tests

valgrind: all $(TEST_BIN)
	@VALGRIND="valgrind -q --error-exitcode=99 --leak-check=full" sh tests/run.sh $(B)

demo: build-deps $(B)/corscheck
	@sh examples/demo.sh $(B)/corscheck

# The checker's benchmark (not a test: it asserts nothing about time).
$(B)/bench/bench_check: tests/bench/bench_check.c $(STATIC) include/libcors.h | $(B)/bench
	$(CC) $(CPPFLAGS) $(APP_CFLAGS) -Wno-missing-prototypes $< $(STATIC) -lpthread -o $@


check-browser: all
	bash tests/browser/run.sh --capture

# Chromium judges what policies send: 400 generated policy/request pairs (test_simulate) and
# every server case of the corpus (test_corpus), written as raw answer blocks.
BROWSER_POLICY_PAIRS ?= 400
check-browser-policy: all $(B)/tests/test_simulate $(B)/tests/test_corpus | $(B)/browser
	$(B)/tests/test_simulate --emit-cases $(BROWSER_POLICY_PAIRS) $(B)/browser/policy-random.case
	$(B)/tests/test_corpus --emit-server-blocks $(B)/browser/policy-corpus.case tests/corpus/server-policy.case
	bash tests/browser/run.sh --file $(B)/browser/policy-random.case --file $(B)/browser/policy-corpus.case

# A real server: examples/server_mhd.c on libmicrohttpd, called by curl and by Chromium.
MHD_CFLAGS = $$(pkg-config --cflags libmicrohttpd)
MHD_LIBS = $$(pkg-config --libs libmicrohttpd)
$(B)/examples/server_mhd: examples/server_mhd.c $(STATIC) include/libcors.h | $(B)/examples
	$(CC) $(CPPFLAGS) $(APP_CFLAGS) $(MHD_CFLAGS) $< $(STATIC) $(MHD_LIBS) -o $@

check-server: all
	@sh tests/install-deps.sh libmicrohttpd-dev curl
	@$(MAKE) --no-print-directory $(B)/examples/server_mhd
	@bash tests/server/check-server.sh $(B)

# The peer benchmark's harness (../shared/bench/peers/README.md): its workloads.h is included
# where it lies, never copied.
BENCH_PEERS ?= $(firstword $(wildcard ../shared/bench/peers ../../shared/bench/peers) ../shared/bench/peers)
$(B)/bench/peer-bench: tests/bench/peer_bench.c $(STATIC) include/libcors.h | $(B)/bench
	@test -f $(BENCH_PEERS)/workloads/workloads.h || { \
	    echo "bench: $(BENCH_PEERS)/workloads/workloads.h is missing (set BENCH_PEERS)"; exit 1; }
	$(CC) $(CPPFLAGS) -I$(BENCH_PEERS)/workloads $(APP_CFLAGS) -O2 $< $(STATIC) -o $@

bench-hostile: $(B)/bench/bench_check
	@$(B)/bench/bench_check --hostile

bench: $(B)/bench/bench_check $(B)/bench/peer-bench
	@$(B)/bench/bench_check
	@echo "bench: $(B)/bench/peer-bench; beside the peers: d=\$$(mktemp -d) && cp -r $(BENCH_PEERS) \$$d && \
	(cd \$$d/peers && LIBCORS_BENCH=$(abspath $(B)/bench/peer-bench) ./run.sh)"

# ---- libFuzzer (tests/fuzz/README.md): clang, one target at a time, all output under $(FB) ----
FUZZ_CC      ?= clang
FB           := $(B)/fuzz
FUZZ_TARGET  ?= $(FUZZ_NAMES)
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 20
FUZZ_SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_COV     := -fprofile-instr-generate -fcoverage-mapping
FUZZ_LIB_CFLAGS := $(WARN) -Wno-bitwise-instead-of-logical -O1 -g -fvisibility=hidden -DCORS_BUILDING
FUZZ_ENV      = FB=$(FB)

$(FB)/obj/%.o: lib/%.c $(LIB_HDR)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_LIB_CFLAGS) -fsanitize=fuzzer-no-link $(FUZZ_SAN) -c $< -o $@
$(FB)/obj/psl_data.o: $(B)/gen/psl_data.c $(LIB_HDR)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) -Ilib $(FUZZ_LIB_CFLAGS) -fsanitize=fuzzer-no-link $(FUZZ_SAN) -c $< -o $@
$(FB)/cov/obj/%.o: lib/%.c $(LIB_HDR)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) $(FUZZ_LIB_CFLAGS) $(FUZZ_COV) -c $< -o $@
$(FB)/cov/obj/psl_data.o: $(B)/gen/psl_data.c $(LIB_HDR)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(CPPFLAGS) -Ilib $(FUZZ_LIB_CFLAGS) $(FUZZ_COV) -c $< -o $@
$(FB)/libcors.a: $(patsubst lib/%.c,$(FB)/obj/%.o,$(LIB_SRC)) $(FB)/obj/psl_data.o
	rm -f $@ && $(AR) rcs $@ $^
$(FB)/cov/libcors.a: $(patsubst lib/%.c,$(FB)/cov/obj/%.o,$(LIB_SRC)) $(FB)/cov/obj/psl_data.o
	rm -f $@ && $(AR) rcs $@ $^

$(FB)/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/fuzz.h tests/general_reading.h $(FB)/libcors.a include/libcors.h
	$(FUZZ_CC) $(CPPFLAGS) -Ilib -std=c11 -O1 -g -fsanitize=fuzzer $(FUZZ_SAN) $< $(FB)/libcors.a -o $@
$(FB)/cov/fuzz_%: tests/fuzz/fuzz_%.c tests/fuzz/replay.c tests/fuzz/fuzz.h tests/general_reading.h $(FB)/cov/libcors.a \
                  include/libcors.h
	$(FUZZ_CC) $(CPPFLAGS) -Ilib -std=c11 -O1 -g $(FUZZ_COV) -DFUZZ_TARGET_NAME='"fuzz_$*"' $< tests/fuzz/replay.c \
	    $(FB)/cov/libcors.a -o $@

# clang, its libFuzzer and sanitizer runtimes, llvm-cov and python3 (for the seeds), from Debian
deps-fuzz: deps
	@sh tests/install-deps.sh clang libclang-rt-14-dev llvm python3

fuzz-build: deps-fuzz $(B)/gen/psl_data.c
	@$(MAKE) --no-print-directory $(addprefix $(FB)/,$(FUZZ_TARGET))

fuzz: fuzz-build
	@$(FUZZ_ENV) sh tests/fuzz/fuzz.sh run $(FUZZ_SECONDS) $(FUZZ_TARGET)

fuzz-smoke: fuzz-build
	@$(FUZZ_ENV) sh tests/fuzz/fuzz.sh smoke $(FUZZ_SMOKE_SECONDS) $(FUZZ_TARGET)

fuzz-merge: fuzz-build
	@$(FUZZ_ENV) sh tests/fuzz/fuzz.sh merge 0 $(FUZZ_TARGET)

fuzz-coverage: deps-fuzz $(B)/gen/psl_data.c
	@$(MAKE) --no-print-directory $(addprefix $(FB)/cov/,$(FUZZ_TARGET))
	@$(FUZZ_ENV) sh tests/fuzz/fuzz.sh coverage 0 $(FUZZ_TARGET)

fuzz-policy-file:
	@$(MAKE) --no-print-directory fuzz FUZZ_TARGET=fuzz_policy_file

# ThreadSanitizer on the thread test: clang 14's TSan intercepts pthread_create but not C11
# thrd_create, so tests/test_threads.c uses pthreads; it counts allocations through the
# sanitizer's hooks, not by interposing malloc (an interposer would bypass TSan's allocator).
# lib/server.h's branchless matching uses & on booleans on purpose: clang's warning is off there.
TSAN_FLAGS ?= -fsanitize=thread -fno-omit-frame-pointer
tsan: deps-fuzz
	@$(MAKE) --no-print-directory B=build/tsan CC=$(FUZZ_CC) OPT="-O1 -g $(TSAN_FLAGS)" LDFLAGS="$(TSAN_FLAGS)" \
	    CFLAGS="-Wno-bitwise-instead-of-logical" build/tsan/tests/test_threads
	TSAN_OPTIONS="halt_on_error=1 exitcode=66 $(TSAN_OPTIONS)" build/tsan/tests/test_threads
	@# the same build must catch a race injected on purpose (two threads, one report)
	@TSAN_OPTIONS="halt_on_error=1 exitcode=66" build/tsan/tests/test_threads --shared-report >build/tsan/race.log 2>&1; \
	st=$$?; if [ $$st -eq 66 ] && grep -q "WARNING: ThreadSanitizer: data race" build/tsan/race.log; then \
	    echo "tsan: the injected race (two threads evaluating into one report) is caught"; \
	else echo "tsan: the injected race was NOT caught (exit $$st; build/tsan/race.log)"; exit 1; fi

check-ffi: all
	@sh tests/check-ffi.sh $(B)

check-install:
	@sh tests/check-install.sh

install: all
	install -d $(DESTDIR)$(LIBDIR) $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(PKGCONFIGDIR) $(DESTDIR)$(BINDIR) \
	    $(DESTDIR)$(CMAKEDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man3
	install -m 644 include/libcors.h $(DESTDIR)$(INCLUDEDIR)/libcors.h
	install -m 644 $(STATIC) $(DESTDIR)$(LIBDIR)/libcors.a
	install -m 755 $(SHARED) $(DESTDIR)$(LIBDIR)/libcors.so.$(VERSION)
	ln -sf libcors.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libcors.so
	install -m 644 $(B)/libcors.pc $(DESTDIR)$(PKGCONFIGDIR)/libcors.pc
	install -m 644 $(CMAKE_FILES) $(DESTDIR)$(CMAKEDIR)/
	install -m 755 $(B)/corscheck $(DESTDIR)$(BINDIR)/corscheck
	install -m 644 $(B)/man/corscheck.1 $(DESTDIR)$(MANDIR)/man1/corscheck.1
	install -m 644 $(B)/man/libcors.3 $(DESTDIR)$(MANDIR)/man3/libcors.3
	for f in $(MAN3_LINKS); do echo '.so man3/libcors.3' > $(DESTDIR)$(MANDIR)/man3/$$f.3 || exit 1; done
	@[ -n "$(DESTDIR)" ] || $(MAKE) --no-print-directory install-notes

# After a real install (no DESTDIR): refresh the loader's cache when root, and say what else a
# user must set for this PREFIX (the README's "Install" section says it too).
install-notes:
	@$(if $(LDCONFIG),if [ "$$(id -u)" = 0 ] && command -v $(LDCONFIG) >/dev/null 2>&1; then \
	    echo "$(LDCONFIG)"; $(LDCONFIG) || true; fi,:)
	@ldc=$$(command -v ldconfig || echo /sbin/ldconfig); if [ "$$(uname -s)" = Linux ] && [ -x "$$ldc" ] && \
	    ! "$$ldc" -p 2>/dev/null | grep -qF '=> $(LIBDIR)/$(SONAME)'; then \
	    echo "note: the loader does not find $(LIBDIR)/$(SONAME): run ldconfig as root (with $(LIBDIR) in" \
	         "/etc/ld.so.conf.d/), or run programs with LD_LIBRARY_PATH=$(LIBDIR)"; fi
	@if command -v pkg-config >/dev/null 2>&1 && ! pkg-config --variable pc_path pkg-config 2>/dev/null | \
	    tr : '\n' | grep -qxF '$(PKGCONFIGDIR)'; then \
	    echo "note: pkg-config does not look in $(PKGCONFIGDIR): export PKG_CONFIG_PATH=$(PKGCONFIGDIR)"; fi
	@if command -v manpath >/dev/null 2>&1 && ! manpath 2>/dev/null | tr : '\n' | grep -qxF '$(MANDIR)'; then \
	    echo "note: man does not look in $(MANDIR): export MANPATH=$(MANDIR):"; fi

uninstall:
	rm -f $(DESTDIR)$(INCLUDEDIR)/libcors.h $(DESTDIR)$(LIBDIR)/libcors.a \
	      $(DESTDIR)$(LIBDIR)/libcors.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME) \
	      $(DESTDIR)$(LIBDIR)/libcors.so $(DESTDIR)$(PKGCONFIGDIR)/libcors.pc $(DESTDIR)$(BINDIR)/corscheck \
	      $(DESTDIR)$(CMAKEDIR)/libcorsConfig.cmake $(DESTDIR)$(CMAKEDIR)/libcorsConfigVersion.cmake \
	      $(DESTDIR)$(MANDIR)/man1/corscheck.1 $(DESTDIR)$(MANDIR)/man3/libcors.3 \
	      $(patsubst %,$(DESTDIR)$(MANDIR)/man3/%.3,$(MAN3_LINKS))
	rmdir $(DESTDIR)$(CMAKEDIR) 2>/dev/null || true

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
