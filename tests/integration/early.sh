# early.sh - the early verdict: the engine stops waiting as soon as the lists
# still outstanding cannot change the action, and says which it did not
# await; it waits (up to the budget) when they could. Checked on what it
# decided and reported, with bounds on time, never speed.
. "$(dirname "$0")/../lib.sh"
world_start
relay_start "$WORLD/relay.log" dead.test.bl=drop
cfg=$(conf early.ini "$RELAY_PORT")

# score ADDR - the summary line, and the time it took in $took (ms)
score() {
    local t0
    t0=$(ms_now)
    out=$("$DNSBL_SCORE" -c "$1" "$2" 2>/dev/null)
    took=$(($(ms_now) - t0))
}

# Clean: 0 now, at most 2 with the dead list: accept either way.
score "$cfg" 8.8.8.8
check_eq "clean: the dead list is not awaited" "$out" \
    "ip=8.8.8.8 score=0.00 action=accept hits= errors= notawaited=dead"
check_le "clean: well within the 1500 ms budget (ms)" "$took" 1000
# Listed by zen's SBL: 6, at most 8: tag either way.
score "$cfg" 192.0.2.10
check_eq "listed: the dead list is not awaited" "$out" \
    "ip=192.0.2.10 score=6.00 action=tag hits=zen:127.0.0.2:6.00 errors= notawaited=dead"
# Listed by XBL: 4, at most 6: the dead list could make it a tag: awaited.
score "$cfg" 192.0.2.11
check_eq "near a threshold: the dead list is awaited, to the budget" "$out" \
    "ip=192.0.2.11 score=4.00 action=accept hits=zen:127.0.0.4:4.00 errors=dead:timeout"
check_le "near a threshold: no longer than the budget and set-up (ms)" "$took" 2300

# The table says it too.
"$DNSBL_SCORE" -c "$cfg" -v 8.8.8.8 2>/dev/null | grep '^  dead ' | sed -E 's/ +[0-9]+ ms/ N ms/' >"$WORLD/v"
check_eq "-v: not awaited" "$(cat "$WORLD/v")" "  dead                 not awaited (no effect)          0.00 N ms  "

# A negative list outstanding can lower the total: awaited too.
sed 's/^weight = 2$/weight = -5/' "$cfg" >"$WORLD/allow.ini"
score "$WORLD/allow.ini" 192.0.2.10
check_eq "a dead allowlist could lower a tag: awaited" "$out" \
    "ip=192.0.2.10 score=6.00 action=tag hits=zen:127.0.0.2:6.00 errors=dead:timeout"

# early_verdict = no: every list is awaited, for data collection.
sed 's/^early_verdict = yes/early_verdict = no/' "$cfg" >"$WORLD/late.ini"
score "$WORLD/late.ini" 8.8.8.8
check_eq "early_verdict = no: the dead list is awaited" "$out" \
    "ip=8.8.8.8 score=0.00 action=accept hits= errors=dead:timeout"
finish
