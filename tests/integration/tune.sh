# tune.sh - dnsbl-tune on a synthetic world with known hit rates
# (tests/tune/gen.awk): it recovers the lists' ordering, gives the noisy
# list a small weight and the allowlist a negative one, names the redundant
# list, prices each return code, evaluates the shadow list; its thresholds
# meet the false-positive budget on held-out lines, where its configuration
# rejects more spam than rejecting on any single list within that budget,
# and than rejecting on any hit (which breaks it).
. "$(dirname "$0")/../lib.sh"
world_dir
TUNE=${DNSBL_TUNE:-$(dirname "$DNSBL_SCORE")/dnsbl-tune}
gen() { awk -v seed="$1" -v n=20000 -v label="$2" -f "$ROOT/tests/tune/gen.awk"; }
gen 1 ham >"$WORLD/train.ham"
gen 2 spam >"$WORLD/train.spam"
gen 3 ham >"$WORLD/test.ham"
gen 4 spam >"$WORLD/test.spam"

"$TUNE" -c "$ROOT/tests/tune/current.ini" --json --write-ini "$WORLD/suggested.ini" \
    --ham "$WORLD/train.ham" --spam "$WORLD/train.spam" >"$WORLD/train.json" 2>"$WORLD/err"
check_eq "training: exit 0, nothing on stderr" "$?/$(cat "$WORLD/err")" "0/"
# jf FILE LIST KEY - a number from a list's object in the JSON report
jf() { grep -o "{\"name\":\"$2\"[^]]*" "$1" | grep -o "\"$3\":[^,}]*" | head -1 | cut -d: -f2 | tr -d '"'; }
# jp FILE POLICY KEY - a number from a policy's object
jp() { grep -o "{\"name\":\"$2\",\"kind\"[^}]*" "$1" | grep -o "\"$3\":[^,}]*" | cut -d: -f2; }
gt() { awk -v a="$1" -v b="$2" 'BEGIN { exit !(a > b) }'; }

ex=$(jf "$WORLD/train.json" excellent weight)
tr=$(jf "$WORLD/train.json" trial weight)
no=$(jf "$WORLD/train.json" noisy weight)
al=$(jf "$WORLD/train.json" allow weight)
gt "$ex" "$tr" && gt "$tr" "$no" && gt "$no" 0 && gt 0 "$al"
check_eq "the lists' ordering: excellent > trial > noisy > 0 > allow ($ex, $tr, $no, $al)" "$?" 0
gt "$(awk -v e="$ex" 'BEGIN { print e / 2 }')" "$no"
check_eq "the noisy dynamic-IP list gets less than half the excellent list's weight" "$?" 0
check_match "the allowlist gets a negative weight" "$al" "^-[0-9]+\.[0-9]{2}$"
check_match "the redundant list is named" "$(grep -o "{\"name\":\"redundant\"[^]]*" "$WORLD/train.json")" "\"note\":\"adds little: [0-9]+ of its [0-9]+ spam hits no other list has\""
check_eq "lines with errors= or notawaited= for a list carry no evidence about it" \
    "$(jf "$WORLD/train.json" excellent spam_lines)" \
    "$(grep -vc 'excellent:timeout\|notawaited=[a-z,]*excellent' "$WORLD/train.spam")"
sbl=$(grep -o '"value":"127.0.0.2","spam_hits":[0-9]*,"ham_hits":[0-9]*,"weight":[-0-9.]*,"own":true' "$WORLD/train.json" | sed 's/.*"weight":\([-0-9.]*\).*/\1/')
pbl=$(grep -o '"value":"127.0.0.10","spam_hits":[0-9]*,"ham_hits":[0-9]*,"weight":[-0-9.]*,"own":true' "$WORLD/train.json" | sed 's/.*"weight":\([-0-9.]*\).*/\1/')
gt "$sbl" "$pbl"
check_eq "zen's codes priced apart: SBL ($sbl) above PBL ($pbl)" "$?" 0
gt "$(jp "$WORLD/train.json" suggested+trial spam_rejected)" "$(jp "$WORLD/train.json" suggested spam_rejected)"
check_eq "the shadow list: what it would add is reported" "$?" 0

