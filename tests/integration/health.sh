# health.sh - lists that lie, served by a real rbldnsd: one listing
# everything (127.0.0.1 too), a lapsed domain answering outside 127/8, one
# listing nothing, one only refusing, one that never answers, and hostile TXT
# records. For each: its health, the scores of clean and listed addresses
# (a liar never counts), the log text, --health's output and exit status.
. "$(dirname "$0")/../lib.sh"
world_start
relay_start "$WORLD/relay.log" dead.test.bl=drop hostile.test.bl=hostile
cfg=$(conf health.ini "$RELAY_PORT")

# --health: one line per list (advice indented below), exit 3.
"$DNSBL_SCORE" -c "$cfg" --health >"$WORLD/health.out" 2>"$WORLD/health.err"
check_eq "--health: exit 3 when a list is not healthy" "$?" 3
sed -E 's/ +[0-9]+ ms  / N ms  /' "$WORLD/health.out" >"$WORLD/health.masked"
check_file "--health output" "$WORLD/health.masked" "$ROOT/tests/integration/expected/health.out"
check_eq "--health: nothing on stderr" "$(cat "$WORLD/health.err")" ""
"$DNSBL_SCORE" -c "$cfg" --health --json | sed -E 's/"latency_ms":[0-9]+/"latency_ms":N/' >"$WORLD/health.json"
check_file "--health --json" "$WORLD/health.json" "$ROOT/tests/integration/expected/health.json"
"$DNSBL_SCORE" -c "$(conf main.ini)" --health >/dev/null
check_eq "--health: exit 0 when every list is healthy" "$?" 0

# Scores: the liars (weight 50 each, reject at 10) never count.
"$DNSBL_SCORE" -c "$cfg" 192.0.2.10 8.8.8.8 2>"$WORLD/score.err" >"$WORLD/score.out"
check_eq "listed address: only the healthy list counts" "$(sed -n 1p "$WORLD/score.out")" \
    "ip=192.0.2.10 score=7.00 action=tag hits=zen:127.0.0.2:6.00,hostile:127.0.0.2:1.00 errors=everything:lying,parked:lying,refuse:code-127.255.255.254,dead:timeout"
check_eq "clean address: accepted, the liars reported" "$(sed -n 2p "$WORLD/score.out")" \
    "ip=8.8.8.8 score=1.00 action=accept hits=hostile:127.0.0.2:1.00 errors=everything:lying,parked:lying,refuse:code-127.255.255.254,dead:timeout"
# The log: each state once, with the evidence and what to do. The refusing
# list is told once, by whichever comes first: its health check, or a real
# answer with the refusal code (the same advice).
grep -v 'list refuse ' "$WORLD/score.err" | sort >"$WORLD/score.err.sorted"
check_file "warnings, once each" "$WORLD/score.err.sorted" "$ROOT/tests/integration/expected/health.warnings"
check_eq "the refusing list, told once" "$(grep -c 'list refuse \(is refusing\|answered 127.255.255.254\)' "$WORLD/score.err")" 1
check_match "the refusing list: what to do" "$(grep 'list refuse ' "$WORLD/score.err")" \
    "it refuses queries from your resolver \(127.255.255.254: a public or open resolver\): use a local caching resolver"

# A list that lists the whole Internet cannot make the product reject a
# single message: 500 addresses, IPv4 and IPv6, each first in its process.
printf '%s\n' 198.18.$((RANDOM % 256)).{1..200} 2001:db8:9::{1..100} 203.0.113.{1..200} >"$WORLD/many"
"$DNSBL_SCORE" -c "$cfg" - <"$WORLD/many" 2>/dev/null >"$WORLD/many.out"
check_eq "500 addresses scored" "$(wc -l <"$WORLD/many.out")" 500
check_eq "none rejected or deferred" "$(grep -c 'action=\(reject\|defer\)' "$WORLD/many.out")" 0
for a in 192.0.2.77 2001:db8:9::1 198.51.100.3; do
    out=$("$DNSBL_SCORE" -c "$cfg" "$a" 2>/dev/null)
    check_match "a fresh process, $a: not rejected" "$out" "action=(accept|tag) "
done

# A test point answer lost on the way (the relay drops only spamcop's
# 127.0.0.1 point): the hit waits twice its own latency plus 10 ms for the
# check sent with it, then counts: the budget (2000 ms) is not spent.
relay_start "$WORLD/relay2.log" 1.0.0.127.spamcop.test.bl=drop
t0=$(ms_now)
out=$("$DNSBL_SCORE" -c "$(conf main.ini "$RELAY_PORT")" 192.0.2.20 2>/dev/null)
took=$(($(ms_now) - t0))
check_eq "a lost test point: the hit counts" "$out" \
    "ip=192.0.2.20 score=1.50 action=accept hits=spamcop:127.0.0.2:1.50 errors="
check_le "a lost test point: well within the 2000 ms budget (ms)" "$took" 1000

# Hostile TXT: control bytes, CR/LF, bytes above 127, 900 bytes: cleaned and
# bounded wherever shown.
"$DNSBL_SCORE" -c "$cfg" --json 192.0.2.10 2>/dev/null | grep -o '"name":"hostile"[^}]*' >"$WORLD/txt.json"
# The first strings cleaned (CR/LF runs as a space, other controls and high
# bytes as '?'), then the
# third string (250 x 'C') until 197 characters, then "...": 200 in all.
want='Listed X-Injected: yes <script>??[31m??? caf??'
want="$want$(printf 'C%.0s' $(seq $((197 - ${#want}))))..."
check_eq "hostile TXT in JSON: one line, cleaned, cut at 200" "$(grep -o '"txt":"[^"]*' "$WORLD/txt.json")" \
    "\"txt\":\"$want"
"$DNSBL_SCORE" -c "$cfg" -v 192.0.2.10 2>/dev/null >"$WORLD/txt.v"
check_eq "hostile TXT in -v: no control byte, no byte above 127" "$(LC_ALL=C grep -c '[^[:print:]]' "$WORLD/txt.v")" 0
check_eq "hostile TXT in -v: no line break inside" "$(grep -c '^X-Injected' "$WORLD/txt.v")" 0
finish
