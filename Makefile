# dnsbl-score: weighted, parallel DNSBL scoring for Exim.
#
# make            build the library, the command and the Exim module (build/)
# make demo       build, start a throwaway rbldnsd, score sample addresses
# make check      every test: unit (plain and sanitized), integration, Exim
# make bench      measure, write docs/PERFORMANCE.md (reports; never fails on speed)
# make fuzz       run every fuzz target for FUZZ_SECONDS (make check: a short smoke run)
# make check-valgrind  the command, dnsbl-tune and the Exim module under memcheck
# make deps       install the Debian packages the above need (as root)
# make install    PREFIX=/usr/local DESTDIR= (see README.md)

# Debian packages this project needs: to build, to test, to demo.
DEB_PACKAGES = build-essential pkg-config libunbound-dev libevent-dev \
	libinih-dev libcmocka-dev rbldnsd exim4-daemon-heavy exim4-dev swaks \
	clang libclang-rt-14-dev iproute2 groff-base dpkg-dev libpcre2-dev libdb-dev \
	dnsperf valgrind clang-format procps


PREFIX  ?= /usr/local
DESTDIR ?=
CC      ?= cc

WARN    = -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes -Wstrict-prototypes \
	  -Wcast-qual -Wsign-compare -Wformat=2 -Wpointer-arith -Wvla
CFLAGS  ?= -O2 -g
ALL_CFLAGS = -std=c11 -D_DEFAULT_SOURCE -fPIC $(WARN) $(CFLAGS) -Icore -MMD -MP
LIBS    = -lunbound -levent -linih -lresolv

# Sanitized builds for the tests (make check).
SAN      = -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
SAN_ENV  = ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1

