#!/usr/bin/env bash
# valgrind.sh - make check-valgrind: the command, dnsbl-tune, and the Exim
# module loaded by tests/lshost the way Exim loads it, under valgrind's
# memcheck against a real rbldnsd: no memory error, no leak (definite or
# indirect), in every run. The budget is long: valgrind is slow.
set -u
. "$(dirname "$0")/lib.sh"
world_start
relay_start "$WORLD/relay.log" dead.test.bl=drop hostile.test.bl=hostile
VG=(valgrind --quiet --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect
    --show-leak-kinds=definite,indirect --track-origins=yes)
# main.ini with the early verdict on, a budget for valgrind's pace (3 s),
# and lists that die, lie and shadow
sed 's/^early_verdict = no .*/early_verdict = yes/; s/^timeout_ms = .*/timeout_ms = 3000/' \
    "$(conf main.ini "$RELAY_PORT")" >"$WORLD/vg.ini"
cat >>"$WORLD/vg.ini" <<'INI'
[list dead]
zone = dead.test.bl
weight = 0.5
[list hostile]
zone = hostile.test.bl
weight = 1
txt = yes
[list trial]
zone = spamcop.test.bl
shadow = yes
INI

# vg NAME EXPECTED-STATUS COMMAND... - one run under memcheck
vg() {
    local name=$1 want=$2
    shift 2
    # stdout and stderr apart: a buffered stdout and stderr in one file can
    # interleave mid-line
    "${VG[@]}" --log-file="$WORLD/vg.$name.log" "$@" >"$WORLD/vg.$name.out" 2>"$WORLD/vg.$name.err"
    local rc=$?
    check_eq "$name: exit $want, memcheck clean" "$rc/$(cat "$WORLD/vg.$name.log")" "$want/"
}

vg score 0 "$DNSBL_SCORE" -c "$WORLD/vg.ini" 192.0.2.12 192.0.2.15 192.0.2.16 2001:db8:1::77 ::1 8.8.8.8
vg verbose 0 "$DNSBL_SCORE" -c "$WORLD/vg.ini" -v 192.0.2.11 192.0.2.11
vg json 0 "$DNSBL_SCORE" -c "$WORLD/vg.ini" --json 192.0.2.10
vg check-config 0 "$DNSBL_SCORE" -c "$WORLD/vg.ini" --check-config
vg health 3 "$DNSBL_SCORE" -c "$WORLD/vg.ini" --health
vg bad-config 1 "$DNSBL_SCORE" -c "$ROOT/tests/integration/conf/exim-bad.ini" --check-config
printf '192.0.2.%d\n' $(seq 1 150) >"$WORLD/addrs"
echo not-an-address >>"$WORLD/addrs"
vg batch 1 "$DNSBL_SCORE" -c "$WORLD/vg.ini" - <"$WORLD/addrs"
check_eq "batch: every address scored" "$(grep -c '^ip=' "$WORLD/vg.batch.out")" 150

awk -v seed=1 -v n=3000 -v label=ham -f "$ROOT/tests/tune/gen.awk" >"$WORLD/ham"
awk -v seed=2 -v n=3000 -v label=spam -f "$ROOT/tests/tune/gen.awk" >"$WORLD/spam"
vg tune 0 "$(dirname "$DNSBL_SCORE")/dnsbl-tune" -c "$ROOT/tests/tune/current.ini" --json \
    --write-ini "$WORLD/tuned.ini" --ham "$WORLD/ham" --spam "$WORLD/spam"

# The module, as Exim calls it: the ACL function, then local_scan, several
# messages on one connection; an authenticated sender; a local submission.
export DNSBL_SCORE_CONFIG=$WORLD/vg.ini
vg module 0 "$ROOT/build/tests/lshost" "$ROOT/build/dnsbl-score.so" -m 5 192.0.2.10 127.0.0.22 \
    192.0.2.11 10.1.1.1 2001:db8:2::5 "" -a 127.0.0.22
check_eq "module: 35 messages, all through local_scan" "$(grep -c '^LOCAL_SCAN ' "$WORLD/vg.module.out")" 35
check_eq "module: a flag header for every tag" \
    "$(grep -c '^HEADER: X-Spam-Flag: YES' "$WORLD/vg.module.out")" \
    "$(grep -c '^LOG: dnsbl-score: ip=.* action=tag ' "$WORLD/vg.module.out")"
check_eq "module: the authenticated sender was skipped" \
    "$(grep -c '^	skip=authenticated$' "$WORLD/vg.module.out")" 5
export DNSBL_SCORE_CONFIG=$ROOT/tests/integration/conf/exim-bad.ini
vg module-trouble 0 "$ROOT/build/tests/lshost" "$ROOT/build/dnsbl-score.so" -m 3 192.0.2.10
check_eq "module in trouble: accepted unscored" \
    "$(grep -c '^LOCAL_SCAN 192.0.2.10: 0 $' "$WORLD/vg.module-trouble.out")" 3
finish