# With -c, the two changes apart: current weights at the new thresholds,
# new weights at the current thresholds.
check_eq "the weights and the thresholds, each changed alone" \
    "$(jp "$WORLD/train.json" 'current weights, new thr.' tag)/$(jp "$WORLD/train.json" 'new weights, current thr.' reject)" \
    "$(grep -o '"suggested":{"tag":[0-9.]*' "$WORLD/train.json" | cut -d: -f3)/8.00"

# The written configuration is complete and valid, with comments.
"$DNSBL_SCORE" -c "$WORLD/suggested.ini" --check-config >/dev/null 2>"$WORLD/err"
check_eq "--write-ini: dnsbl-score --check-config accepts it" "$?/$(cat "$WORLD/err")" "0/"
check_eq "--write-ini: zones and settings kept" "$(grep -c '^zone = .*\.test\.bl$' "$WORLD/suggested.ini")" 6
check_match "--write-ini: says where a weight came from" "$(grep -A1 '^\[list noisy\]' -A2 "$WORLD/suggested.ini")" \
    "; dnsbl-tune: listed [0-9]+ of [0-9]+ spam, [0-9]+ of [0-9]+ ham: log odds"
check_eq "--write-ini: the shadow list stays a shadow" "$(sed -n '/^\[list trial\]/,/^\[/p' "$WORLD/suggested.ini" | grep -c '^shadow = yes$')" 1

# Without -c, the current row is what the lines logged (gen.awk's actions
# come from thresholds 5 and 8, as in current.ini).
"$TUNE" --json --ham "$WORLD/train.ham" --spam "$WORLD/train.spam" >"$WORLD/logged.json" 2>/dev/null
check_eq "without -c: the current row counts the logged actions" \
    "$(jp "$WORLD/logged.json" 'current (as logged)' ham_rejected)/$(jp "$WORLD/logged.json" 'current (as logged)' spam_tagged)" \
    "$(jp "$WORLD/train.json" current ham_rejected)/$(jp "$WORLD/train.json" current spam_tagged)"

# -c decides: code lines written by hand stay; a list promoted since the
# lines were logged (shadow = no) is counted, whatever old lines say.
sed -e 's/^127.0.0.10 = 4$/127.0.0.10 = 4\n127.0.0.9 = 10/' -e 's/^shadow = yes$/shadow = no/' \
    "$ROOT/tests/tune/current.ini" >"$WORLD/hand.ini"
"$TUNE" -c "$WORLD/hand.ini" --json --write-ini "$WORLD/hand-suggested.ini" \
    --ham "$WORLD/train.ham" --spam "$WORLD/train.spam" >"$WORLD/hand.json" 2>/dev/null
check_eq "--write-ini: a hand-set code line the data cannot price is kept" \
    "$(sed -n '/^\[list zen\]/,/^\[/p' "$WORLD/hand-suggested.ini" | grep -cE '^127\.0\.0\.9 = 10(\.00)?$')" 1
check_eq "--write-ini: a code line the data priced is replaced, not repeated" \
    "$(sed -n '/^\[list zen\]/,/^\[/p' "$WORLD/hand-suggested.ini" | grep -c '^127\.0\.0\.10 = ')" 1
check_eq "-c says shadow = no: the list is counted" \
    "$(grep -o '{"name":"trial","shadow":[a-z]*' "$WORLD/hand.json")/$(grep -c '"name":"suggested+trial"' "$WORLD/hand.json")" \
    '{"name":"trial","shadow":false/0'

# A list no line names keeps its weight and code lines; a value -c calls an
# error is no evidence (the engine would report the list in error) and stays
# an error in the written file.
{ sed 's/^127.0.0.10 = 4$/127.0.0.10 = error/' "$ROOT/tests/tune/current.ini"
  printf '[list unseen]\nzone = unseen.test.bl\nweight = 3\n127.0.0.2 = 5\n'; } >"$WORLD/err.ini"
"$TUNE" -c "$WORLD/err.ini" --write-ini "$WORLD/err-suggested.ini" \
    --ham "$WORLD/train.ham" --spam "$WORLD/train.spam" >"$WORLD/err.out" 2>&1