CORE_SRC = $(wildcard core/*.c)
CLI_SRC  = cli/dnsbl-score.c cli/render.c
TUNE_SRC = cli/dnsbl-tune.c cli/tune_read.c cli/tune_stats.c cli/tune_report.c
LS_SRC   = $(wildcard local_scan/*.c)
UNIT_SRC = $(wildcard tests/unit/test_*.c)

CORE_OBJ = $(CORE_SRC:%.c=build/%.o)
CLI_OBJ  = $(CLI_SRC:%.c=build/%.o)
TUNE_OBJ = $(TUNE_SRC:%.c=build/%.o)
TUNE     = build/dnsbl-tune
LIB      = build/libdnsbl-score.a
CLI      = build/dnsbl-score
UNITS    = $(UNIT_SRC:tests/unit/%.c=build/tests/%)
SAN_CORE_OBJ = $(CORE_SRC:%.c=build/san/%.o)
SAN_CLI_OBJ  = $(CLI_SRC:%.c=build/san/%.o)
SAN_UNITS    = $(UNIT_SRC:tests/unit/%.c=build/san/tests/%)
SAN_CLI      = build/san/dnsbl-score
SAN_TUNE     = build/san/dnsbl-tune
TEST_TOOLS   = build/tests/dnsrelay build/tests/smtpload build/tests/lshost

# The Exim module: core and glue with hidden symbols, Exim's API from exim4-dev.
EXIM_INC = /usr/include/exim4
SO       = build/dnsbl-score.so
SO_OBJ   = $(CORE_SRC:%.c=build/so/%.o) $(LS_SRC:%.c=build/so/%.o)
SO_CFLAGS = -fvisibility=hidden -isystem $(EXIM_INC) -Ilocal_scan
# For an Exim built from source with the module compiled in (docs/EXIM.md):
# the engine and the per-process state; Exim compiles local_scan/ls_main.c.
BUILTIN_LIB = build/libdnsbl-score-builtin.a

# Quiet by default; make V=1 shows the commands.
V ?= 0
ifeq ($(V),0)
Q = @
say = @echo "  $(1) $(2)";
endif

.PHONY: all
all: $(LIB) $(CLI) $(TUNE) $(SO) $(BUILTIN_LIB)

build/%.o: %.c
	@mkdir -p $(@D)
	$(call say,CC,$@)$(CC) $(ALL_CFLAGS) -c $< -o $@

build/san/%.o: %.c
	@mkdir -p $(@D)
	$(call say,CC,$@)$(CC) $(ALL_CFLAGS) $(SAN) -c $< -o $@

build/so/%.o: %.c
	@mkdir -p $(@D)
	$(call say,CC,$@)$(CC) $(ALL_CFLAGS) $(SO_CFLAGS) -c $< -o $@

# Exim's API resolves from the exim binary at load time: no -z defs.
# -Bsymbolic: the module's own calls never bind to a same-named Exim symbol.
$(SO): $(SO_OBJ)
	$(call say,LD,$@)$(CC) $(CFLAGS) -shared -Wl,-Bsymbolic -o $@ $^ $(LIBS) -ldl

build/builtin/ls_dlfunc.o: local_scan/ls_dlfunc.c
	@mkdir -p $(@D)
	$(call say,CC,$@)$(CC) $(ALL_CFLAGS) $(SO_CFLAGS) -DLS_BUILTIN -c $< -o $@

$(BUILTIN_LIB): $(CORE_SRC:%.c=build/so/%.o) build/so/local_scan/ls_state.o build/builtin/ls_dlfunc.o
	@rm -f $@
	$(call say,AR,$@)$(AR) rcs $@ $^

$(LIB): $(CORE_OBJ)
	@rm -f $@
	$(call say,AR,$@)$(AR) rcs $@ $^

$(CLI): $(CLI_OBJ) $(LIB)
	$(call say,LD,$@)$(CC) $(CFLAGS) -o $@ $(CLI_OBJ) $(LIB) $(LIBS)

$(SAN_CLI): $(SAN_CLI_OBJ) $(SAN_CORE_OBJ)
	$(call say,LD,$@)$(CC) $(CFLAGS) $(SAN) -o $@ $^ $(LIBS)

$(TUNE): $(TUNE_OBJ) $(LIB)
	$(call say,LD,$@)$(CC) $(CFLAGS) -o $@ $(TUNE_OBJ) $(LIB) $(LIBS) -lm

$(SAN_TUNE): $(TUNE_SRC:%.c=build/san/%.o) $(SAN_CORE_OBJ)
	$(call say,LD,$@)$(CC) $(CFLAGS) $(SAN) -o $@ $^ $(LIBS) -lm

build/tests/%: tests/unit/%.c tests/unit/unit.h $(LIB)
	@mkdir -p $(@D)
	$(call say,LD,$@)$(CC) $(ALL_CFLAGS) -o $@ $< $(LIB) $(LIBS) -lcmocka

build/san/tests/%: tests/unit/%.c tests/unit/unit.h $(SAN_CORE_OBJ)
	@mkdir -p $(@D)
	$(call say,LD,$@)$(CC) $(ALL_CFLAGS) $(SAN) -o $@ $< $(SAN_CORE_OBJ) $(LIBS) -lcmocka

build/tests/dnsrelay: tests/dnsrelay.c
	@mkdir -p $(@D)
	$(call say,LD,$@)$(CC) $(ALL_CFLAGS) -o $@ $< -levent

# A stand-in for Exim that loads the module (its API symbols exported to it).
build/tests/lshost: tests/lshost.c
	@mkdir -p $(@D)
	$(call say,LD,$@)$(CC) $(ALL_CFLAGS) -rdynamic -o $@ $< -ldl

build/tests/smtpload: tests/smtpload.c
	@mkdir -p $(@D)
	$(call say,LD,$@)$(CC) $(ALL_CFLAGS) -o $@ $< -levent

# ---- tests ---------------------------------------------------------------

.PHONY: check unit integration
check: deps
	$(MAKE) all $(UNITS) $(SAN_UNITS) $(SAN_CLI) $(SAN_TUNE) $(TEST_TOOLS) $(FUZZ_BINS)
	$(MAKE) format-check unit integration fuzz-smoke

unit: $(UNITS) $(SAN_UNITS)
	@for t in $(UNITS); do echo "== $$t"; $$t || exit 1; done
	@for t in $(SAN_UNITS); do echo "== $$t (ASan+UBSan)"; $(SAN_ENV) $$t || exit 1; done

integration: all $(SAN_CLI) $(SAN_TUNE) $(TEST_TOOLS)
	@$(SAN_ENV) tests/run-integration

# ---- fuzzing (libFuzzer, with ASan and UBSan) -----------------------------
# make fuzz runs each target FUZZ_SECONDS (default 180) from the seed corpus
# in tests/fuzz/corpus; make check runs each for FUZZ_SMOKE seconds, and every
# input in tests/fuzz/regress (the crashes found, kept as regression tests).

FUZZ_TARGETS = config addr answer render tune
FUZZ_SECONDS ?= 180
FUZZ_SMOKE   ?= 8
FUZZ_CC      = clang
FUZZ_FLAGS   = -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	-std=c11 -D_DEFAULT_SOURCE -Icore -Wall -Wextra -Werror
FUZZ_CORE    = core/config.c core/config_read.c core/config_dump.c core/decimal.c core/net.c \
	core/codes.c core/score.c core/summary.c core/text.c core/answer.c core/result.c core/log.c
FUZZ_EXTRA_render = cli/render.c
FUZZ_EXTRA_tune   = cli/tune_read.c cli/tune_stats.c
FUZZ_BINS    = $(FUZZ_TARGETS:%=build/fuzz/fuzz_%)

build/fuzz/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_CORE) $(wildcard cli/*.c cli/*.h core/*.h)
	@mkdir -p $(@D)
	$(call say,FUZZ,$@)$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(FUZZ_CORE) $(FUZZ_EXTRA_$*) -linih -lresolv -lm

.PHONY: check-valgrind
check-valgrind: deps
	$(MAKE) all $(TEST_TOOLS)
	@tests/valgrind.sh

.PHONY: fuzz fuzz-smoke
fuzz: deps
	@$(MAKE) -s $(FUZZ_BINS)
	@tests/fuzz/run $(FUZZ_SECONDS) $(FUZZ_TARGETS)

fuzz-smoke: $(FUZZ_BINS)
	@tests/fuzz/run $(FUZZ_SMOKE) $(FUZZ_TARGETS)

# ---- benchmark -------------------------------------------------------------

.PHONY: bench
bench: deps
	$(MAKE) all $(TEST_TOOLS)
	@bench/run

# ---- demo ----------------------------------------------------------------

.PHONY: demo
demo: deps
	$(MAKE) all
	@tests/demo/demo

# ---- install -------------------------------------------------------------

# Debian's places for the Exim module and its INI file (not under PREFIX:
# Exim looks there); DESTDIR is honoured everywhere.
EXIM_MODDIR ?= /usr/lib/exim4/local_scan
EXIM_ETCDIR ?= /etc/exim4

.PHONY: install
install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
		$(DESTDIR)$(PREFIX)/share/man/man5 $(DESTDIR)$(PREFIX)/lib $(DESTDIR)$(PREFIX)/include \
		$(DESTDIR)$(PREFIX)/share/dnsbl-score/exim-conf/debian/conf.d/main \
		$(DESTDIR)$(EXIM_MODDIR) $(DESTDIR)$(EXIM_ETCDIR)
	install -m 755 $(CLI) $(DESTDIR)$(PREFIX)/bin/dnsbl-score
	install -m 755 $(TUNE) $(DESTDIR)$(PREFIX)/bin/dnsbl-tune
	install -m 644 $(LIB) $(DESTDIR)$(PREFIX)/lib/
	install -m 644 core/dnsbl.h $(DESTDIR)$(PREFIX)/include/
	install -m 644 docs/man/dnsbl-score.1 docs/man/dnsbl-tune.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 docs/man/dnsbl-score.ini.5 $(DESTDIR)$(PREFIX)/share/man/man5/
	install -m 644 $(SO) $(DESTDIR)$(EXIM_MODDIR)/dnsbl-score.so
	install -m 644 exim-conf/*.conf $(DESTDIR)$(PREFIX)/share/dnsbl-score/exim-conf/
	install -m 644 exim-conf/debian/conf.d/main/00_dnsbl-score \
		$(DESTDIR)$(PREFIX)/share/dnsbl-score/exim-conf/debian/conf.d/main/
	@# The INI file may hold DNSBL access keys: root and the Exim group only.
	@# An existing one is the admin's: never overwritten.
	@ini=$(DESTDIR)$(EXIM_ETCDIR)/dnsbl-score.ini; \
	if [ -e $$ini ]; then \
	  echo "install: keeping the existing $$ini (the example is exim-conf/dnsbl-score.ini)"; \
	else \
	  install -m 640 exim-conf/dnsbl-score.ini $$ini && echo "install: $$ini (mode 640)"; \
	  if getent group Debian-exim >/dev/null && [ "$$(id -u)" = 0 ]; then chgrp Debian-exim $$ini; \
	  else echo "install: chgrp Debian-exim $$ini yourself: Exim must read it" >&2; fi; \
	fi

# ---- housekeeping --------------------------------------------------------

FORMAT_SRC = $(wildcard core/*.[ch] cli/*.[ch] local_scan/*.[ch] tests/unit/*.[ch] tests/*.c tests/fuzz/*.c)

.PHONY: format format-check clean
format:
	clang-format -i $(FORMAT_SRC)

format-check:
	@clang-format --dry-run --Werror $(FORMAT_SRC)

clean:
	rm -rf build

-include $(shell find build -path build/exim-builtin -prune -o -name '*.d' -type f -print 2>/dev/null)

# ---- Debian packages -----------------------------------------------------

# make deps: install what is missing, as root; otherwise say what to run.
# The tests build Exim from Debian's source package: deb-src entries are
# added (a copy of the deb entries, in their own file) when there are none.
# policy-rc.d keeps the packages' daemons (the system's Exim) from starting.
APT_SRC = /etc/apt/sources.list.d/dnsbl-score-src.sources
HAS_DEB_SRC = grep -rqsE '^(Types:.*deb-src|deb-src )' /etc/apt/sources.list /etc/apt/sources.list.d/

.PHONY: deps
deps:
	@missing=; for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${db:Status-Status}\n' $$p 2>/dev/null | grep -qx installed || missing="$$missing $$p"; \
	done; \
	src=; $(HAS_DEB_SRC) || src=1; \
	[ -n "$$missing$$src" ] || exit 0; \
	if [ "$$(id -u)" != 0 ]; then \
	  [ -z "$$missing" ] || echo "dnsbl-score needs these Debian packages:$$missing" >&2; \
	  [ -z "$$src" ] || echo "The tests need deb-src entries in APT's sources (apt-get source exim4)." >&2; \
	  echo "Install them with:  sudo make deps" >&2; exit 1; \
	fi; \
	if [ -n "$$src" ] && [ -f /etc/apt/sources.list.d/debian.sources ]; then \
	  echo "make deps: adding deb-src entries in $(APT_SRC)"; \
	  sed 's/^Types: deb$$/Types: deb-src/' /etc/apt/sources.list.d/debian.sources > $(APT_SRC); \
	elif [ -n "$$src" ] && [ -f /etc/apt/sources.list ]; then \
	  echo "make deps: adding deb-src entries in /etc/apt/sources.list.d/dnsbl-score-src.list"; \
	  sed -n 's/^deb /deb-src /p' /etc/apt/sources.list > /etc/apt/sources.list.d/dnsbl-score-src.list; \
	fi; \
	echo "make deps: installing$$missing"; \
	policy=/usr/sbin/policy-rc.d; made_policy=; \
	if [ ! -e $$policy ]; then printf '#!/bin/sh\nexit 101\n' > $$policy; chmod 755 $$policy; made_policy=1; fi; \
	DEBIAN_FRONTEND=noninteractive apt-get update -q && \
	{ [ -z "$$missing" ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing; }; rc=$$?; \
	[ -z "$$made_policy" ] || rm -f $$policy; exit $$rc
