# cli.sh - the command as a user meets it: exit statuses, where the
# configuration comes from, addresses from stdin, input that is not an address.
. "$(dirname "$0")/../lib.sh"
world_start
cfg=$(conf main.ini)

# Usage errors exit 2.
"$DNSBL_SCORE" -c "$cfg" >/dev/null 2>&1
check_eq "no address: usage error" "$?" 2
"$DNSBL_SCORE" --bogus-option 192.0.2.1 >/dev/null 2>&1
check_eq "unknown option: usage error" "$?" 2
"$DNSBL_SCORE" -c "$cfg" --check-config 192.0.2.1 >/dev/null 2>&1
check_eq "--check-config takes no address" "$?" 2
"$DNSBL_SCORE" --help | head -1 | grep -q '^usage: dnsbl-score'
check_eq "--help prints the usage" "$?" 0

# Not an address: named on stderr, the others still scored, exit 1.
out=$("$DNSBL_SCORE" -c "$cfg" 192.0.2.10 not-an-ip 192.0.2.20 2>"$WORLD/err")
check_eq "bad input: exit 1" "$?" 1
check_eq "bad input: the others are scored" "$out" "ip=192.0.2.10 score=6.00 action=tag hits=zen:127.0.0.2:6.00 errors=
ip=192.0.2.20 score=1.50 action=accept hits=spamcop:127.0.0.2:1.50 errors="
check_eq "bad input: named on stderr" "$(cat "$WORLD/err")" "dnsbl-score: 'not-an-ip' is not an IP address"

# Hostile input is cleaned before it reaches stderr.
"$DNSBL_SCORE" -c "$cfg" "$(printf 'x\r\nX-Injected: 1\033[31m')" 2>"$WORLD/err" >/dev/null
check_eq "hostile input is cleaned on stderr" "$(cat "$WORLD/err")" \
    "dnsbl-score: 'x X-Injected: 1?[31m' is not an IP address"

# Zone-addressed forms that are not plain addresses are refused too.
for bad in 192.0.2.1/32 fe80::1%eth0 192.0.2 256.1.1.1 " 192.0.2.1" ""; do
    "$DNSBL_SCORE" -c "$cfg" "$bad" >/dev/null 2>&1
    check_eq "'$bad' is not an address" "$?" 1
done

# Where the configuration comes from: -c, else $DNSBL_SCORE_CONFIG, else the default.
out=$(DNSBL_SCORE_CONFIG=$cfg "$DNSBL_SCORE" 192.0.2.10)
check_eq "config from \$DNSBL_SCORE_CONFIG" "$out" "ip=192.0.2.10 score=6.00 action=tag hits=zen:127.0.0.2:6.00 errors="
out=$(DNSBL_SCORE_CONFIG=/nonexistent/x.ini "$DNSBL_SCORE" -c "$cfg" 192.0.2.10)
check_eq "-c wins over \$DNSBL_SCORE_CONFIG" "$?" 0
if [ ! -e /etc/exim4/dnsbl-score.ini ]; then
    err=$(env -u DNSBL_SCORE_CONFIG "$DNSBL_SCORE" 192.0.2.10 2>&1)
    check_eq "default path: exit 1 when missing" "$?" 1
    check_eq "default path named" "$err" "dnsbl-score: /etc/exim4/dnsbl-score.ini: cannot open: No such file or directory
dnsbl-score: /etc/exim4/dnsbl-score.ini: 1 error"
fi

# Addresses on stdin: blank lines and comments skipped, bad lines named with
# their line number, output in input order.
printf '192.0.2.10\n\n# a comment\n  192.0.2.11  \nbogus\n::1\n' >"$WORLD/in"
"$DNSBL_SCORE" -c "$cfg" - <"$WORLD/in" >"$WORLD/out" 2>"$WORLD/err"
check_eq "stdin: exit 1 for the bad line" "$?" 1
check_eq "stdin: results in order" "$(cut -d' ' -f1 "$WORLD/out" | tr '\n' ' ')" \
    "ip=192.0.2.10 ip=192.0.2.11 ip=::1 "
check_eq "stdin: bad line named" "$(cat "$WORLD/err")" "dnsbl-score: stdin:5: 'bogus' is not an IP address"

# A log's worth: 3000 addresses (repeats included), every one answered, in order.
for i in $(seq 0 2999); do echo "192.0.$((i / 250 % 4)).$((i % 250))"; done >"$WORLD/many"
"$DNSBL_SCORE" -c "$cfg" - <"$WORLD/many" >"$WORLD/out"
check_eq "batch: exit 0" "$?" 0
check_eq "batch: one line per address, in order" \
    "$(cut -d' ' -f1 "$WORLD/out" | sed 's/^ip=//' | md5sum)" "$(md5sum <"$WORLD/many")"
check_eq "batch: a listed address among them" "$(grep -c '^ip=192.0.2.10 score=6.00 action=tag' "$WORLD/out")" 3
finish
