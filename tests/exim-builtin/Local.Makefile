# Local/Makefile for an Exim built from Debian's source package with
# dnsbl-score compiled in (tests/exim-builtin/build-exim fills in @ROOT@ and
# @PREFIX@). The lines that concern dnsbl-score are the last block; the rest
# is the smallest Exim that runs the tests. docs/EXIM.md shows the same block.
BIN_DIRECTORY=@PREFIX@/bin
CONFIGURE_FILE=@PREFIX@/configure
SPOOL_DIRECTORY=@PREFIX@/spool
EXIM_USER=ref:Debian-exim
EXIM_GROUP=ref:Debian-exim
FIXED_NEVER_USERS=root
ROUTER_ACCEPT=yes
TRANSPORT_APPENDFILE=yes
LOOKUP_LSEARCH=yes
AUTH_PLAINTEXT=yes
DISABLE_TLS=yes
DISABLE_DKIM=yes
USE_DB=yes
PCRE2_CONFIG=yes
HAVE_IPV6=yes
EXPAND_DLFUNC=yes
CFLAGS=-O2

# --- dnsbl-score, compiled in ---
HAVE_LOCAL_SCAN=yes
# the one source Exim compiles: local_scan/ls_main.c, copied to Local/
LOCAL_SCAN_SOURCE=Local/dnsbl-score.c
LOCAL_SCAN_HAS_OPTIONS=yes
CFLAGS_DYNAMIC=
INCLUDE=-I@ROOT@/local_scan -I@ROOT@/core
# -u: take the ACL function too; -E: export Exim's API to ${dlfunc} modules
EXTRALIBS_EXIM=@ROOT@/build/libdnsbl-score-builtin.a -Wl,-u,dnsbl_check_builtin -lunbound -levent -linih -lresolv -ldl -Wl,-E