check_match "a list without hits: no weight of its own" "$(grep '^unseen ' "$WORLD/err.out")" \
    "^unseen +0 +0\.00% +0 +0\.00% +[0-9.]+ +- +-  no hits: weight kept as it was$"
check_eq "--write-ini: the list without hits keeps its weight and code line" \
    "$(sed -n '/^\[list unseen\]/,/^\[/p' "$WORLD/err-suggested.ini" | grep -E '^(weight|127)' | tr '\n' ' ')" \
    "weight = 3.00 127.0.0.2 = 5.00 "
check_eq "--write-ini: an error code stays an error" \
    "$(sed -n '/^\[list zen\]/,/^\[/p' "$WORLD/err-suggested.ini" | grep -c '^127\.0\.0\.10 = error$')" 1
check_match "an error code is no evidence: zen's PBL-like ham hits are gone" "$(grep '^zen ' "$WORLD/err.out")" \
    "^zen +[0-9]+ +[0-9.]+% +[0-9] +0\.0[0-9]%"

# The suggested rows are what the written file does: run again with it as
# -c, its current row is the first run's suggested row, also when -c had
# code lines of its own (an exact value, a range over a priced value, a
# rare value), and lists the lines name that -c does not have.
awk '/^\[list excellent\]/ { print; getline; print; getline; print "127.0.0.2 = 4"; next }
     /^\[list noisy\]/ { print; getline; print; getline; print "127.0.0.8-127.0.0.15 = 6"; next }
     /^127.0.0.10 = 4$/ { print; print "127.0.0.9 = 10"; next }
     /^\[list redundant\]/ { skip = 1; next } /^\[/ { skip = 0 } !skip' \
    "$ROOT/tests/tune/current.ini" >"$WORLD/code.ini"
"$TUNE" -c "$WORLD/code.ini" --json --write-ini "$WORLD/code-s.ini" \
    --ham "$WORLD/train.ham" --spam "$WORLD/train.spam" >"$WORLD/code.json" 2>"$WORLD/code.err"
"$TUNE" -c "$WORLD/code-s.ini" --json --ham "$WORLD/train.ham" --spam "$WORLD/train.spam" \
    >"$WORLD/code2.json" 2>/dev/null
rows() { echo "$(jp "$1" "$2" ham_rejected)/$(jp "$1" "$2" ham_tagged)/$(jp "$1" "$2" spam_rejected)/$(jp "$1" "$2" spam_tagged)"; }
check_eq "the suggested row is what the written file does" "$(rows "$WORLD/code2.json" current)" \
    "$(rows "$WORLD/code.json" suggested)"
check_eq "a list the lines name but -c lacks: said on stderr" "$(cat "$WORLD/code.err")" \
    "dnsbl-tune: list redundant is in the lines but not in $WORLD/code.ini: reported, and left out of the configurations counted and written"
check_eq "--write-ini: a priced value's exact line takes the list's new weight" \
    "$(sed -n '/^\[list excellent\]/,/^\[/p' "$WORLD/code-s.ini" | grep -E '^(weight|127\.0\.0\.2) = ' | cut -d' ' -f3 | uniq | wc -l)" 1
check_eq "--write-ini: the rare value keeps its hand-set weight" \
    "$(sed -n '/^\[list zen\]/,/^\[/p' "$WORLD/code-s.ini" | grep -c '^127\.0\.0\.9 = 10\.00$')" 1

# ipv6 = no in -c: IPv6 lines say nothing of the list, in its counts and in
# every policy alike (5% of gen.awk's clients are IPv6).
sed '/^\[list noisy\]/a ipv6 = no' "$ROOT/tests/tune/current.ini" >"$WORLD/v4.ini"
"$TUNE" -c "$WORLD/v4.ini" --json --ham "$WORLD/train.ham" --spam "$WORLD/train.spam" >"$WORLD/v4.json" 2>/dev/null
check_eq "ipv6 = no: the list's hits and its single-list row agree" \
    "$(jp "$WORLD/v4.json" single:noisy ham_rejected)/$(jp "$WORLD/v4.json" single:noisy spam_rejected)" \
    "$(jf "$WORLD/v4.json" noisy ham_hits)/$(jf "$WORLD/v4.json" noisy spam_hits)"
check_le "ipv6 = no: fewer ham lines with evidence" "$(jf "$WORLD/v4.json" noisy ham_lines)" \
    "$(($(jf "$WORLD/train.json" noisy ham_lines) - 500))"

# Held-out lines, scored with the suggested configuration.
"$TUNE" -c "$WORLD/suggested.ini" --json --ham "$WORLD/test.ham" --spam "$WORLD/test.spam" \
    >"$WORLD/test.json" 2>/dev/null
fp=$(jp "$WORLD/test.json" current ham_rejected_rate)
ours=$(jp "$WORLD/test.json" current spam_rejected_rate)
check_eq "held-out: the suggested thresholds meet the 0.001 budget (got $fp)" \
    "$(jp "$WORLD/test.json" current within_fp_budget)" true
best=0
for p in $(grep -o '"name":"single:[a-z]*","kind":"single"[^}]*"within_fp_budget":true' "$WORLD/test.json" |
           sed 's/.*"spam_rejected_rate":\([0-9.]*\).*/\1/'); do
    gt "$p" "$best" && best=$p
done
gt "$ours" "$best"
check_eq "held-out: more spam rejected ($ours) than by any single list within the budget ($best)" "$?" 0
anyfp=$(jp "$WORLD/test.json" any-hit ham_rejected_rate)
anysp=$(jp "$WORLD/test.json" any-hit spam_rejected_rate)
{ [ "$(jp "$WORLD/test.json" any-hit within_fp_budget)" = false ] || gt "$ours" "$anysp"; }
check_eq "held-out: rejecting on any hit breaks the budget ($anyfp) or catches less" "$?" 0

# A sender cannot plant summary lines: Exim logs its address, which may hold
# a quoted local part like this; only the module's own lines count.
{ head -100 "$WORLD/train.ham"
  for i in $(seq 500); do
      echo "2026-11-28 10:00:00 1xT000-000000-AB <= \"x ip=198.18.0.$i score=0.00 action=accept hits=excellent:127.0.0.2:4.00 errors=\"@example.org H=(x) [198.18.0.$i] P=esmtp S=300"
  done; } >"$WORLD/planted"
"$TUNE" --ham "$WORLD/planted" --spam "$WORLD/train.spam" >"$WORLD/planted.out" 2>&1
check_match "planted lines are not read" "$(head -1 "$WORLD/planted.out")" \
    "^dnsbl-tune: 100 ham and 20000 spam lines; 0 not scored \(skip\), 0 unreadable"

# Exim logging through syslog (traditional format, syslog_timestamp = true:
# syslog's prefix, then Exim's date, time and [pid]) is read as it is.
sed 's/^/Nov 28 10:00:00 mx exim[4321]: /; s/^\(Nov 28 10:00:00 mx exim\[4321\]: [^ ]* [^ ]*\)/\1 [4321]/' \
    <(head -100 "$WORLD/train.ham") >"$WORLD/syslog"
check_match "syslog lines are read as they are" \
    "$("$TUNE" --ham "$WORLD/syslog" --spam "$WORLD/train.spam" 2>&1 | head -1)" \
    "^dnsbl-tune: 100 ham and 20000 spam lines; 0 not scored \(skip\), 0 unreadable"

# Where a summary line is read: after the prefix Exim and syslog write, and
# nowhere a sender or a logged header can put text (want: read, or not).
while read -r want line; do
    echo "$line" >"$WORLD/one"
    got=$("$TUNE" --ham "$WORLD/one" --spam "$WORLD/one" 2>&1 | head -1)
    case $got in "dnsbl-tune: 1 ham and 1 spam lines;"*) got=read ;; *) got=not ;; esac
    check_eq "line finder: ${line:0:60}" "$got" "$want"
