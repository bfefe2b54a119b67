# config.sh - the configuration as an admin meets it: --check-config prints
# the normalised file; a mistake gets FILE:LINE: what, and exit 1.
. "$(dirname "$0")/../lib.sh"
world_start
exp=$ROOT/tests/integration/expected

cfg=$(conf main.ini)
"$DNSBL_SCORE" -c "$cfg" --check-config | sed "s|$WORLD|WORLD|; s|@$RBL_PORT$|@PORT|" >"$WORLD/dump"
check_eq "--check-config: exit 0" "${PIPESTATUS[0]}" 0
check_file "--check-config prints the normalised configuration" "$WORLD/dump" "$exp/main.dump"

# The normalised form reads back to itself.
"$DNSBL_SCORE" -c "$cfg" --check-config >"$WORLD/again.ini"
"$DNSBL_SCORE" -c "$WORLD/again.ini" --check-config | sed "s|$WORLD/again.ini|WORLD/main.ini|; s|@$RBL_PORT$|@PORT|" >"$WORLD/dump2"
check_file "the normalised configuration reads back the same" "$WORLD/dump2" "$exp/main.dump"

# bad CASE CONTENT WANT - a broken file, and exactly what the command says.
bad() {
    printf '%b' "$2" >"$WORLD/bad.ini"
    "$DNSBL_SCORE" -c "$WORLD/bad.ini" --check-config >/dev/null 2>"$WORLD/err"
    check_eq "$1: exit 1" "$?" 1
    check_eq "$1" "$(sed "s|$WORLD/||" "$WORLD/err")" "$3"
}
L='[list zen]\nzone = zen.test.bl\n'
bad "typo in a key" "$L"'wieght = 3\n' \
    "dnsbl-score: bad.ini:3: unknown key 'wieght' in [list zen]; did you mean 'weight'?
dnsbl-score: bad.ini: 1 error"
bad "typo in a section" '[scorring]\ntag = 4\n'"$L" \
    "dnsbl-score: bad.ini:1: unknown section [scorring] (sections are [scoring], [resolver], [actions] and [list NAME])
dnsbl-score: bad.ini: 1 error"
bad "decimal comma" "$L"'weight = 1,5\n' \
    "dnsbl-score: bad.ini:3: weight: '1,5' is not a number with at most two decimals
dnsbl-score: bad.ini: 1 error"
bad "thresholds out of order" '[scoring]\ntag = 12\nreject = 10\n'"$L" \
    "dnsbl-score: bad.ini:3: tag (12.00) is above reject (10.00): thresholds must satisfy tag <= defer <= reject
dnsbl-score: bad.ini: 1 error"
bad "negative timeout" '[scoring]\ntimeout_ms = -5\n'"$L" \
    "dnsbl-score: bad.ini:2: timeout_ms: '-5' is not a whole number
dnsbl-score: bad.ini: 1 error"
bad "list without a zone" '[list zen]\nweight = 2\n[list other]\nzone = o.test.bl\n' \
    "dnsbl-score: bad.ini:1: [list zen] has no zone
dnsbl-score: bad.ini: 1 error"
bad "indented continuation" '[scoring]\nskip = 10.0.0.0/8\n       192.168.0.0/16\n'"$L" \
    "dnsbl-score: bad.ini:3: expected 'key = value' or a [section] (values cannot continue on the next line)
dnsbl-score: bad.ini: 1 error"
bad "a line too long for inih" "$L"'; '"$(printf 'x%.0s' $(seq 250))"'\n' \
    "dnsbl-score: bad.ini:3: line is longer than 198 characters, the most the INI parser reads
dnsbl-score: bad.ini: 1 error"
bad "every error, not only the first" "$L"'127.0.0.300 = 2\n127.0.0.2 = lots\n1.2.3.4 = 1\n' \
    "dnsbl-score: bad.ini:3: '127.0.0.300' is not a return code (127.0.0.2), range, CIDR block or &mask
dnsbl-score: bad.ini:4: 127.0.0.2: 'lots' is not a weight (a number with at most two decimals) or 'error'
dnsbl-score: bad.ini:5: '1.2.3.4' is outside 127.0.0.0/8, where DNSBL return codes live
dnsbl-score: bad.ini: 3 errors"
bad "empty file" '' \
    "dnsbl-score: bad.ini: no [list NAME] section: there is nothing to query
dnsbl-score: bad.ini: 1 error"

"$DNSBL_SCORE" -c "$WORLD" --check-config >/dev/null 2>"$WORLD/err"
check_eq "a directory: exit 1" "$?" 1
check_eq "a directory" "$(sed "s|$WORLD|DIR|" "$WORLD/err")" "dnsbl-score: DIR: is a directory, not a configuration file
dnsbl-score: DIR: 1 error"

# A list whose server never answers, as a new user meets it: clear, bounded.
printf '[scoring]\ntimeout_ms = 500\n[resolver]\nforwarders = 127.0.0.1@%s\n[list x]\nzone = x.test.bl\n' \
    "$(free_port)" >"$WORLD/dead.ini"
t0=$(ms_now)
out=$("$DNSBL_SCORE" -c "$WORLD/dead.ini" 192.0.2.1)
check_le "nobody at the forwarder: bounded by the budget (ms)" "$(($(ms_now) - t0))" 1200
check_match "nobody at the forwarder: an error, not a listing" "$out" "hits= errors=x:(timeout|servfail)$"
# A world-readable file gets a warning: it may hold access keys.
chmod 644 "$cfg"
"$DNSBL_SCORE" -c "$cfg" --check-config 2>&1 >/dev/null | sed "s|$WORLD/||" >"$WORLD/err"
check_eq "world-readable: a warning" "$(cat "$WORLD/err")" \
    "dnsbl-score: warning: main.ini is world-readable; it may hold DNSBL access keys (chmod 640, group Debian-exim)"
chmod 640 "$cfg"
check_eq "not world-readable: no warning" "$("$DNSBL_SCORE" -c "$cfg" --check-config 2>&1 >/dev/null)" ""
finish
