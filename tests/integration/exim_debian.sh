# exim_debian.sh - the snippets for Debian's split configuration, in the
# configuration Debian's own update-exim4.conf generates from a copy of this
# machine's /etc/exim4 with exim-conf/debian/conf.d/main/00_dnsbl-score
# added and exim-conf/acl-rcpt.conf as CHECK_RCPT_LOCAL_ACL_FILE. Checked
# with exim -bh: the RCPT-time reject, and local_scan's log line at DATA.
# (The recipient is nobody@localhost: Debian accepts postmaster before any
# check, as RFC 5321 wants.)
# once
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/lib-exim.sh"
need_root "exim -C"
world_start
exim_setup "$(conf exim.ini)"
cp -a /etc/exim4 "$WORLD/etc-exim4"
# The snippet as shipped, but for where the ACL file is (exim -D cannot set
# CHECK_RCPT_LOCAL_ACL_FILE: Exim cuts -D macro names at 23 characters).
sed "s|/etc/exim4/dnsbl-score-rcpt.acl|$ROOT/exim-conf/acl-rcpt.conf|; s|/etc/exim4/dnsbl-score-data.acl|$ROOT/exim-conf/acl-data-skip.conf|" \
    "$ROOT/exim-conf/debian/conf.d/main/00_dnsbl-score" >"$WORLD/etc-exim4/conf.d/main/00_dnsbl-score"
# Debian's generator reads conf.d when the split configuration is chosen.
sed -i "s/^dc_use_split_config=.*/dc_use_split_config='true'/; s/^dc_relay_nets=.*/dc_relay_nets='127.0.0.21'/" \
    "$WORLD/etc-exim4/update-exim4.conf.conf"
update-exim4.conf -d "$WORLD/etc-exim4" -o "$WORLD/debian.conf" >"$WORLD/update.out" 2>&1
check_eq "update-exim4.conf takes the snippet" "$?/$(cat "$WORLD/update.out")" "0/"
check_eq "the generated configuration loads the module" \
    "$(grep -c '^local_scan_path = DNSBL_SCORE_SO$' "$WORLD/debian.conf")" 1

deb=(exim -C "$WORLD/debian.conf" "-DDNSBL_SCORE_SO=$EX/dnsbl-score.so"
     "-DDNSBL_SCORE_INI=$EX/dnsbl-score.ini")
"${deb[@]}" -bV >"$WORLD/bv.out" 2>&1
check_eq "exim -bV accepts the generated configuration" "$?" 0

bh() {
    printf 'EHLO client.example\r\nMAIL FROM:<sender@example.org>\r\nRCPT TO:<%s>\r\nDATA\r\nSubject: t\r\n\r\nHello.\r\n.\r\nQUIT\r\n' \
        "${2:-nobody@localhost}" | "${deb[@]}" -bh "$1" >"$WORLD/smtp.out" 2>"$WORLD/bh.err"
}
bh 127.0.0.22
check_eq "Debian config: reject at RCPT" "$(reply 4)" \
    "550 Rejected: 127.0.0.22 scores 10.00 on DNS blocklists (listed by zen, spamcop; reject threshold 10.00) - see https://dnsbl.test.example/?ip=127.0.0.22"
bh 127.0.0.20
check_eq "Debian config: tag client accepted at RCPT" "$(reply 4)" "250 Accepted"
check_match "Debian config: local_scan's log line" "$(grep -h 'dnsbl-score: ip=' "$WORLD/bh.err")" \
    "dnsbl-score: ip=127.0.0.20 score=6.00 action=tag hits=zen:127.0.0.2:6.00 errors=$"
# A relay client (dc_relay_nets) at a defer-level address: Debian accepts it
# before the RCPT hook; the DATA hook marks it, so local_scan skips it too.
bh 127.0.0.21
check_eq "Debian config, relay client: accepted at RCPT" "$(reply 4)" "250 Accepted"
check_eq "Debian config, relay client: accepted after DATA" "$(reply data | cut -c1-3)" 250
check_eq "Debian config, relay client: not scored" "$(grep -c 'dnsbl-score: ip=' "$WORLD/bh.err")" 0
# Debian accepts postmaster before any check; local_scan does not refuse it.
bh 127.0.0.22 postmaster@localhost
check_eq "Debian config, postmaster: accepted at RCPT" "$(reply 4)" "250 Accepted"
check_eq "Debian config, postmaster: accepted after DATA" "$(reply data | cut -c1-3)" 250
check_match "Debian config, postmaster: why" "$(grep -h 'dnsbl-score: not refused' "$WORLD/bh.err")" \
    "every recipient is a postmaster"
finish
