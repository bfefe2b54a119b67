# scoring.sh - the engine's answers against a real rbldnsd, as golden files:
# every kind of code line, several codes from one list, IPv6, IPv4-mapped,
# an IPv4-only list, error codes, answers outside 127/8, skip networks.
. "$(dirname "$0")/../lib.sh"
world_start
cfg=$(conf main.ini)
exp=$ROOT/tests/integration/expected

addrs=(
    192.0.2.10        # zen SBL 127.0.0.2 = 6 -> tag
    192.0.2.11        # zen XBL (range) + spamcop -> tag
    192.0.2.12        # zen SBL+XBL (once, largest), spamcop, dnswl allowlist
    192.0.2.13        # zen PBL 0.5
    198.51.100.7      # zen PBL from a CIDR entry in the zone
    192.0.2.14        # zen code no line matches -> list weight 1
    192.0.2.15        # zen 127.255.255.254 -> error, not a listing
    192.0.2.16        # zen answers 10.1.2.3 -> error
    192.0.2.20        # spamcop only
    203.0.113.9       # spamcop CIDR entry
    192.0.2.30        # allowlist only -> negative score
    192.0.2.40        # mask: bits 2 and 4 -> the larger weight, 2
    192.0.2.41        # mask: bit 8 -> 3
    127.0.0.2         # RFC 5782 test point: listed everywhere
    127.0.0.1         # RFC 5782: listed nowhere
    2001:db8:1::77    # IPv6 CIDR in the ip6trie; spamcop not queried
    2001:db8:2::5     # IPv6 host entry
    ::ffff:192.0.2.11 # IPv4-mapped: scored as 192.0.2.11
    ::1               # skip network
    10.1.1.1          # skip network
    8.8.8.8           # clean
)
"$DNSBL_SCORE" -c "$cfg" "${addrs[@]}" >"$WORLD/summary.out" 2>"$WORLD/summary.err"
check_eq "exit status, all scored" "$?" 0
check_file "summary lines" "$WORLD/summary.out" "$exp/scoring.summary"
# 192.0.2.15's refusal code is logged once, with what to do about it.
check_eq "stderr: the refusal explained" "$(cat "$WORLD/summary.err")" \
    "dnsbl-score: warning: list zen answered 127.255.255.254, an error code, not a listing: it refuses queries from your resolver (127.255.255.254: a public or open resolver): use a local caching resolver (unbound on 127.0.0.1) in [resolver] forwarders, not a public one"

"$DNSBL_SCORE" -c "$cfg" -v 192.0.2.12 2001:db8:1::77 ::1 | mask_times >"$WORLD/verbose.out"
check_file "-v table" "$WORLD/verbose.out" "$exp/scoring.verbose"

"$DNSBL_SCORE" -c "$cfg" --json 192.0.2.11 192.0.2.15 ::1 | mask_times >"$WORLD/json.out"
check_file "--json" "$WORLD/json.out" "$exp/scoring.json"

# Scoring the same address twice in one process: the second comes from the cache.
"$DNSBL_SCORE" -c "$cfg" --json 192.0.2.10 192.0.2.10 >"$WORLD/twice.out"
check_eq "first scoring is not cached" "$(sed -n 1p "$WORLD/twice.out" | grep -o '"cached":[a-z]*')" '"cached":false'
check_eq "the same address again is cached" "$(sed -n 2p "$WORLD/twice.out" | grep -o '"cached":[a-z]*')" '"cached":true'
# A shadow list is asked and reported, with what it would add, and never counts.
{ cat "$cfg"; printf '[list trial]\nzone = spamcop.test.bl\nweight = 3\nshadow = yes\n'; } >"$WORLD/shadow.ini"
check_eq "shadow list: reported apart, not counted" "$("$DNSBL_SCORE" -c "$WORLD/shadow.ini" 192.0.2.20 2>/dev/null)" \
    "ip=192.0.2.20 score=1.50 action=accept hits=spamcop:127.0.0.2:1.50 errors= shadow=trial:127.0.0.2:3.00"
check_eq "shadow list: marked in the JSON" \
    "$("$DNSBL_SCORE" -c "$WORLD/shadow.ini" --json 192.0.2.20 2>/dev/null | mask_times | grep -o '"name":"trial","status":"hit"[^}]*"shadow":true')" \
    '"name":"trial","status":"hit","values":["127.0.0.2"],"weight":3.00,"error":null,"txt":null,"latency_ms":N,"shadow":true' 
finish
