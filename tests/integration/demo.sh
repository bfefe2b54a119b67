# demo.sh - `make demo` (the README's first command) shows what it says:
# the sample verdicts, the Exim sessions, and it stops what it started.
# once
. "$(dirname "$0")/../lib.sh"
world_dir
before=$(pgrep -c -x rbldnsd)
"$ROOT/tests/demo/demo" >"$WORLD/out" 2>&1
check_eq "demo: exit 0" "$?" 0
out=$(sed 's/\x1b\[[0-9;]*m//g' "$WORLD/out")
check_match "demo: two lists add up to a reject" "$out" \
    "ip=192.0.2.11 score=10.00 action=reject hits=zen:127.0.0.4:4.00,spamcop:127.0.0.2:6.00 errors="
check_match "demo: the refusal code is an error" "$out" \
    "ip=192.0.2.15 score=0.00 action=accept hits= errors=zen:code-127.255.255.254"
check_match "demo: the batch" "$out" "ip=::1 score=0.00 action=skip hits= errors="
if [ "$(id -u)" = 0 ]; then
    check_match "demo: Exim refuses at RCPT" "$out" \
        "S: 550 Rejected: 192.0.2.11 scores 10.00 on DNS blocklists \(listed by zen, spamcop; reject threshold 10.00\)"
    check_match "demo: Exim tags" "$out" "X-DNSBL-Score: 7.00 \(tag\)"
    check_match "demo: Exim logs" "$out" \
        "[0-9A-Za-z-]{16} dnsbl-score: ip=192.0.2.13 score=0.50 action=accept hits=zen:127.0.0.10:0.50 errors="
fi
check_eq "demo: its rbldnsd is stopped" "$(pgrep -c -x rbldnsd)" "$before"
finish
