# matrix.sh - the fault matrix, through Debian's real Exim: for each fault in
# the DNS, the configuration or the process, the expected reply, log text and
# a bound on the time taken. Every message ends delivered or refused with the
# expected code: none vanishes, none gets a 421, none is rejected (550) for
# the module's own trouble.
# once
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/lib-exim.sh"
need_root "exim -C"
world_start
relay_start "$WORLD/relay.log" slow.test.bl=delay:3000 dead.test.bl=drop servfail.test.bl=servfail \
    refused.test.bl=refused garbage.test.bl=garbage truncate.test.bl=truncate

# row NAME INI [MACROS] -- CLIENT REPLY_REGEX LOG_REGEX MAX_MS
# One message from CLIENT through exim -bs (DATA-time scoring), then checks.
row() {
    local name=$1 ini=$2 client reply logre max t0 took r
    shift 2
    local macros=()
    while [ "$1" != -- ]; do macros+=("$1"); shift; done
    shift
    client=$1 reply=$2 logre=$3 max=$4
    exim_setup "$ini" NO_RCPT_SCORING=1 "${macros[@]}"
    [ -n "${MODE:-}" ] && chmod "$MODE" "$EX/dnsbl-score.ini"
    clear_exim
    t0=$(ms_now)
    exim_bs "$client"
    took=$(($(ms_now) - t0))
    r=$(reply data)
    check_match "$name: reply" "$r" "$reply"
    check_match "$name: log" "$(mainlog_module)" "$logre"
    check_le "$name: time (ms)" "$took" "$max"
    # Accounted for: delivered exactly when the reply says so.
    if [[ $r == 250* ]]; then
        check_eq "$name: delivered" "$(grep -c '^Subject: test' "$EX/mail/inbox" 2>/dev/null)" 1
    else
        check_eq "$name: refused, not delivered" "$(test -s "$EX/mail/inbox" && echo yes)" ""
    fi
    check_eq "$name: no panic" "$(cat "$EX/log/paniclog" 2>/dev/null)" ""
}

# mini LIST [PORT] - the matrix configuration with LIST as the broken list
mini() {
    sed "s/@LIST@/$1/; s/@PORT@/${2:-$RELAY_PORT}/" "$ROOT/tests/integration/conf/matrix.ini" \
        >"$WORLD/m-$1.ini"
    echo "$WORLD/m-$1.ini"
}

# --- DNS: a tag-level client (zen 6), one list broken ---------------------------
OK250='^250 OK id='
row "DNS server down" "$(mini zen.test.bl "$(free_port)")" -- 127.0.0.20 "$OK250" \
    "ip=127.0.0.20 score=0.00 action=accept hits= errors=zen:(timeout|servfail),x:(timeout|servfail)" 2500
row "answers later than the budget" "$(mini slow.test.bl)" -- 127.0.0.20 "$OK250" \
    "action=tag hits=zen:127.0.0.2:6.00 errors=x:timeout" 2500
row "SERVFAIL" "$(mini servfail.test.bl)" -- 127.0.0.20 "$OK250" "errors=x:servfail" 2500
row "REFUSED" "$(mini refused.test.bl)" -- 127.0.0.20 "$OK250" "errors=x:servfail" 2500
row "garbage packets" "$(mini garbage.test.bl)" -- 127.0.0.20 "$OK250" "errors=x:servfail" 2500
row "truncated packets" "$(mini truncate.test.bl)" -- 127.0.0.21 "$OK250" "errors=x:servfail" 2500
row "NXDOMAIN for everything" "$(mini nothing.test.bl)" -- 127.0.0.20 "$OK250" \
    "action=tag hits=zen:127.0.0.2:6.00 errors=$" 2500
row "everything listed (a lapsed domain)" "$(mini everything.test.bl)" -- 127.0.0.20 "$OK250" \
    "score=6.00 action=tag hits=zen:127.0.0.2:6.00 errors=x:lying" 2500
row "everything listed: a clean client is not refused" "$(mini everything.test.bl)" -- 192.0.2.99 \
    "$OK250" "score=0.00 action=accept hits= errors=x:lying" 2500
row "one list of many failing" "$(mini dead.test.bl)" -- 127.0.0.22 \
    '^550 Rejected: 127.0.0.22 scores 6.00|^250 OK id=' "hits=zen:127.0.0.2\+127.0.0.4:6.00 errors=x:timeout" 2500

