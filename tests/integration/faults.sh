# faults.sh - lists that answer badly are errors for that list, never hits,
# never a crash; the lists that work still count.
#
# What reaches the engine is what libunbound, a full resolver, makes of the
# bad answers: REFUSED, garbage and truncated records from the server become
# SERVFAIL (it tries the server again, then gives up), and records for a name
# other than the one asked are scrubbed away, leaving no answer (a miss). The
# engine's own checks of such packets are unit-tested (tests/unit/test_answer.c).
. "$(dirname "$0")/../lib.sh"
world_start
relay_start "$WORLD/relay.log" servfail.test.bl=servfail refused.test.bl=refused \
    garbage.test.bl=garbage truncate.test.bl=truncate other.test.bl=other
cfg=$(conf faults.ini "$RELAY_PORT")

# 192.0.2.20 is listed in the data behind every broken zone (spamcop's):
# a broken answer must not turn into a listing.
out=$("$DNSBL_SCORE" -c "$cfg" 192.0.2.10 192.0.2.20 2>"$WORLD/err")
check_eq "exit 0" "$?" 0
while read -r want; do
    got=$(echo "$out" | grep "^${want%% *} ")
    check_eq "${want%% *}" "$got" "$want"
done <<'WANT'
ip=192.0.2.10 score=6.00 action=tag hits=zen:127.0.0.2:6.00 errors=servfail:servfail,refused:servfail,garbage:servfail
ip=192.0.2.20 score=0.00 action=accept hits= errors=servfail:servfail,refused:servfail,garbage:servfail,truncate:servfail
WANT
check_eq "the server saw the renamed answers asked for" "$(grep -c 'recv 20.2.0.192.other.test.bl' "$WORLD/relay.log")" 1
finish