done <<'LINES'
read 2026-11-28 10:00:00 1xXDsb-0001wx-2g dnsbl-score: ip=1.2.3.4 score=6.00 action=tag hits=zen:127.0.0.2:6.00 errors=
read 2026-11-28 10:00:00.123 +0100 [1234] 1xXDsb-0001wx-2g dnsbl-score: ip=1.2.3.4 score=6.00 action=tag hits=zen:127.0.0.2:6.00 errors=
read Nov 28 08:33:57 mx exim[1234]: 1xXDsb-0001wx-2g dnsbl-score: ip=1.2.3.4 score=6.00 action=tag hits=zen:127.0.0.2:6.00 errors=
read Nov  8 08:33:57 mx exim4[1234]: 2026-11-28 08:33:57 [1234] 1xXDsb-0001wx-2g dnsbl-score: ip=1.2.3.4 score=6.00 action=tag hits=zen:127.0.0.2:6.00 errors=
read 2026-11-28T08:33:57.123456+01:00 mx.example.org exim[1234]: 2026-11-28 08:33:57 1xXDsb-0001wx-2g dnsbl-score: ip=1.2.3.4 score=6.00 action=tag hits=zen:127.0.0.2:6.00 errors=
read 1xXDsb-0001wx-2g dnsbl-score: ip=1.2.3.4 score=6.00 action=tag hits=zen:127.0.0.2:6.00 errors=
read 2026-11-28 10:00:00 1rBPHr-00000001ZZ7-0DGh dnsbl-score: ip=1.2.3.4 score=6.00 action=tag hits=zen:127.0.0.2:6.00 errors=
not 2026-11-28 10:00:00 1xXDsa-0001wx-2g Subject: 1xXDsb-0001wx-2g dnsbl-score: ip=1.2.3.4 score=6.00 action=tag hits=evil:127.0.0.2:9.00 errors=
not F From: 1xXDsb-0001wx-2g dnsbl-score: ip=1.2.3.4 score=6.00 action=tag hits=evil:127.0.0.2:9.00 errors=
not Nov 28 10:00:00 host sshd[77]: Invalid user 1xXDsb-0001wx-2g dnsbl-score: ip=1.2.3.4 score=6.00 action=tag hits=evil:127.0.0.2:9.00 errors=
not Nov 28 10:00:00 host sshd[77]: 1xXDsb-0001wx-2g dnsbl-score: ip=1.2.3.4 score=6.00 action=tag hits=evil:127.0.0.2:9.00 errors=
not 2026-11-28 10:00:00 1xXDsa-0001wx-2g 10:00:00 1xXDsb-0001wx-2g dnsbl-score: ip=1.2.3.4 score=6.00 action=tag hits=evil:127.0.0.2:9.00 errors=
LINES

