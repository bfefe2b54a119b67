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
# zen (A + TXT), spamcop (A + TXT), dnswl, mask: 6 queries; and alongside, the
# health test points: 127.0.0.2 and 127.0.0.1 of each list, and their IPv6
# forms for the three lists with ipv6 = yes: 14 more.
check_eq "queries the server saw" "$(grep -c ' recv ' "$WORLD/relay.log")" 20
check_eq "of which for the client" "$(grep ' recv ' "$WORLD/relay.log" | grep -c '^[0-9]* recv 77.2.0.192.')" 6
max=$(awk '$2 == "recv" { n++; if (n > max) max = n } $2 == "send" { n-- } END { print max }' "$WORLD/relay.log")
check_eq "queries outstanding together" "$max" 20
first_send=$(grep -n ' send ' "$WORLD/relay.log" | head -1 | cut -d: -f1)
check_eq "all 20 arrived before the first answer left" "$first_send" 21
check_eq "A and TXT of a txt list are asked together" \
    "$(grep ' recv ' "$WORLD/relay.log" | grep -c '77.2.0.192.zen.test.bl')" 2
finish