# --- configuration: broken INI files, with on_error accept and defer -----------
good=$(mini nothing.test.bl)
T451='^451 Temporary local problem: the DNS blocklist check is unavailable; try again later$'
for oe in accept defer; do
    want=$([ $oe = accept ] && echo "$OK250" || echo "$T451")
    printf '[actions]\non_error = %s\n' "$oe" >"$WORLD/empty-$oe.ini"
    row "empty ($oe)" "$WORLD/empty-$oe.ini" -- 192.0.2.10 "$want" \
        "dnsbl-score: .*/dnsbl-score.ini: no \[list NAME\] section: there is nothing to query" 2000
    { printf '[actions]\non_error = %s\n' "$oe"; cat "$good"; echo "weight"; } >"$WORLD/malformed-$oe.ini"
    row "malformed ($oe)" "$WORLD/malformed-$oe.ini" -- 192.0.2.10 "$want" \
        "dnsbl-score: .*/dnsbl-score.ini:2[0-9]: expected 'key = value' or a \[section\]" 2000
    { printf '[actions]\non_error = %s\n' "$oe"; cat "$good"; echo "wieght = 2"; } >"$WORLD/unknown-$oe.ini"
    row "unknown key ($oe)" "$WORLD/unknown-$oe.ini" -- 192.0.2.10 "$want" \
        "dnsbl-score.ini:2[0-9]: unknown key 'wieght' in \[list x\]; did you mean 'weight'\?" 2000
    sed "s/^timeout_ms = 1000/timeout_ms = -5/; 1i [actions]\non_error = $oe" "$good" >"$WORLD/negative-$oe.ini"
    row "negative timeout ($oe)" "$WORLD/negative-$oe.ini" -- 192.0.2.10 "$want" \
        "dnsbl-score.ini:[0-9]+: timeout_ms: '-5' is not a whole number" 2000
    sed "s/^tag = 5/tag = 12/; 1i [actions]\non_error = $oe" "$good" >"$WORLD/order-$oe.ini"
    row "thresholds out of order ($oe)" "$WORLD/order-$oe.ini" -- 192.0.2.10 "$want" \
        "dnsbl-score.ini:[0-9]+: tag \(12.00\) is above defer \(8.00\)" 2000
    # Files that cannot be read say nothing: on_error comes from the Exim side.
    row "missing ($oe)" "$WORLD/missing.ini" DNSBL_ON_ERROR=$oe -- 192.0.2.10 "$want" \
        "dnsbl-score: .*/dnsbl-score.ini: cannot open: No such file or directory" 2000
    MODE=600 row "unreadable by the Exim user ($oe)" "$good" DNSBL_ON_ERROR=$oe -- 192.0.2.10 "$want" \
        "dnsbl-score: .*/dnsbl-score.ini: cannot open: Permission denied" 2000
done

# --- the process ---------------------------------------------------------------
# Exim's local_scan_timeout (2 s) shorter than the budget (8 s), a dead list:
# the module cuts its budget to fit and never meets Exim's alarm (a 421).
sed 's/^timeout_ms = 1000/timeout_ms = 8000/' "$(mini dead.test.bl)" >"$WORLD/long.ini"
row "local_scan_timeout shorter than the budget" "$WORLD/long.ini" SCAN_TIMEOUT=2s -- 127.0.0.20 \
    "$OK250" "warning: local_scan_timeout leaves [0-9]+ ms, less than timeout_ms \(8000\)" 2000

# Many messages on one connection: each scored, the lists asked once (the
# cache), the configuration read once, the test points checked once.
exim_setup "$(mini nothing.test.bl)" NO_RCPT_SCORING=1
clear_exim
n0=$(grep -c 'recv 20.0.0.127.zen.test.bl' "$WORLD/relay.log")
{ printf 'EHLO client.example\r\n'
  for i in $(seq 50); do smtp_dialog | sed '1d;$d'; done
  printf 'QUIT\r\n'; } | "$EXIM" "${EXIM_ARGS[@]}" -odi -bs -oMa 127.0.0.20 -oMi 127.0.0.1 >"$WORLD/smtp.out" 2>&1
check_eq "50 messages on one connection: all accepted" "$(replies "$WORLD/smtp.out" | grep -c '^250 OK id=')" 50
check_eq "50 messages on one connection: all delivered" "$(grep -c '^Subject: test' "$EX/mail/inbox")" 50
check_eq "50 messages on one connection: 50 log lines" "$(mainlog_module | grep -c 'dnsbl-score: ip=127.0.0.20 ')" 50
check_eq "50 messages on one connection: zen asked once" \
    "$(($(grep -c 'recv 20.0.0.127.zen.test.bl' "$WORLD/relay.log") - n0))" 1

# Many RCPT-time calls per message: 40 recipients, the ACL function each time.
exim_setup "$(mini nothing.test.bl)"
clear_exim
n0=$(grep -c 'recv 21.0.0.127.zen.test.bl' "$WORLD/relay.log")
rcpts=()
for i in $(seq 40); do rcpts+=("u$i@test.example"); done
exim_bs 127.0.0.21 "${rcpts[@]}"
check_eq "40 RCPT-time calls: every recipient accepted" "$(replies "$WORLD/smtp.out" | grep -c '^250 Accepted')" 40
check_eq "40 RCPT-time calls: delivered once" "$(reply data | cut -c1-6)" "250 OK"
check_eq "40 RCPT-time calls: zen asked once" \
    "$(($(grep -c 'recv 21.0.0.127.zen.test.bl' "$WORLD/relay.log") - n0))" 1
finish
