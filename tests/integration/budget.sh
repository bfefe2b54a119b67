# budget.sh - a slow list and a dead list: the budget holds, and the lists
# that answer still count. Bounds only ("costs at most the budget"), no speed.
. "$(dirname "$0")/../lib.sh"
world_start
relay_start "$WORLD/relay.log" slow.test.bl=delay:3000 dead.test.bl=drop
cfg=$(conf slow.ini "$RELAY_PORT")

t0=$(ms_now)
out=$("$DNSBL_SCORE" -c "$cfg" 192.0.2.11 2>"$WORLD/err")
took=$(($(ms_now) - t0))
check_eq "exit 0 despite two lists failing" "$?" 0
check_eq "the others count, the two fail as timeouts" "$out" \
    "ip=192.0.2.11 score=5.50 action=tag hits=zen:127.0.0.4:4.00,spamcop:127.0.0.2:1.50 errors=slow:timeout,dead:timeout"
# 800 ms budget; process start, set-up and exit get 700 ms more at most.
check_le "a dead list costs at most the budget (ms)" "$took" 1500
# Their health checks, sent alongside with the same budget, may time out
# before the process ends: then each is logged, and nothing else is.
check_eq "stderr: at most the two lists found unreachable" \
    "$(grep -v '^dnsbl-score: warning: list \(dead\|slow\) is unreachable: no answer for 127.0.0.2 (timeout)' "$WORLD/err")" ""

# Many clients at once, each with the same budget: not one budget each, one after another.
t0=$(ms_now)
out=$(printf '192.0.2.%d\n' $(seq 100 139) | "$DNSBL_SCORE" -c "$cfg" -)
took=$(($(ms_now) - t0))
check_eq "40 clients, 40 lines" "$(echo "$out" | wc -l)" 40
check_eq "every one reports both timeouts" "$(echo "$out" | grep -c 'errors=slow:timeout,dead:timeout$')" 40
check_le "40 clients with a dead list cost one budget, not 40 (ms)" "$took" 2500

# The verbose view says which list timed out and when.
"$DNSBL_SCORE" -c "$cfg" -v 192.0.2.20 | grep -E '^  (slow|dead) ' | sed -E 's/ +[0-9]+ ms/ N ms/' >"$WORLD/v"
check_eq "-v shows the timeouts" "$(cat "$WORLD/v")" "  slow                 error timeout                    0.00 N ms  
  dead                 error timeout                    0.00 N ms  "
finish
