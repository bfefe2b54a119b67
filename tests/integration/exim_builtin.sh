# exim_builtin.sh - the Exim message tests (exim.sh) again, through an Exim
# built from Debian's source package with dnsbl-score compiled in
# (LOCAL_SCAN_SOURCE, `begin local_scan` options), not loaded as a .so.
# once
. "$(dirname "$0")/../lib.sh"
world_dir
need_root "apt-get source, exim -C"
if ! bin=$("$ROOT/tests/exim-builtin/build-exim"); then
    fail "could not build Exim from source with the module compiled in"
    finish
    exit 1
fi
# Compiled in for real: the binary holds the module and its options.
check_eq "local_scan is the module's" "$(nm "$bin" | grep -cE ' T (local_scan|dnsbl_check_builtin)$')" 2
check_eq "no local_scan_path in this Exim" "$("$bin" -C /dev/null -bP local_scan_path 2>&1)" \
    "local_scan_path is not a known option"
EXIM=$bin EXIM_DEFS=-DBUILTIN bash "$ROOT/tests/integration/exim.sh" || fail "exim.sh through the built-in module"
finish