# Input as it comes: Exim's main log as it is, unlabelled lines, garbage.
{ printf 'junk\nip=\n2026-11-28 10:00:00 1xT000-000001-AB dnsbl-score: ip=1.2.3.4 score=x action=tag hits=a:b errors=\n'
  printf 'ip=192.0.2.1 score=0.00 action=skip hits= errors=\n'; head -100 "$WORLD/train.ham"; } >"$WORLD/mixed"
"$TUNE" --ham "$WORLD/mixed" --spam "$WORLD/train.spam" >"$WORLD/mixed.out" 2>&1
check_eq "mixed input: exit 0" "$?" 0
check_match "mixed input: counted, not fatal" "$(head -1 "$WORLD/mixed.out")" \
    "^dnsbl-tune: 100 ham and 20000 spam lines; 1 not scored \(skip\), 2 unreadable"
"$TUNE" --spam "$WORLD/train.spam" >/dev/null 2>"$WORLD/err"
check_eq "no ham: exit 1" "$?" 1
check_eq "no ham: says so" "$(cat "$WORLD/err")" "dnsbl-tune: no ham lines: label files with --ham and --spam"
"$TUNE" --write-ini x.ini --ham a --spam b >/dev/null 2>"$WORLD/err"
check_eq "--write-ini without -c: usage error" "$?/$(cat "$WORLD/err")" \
    "2/dnsbl-tune: --write-ini needs -c: the lists' zones come from it"
finish
