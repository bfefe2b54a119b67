# concurrency.sh - all lists of one client are asked at once. Proved by what
# the server side saw (the relay's log of arrivals and answers), not by timing:
# every query of the client arrives before the first answer leaves.
. "$(dirname "$0")/../lib.sh"
world_start
# Every zone answers 300 ms late, so that no answer can leave before all
# queries that were sent together have arrived.
relay_start "$WORLD/relay.log" test.bl=delay:300
cfg=$(conf main.ini "$RELAY_PORT")

"$DNSBL_SCORE" -c "$cfg" 192.0.2.77 >/dev/null
# zen (A + TXT), spamcop (A + TXT), dnswl, mask: 6 queries.
check_eq "queries the server saw" "$(grep -c ' recv ' "$WORLD/relay.log")" 6
max=$(awk '$2 == "recv" { n++; if (n > max) max = n } $2 == "send" { n-- } END { print max }' "$WORLD/relay.log")
check_eq "queries outstanding together" "$max" 6
first_send=$(grep -n ' send ' "$WORLD/relay.log" | head -1 | cut -d: -f1)
check_eq "all 6 arrived before the first answer left" "$first_send" 7
check_eq "A and TXT of a txt list are asked together" \
    "$(grep ' recv ' "$WORLD/relay.log" | grep -c '77.2.0.192.zen.test.bl')" 2
finish
