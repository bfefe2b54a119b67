# exim.sh - the module in Debian's real Exim (exim4-daemon-heavy), loaded
# with local_scan_path, with the ACL function at RCPT time: replies, headers,
# log lines; local and authenticated senders; forged headers; a broken INI
# with on_error accept and defer; a dead list; Exim's local_scan_timeout; a
# real daemon with swaks. Run again by exim_builtin.sh with an Exim built
# from source with the module compiled in (EXIM, EXIM_DEFS).
# once
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/lib-exim.sh"
need_root "exim -C"
world_start
relay_start "$WORLD/relay.log" dead.test.bl=drop hostile.test.bl=hostile
ini=$(conf exim.ini "$RELAY_PORT")

# --- DATA-time scoring (local_scan only) -------------------------------------
exim_setup "$ini" NO_RCPT_SCORING=1

clear_exim
exim_bs 192.0.2.13
check_eq "accept: delivered" "$(reply data | cut -c1-6)" "250 OK"
check_eq "accept: score header" "$(header X-DNSBL-Score)" "0.50 (accept)"
check_eq "accept: report header" "$(header X-DNSBL-Report)" \
    "ip=192.0.2.13 score=0.50 action=accept hits=zen:127.0.0.10:0.50 errors="
check_eq "accept: no flag header added (the message's own is left)" "$(count_headers X-Spam-Flag)/$(header X-Spam-Flag)" "1/NO"
check_match "accept: one log line, next to the message id" "$(mainlog_module)" \
    "^[0-9A-Za-z]{6}-[0-9A-Za-z]{6}-[0-9A-Za-z]{2} dnsbl-score: ip=192.0.2.13 score=0.50 action=accept hits=zen:127.0.0.10:0.50 errors=$"

clear_exim
exim_bs 192.0.2.10
check_eq "tag: delivered" "$(reply data | cut -c1-6)" "250 OK"
check_eq "tag: score header" "$(header X-DNSBL-Score)" "6.00 (tag)"
check_eq "tag: report header" "$(header X-DNSBL-Report)" \
    "ip=192.0.2.10 score=6.00 action=tag hits=zen:127.0.0.2:6.00 errors="
check_eq "tag: flag header" "$(header X-Spam-Flag)" "YES"
check_eq "forged copies removed: one score header" "$(count_headers X-DNSBL-Score)" 1
check_eq "forged copies removed: one report header" "$(count_headers X-DNSBL-Report)" 1
check_eq "forged copies removed: one flag header" "$(count_headers X-Spam-Flag)" 1

clear_exim
exim_bs 192.0.2.11
check_eq "defer at DATA: 451 with the reason" "$(reply data)" \
    "451 Deferred: 192.0.2.11 scores 8.00 on DNS blocklists (listed by zen, spamcop; defer threshold 8.00); try again later - see https://dnsbl.test.example/?ip=192.0.2.11"
check_eq "defer: nothing delivered" "$(test -s "$EX/mail/inbox" && echo delivered)" ""
check_match "defer: logged" "$(mainlog_module)" "dnsbl-score: ip=192.0.2.11 score=8.00 action=defer hits=zen:127.0.0.4:4.00,spamcop:127.0.0.2:4.00 errors="

clear_exim
exim_bs 127.0.0.22
check_eq "reject at DATA: 550 with score, threshold, lists, URL" "$(reply data)" \
    "550 Rejected: 127.0.0.22 scores 10.00 on DNS blocklists (listed by zen, spamcop; reject threshold 10.00) - see https://dnsbl.test.example/?ip=127.0.0.22"
check_eq "reject: no zone in the reply" "$(grep -c 'test\.bl' "$WORLD/smtp.out")" 0
check_match "reject: Exim logs the rejection" "$(cat "$EX/log/rejectlog")" "rejected by local_scan\(\): Rejected: 127.0.0.22 scores 10.00"

clear_exim
exim_bs ""
check_eq "local submission: delivered" "$(reply data | cut -c1-6)" "250 OK"
check_eq "local submission: nothing added, its own headers left" \
    "$(count_headers X-DNSBL-Score)$(count_headers X-DNSBL-Report)/$(header X-DNSBL-Score)" "11/-100.00 (accept)"
check_eq "local submission: no log line" "$(mainlog_module)" ""

clear_exim
exim_bs 10.1.2.3
check_eq "skip network: delivered" "$(reply data | cut -c1-6)" "250 OK"
check_eq "skip network: the report says why" "$(header X-DNSBL-Report)" \
    "ip=10.1.2.3 score=0.00 action=skip hits= errors= skip=10.0.0.0/8"
check_eq "skip network: the message's own headers kept (a content filter handing mail back)" \
    "$(count_headers X-DNSBL-Score)/$(header X-DNSBL-Score)" "1/-100.00 (accept)"

# An authenticated client at a reject-level address: not scored.
clear_exim
exim_auth_bs 127.0.0.22
check_eq "authenticated: AUTH accepted" "$(reply 3 | cut -c1-3)" 235
check_eq "authenticated: delivered" "$(reply data | cut -c1-6)" "250 OK"
check_eq "authenticated: the report says why" "$(header X-DNSBL-Report)" \
    "ip=127.0.0.22 score=0.00 action=skip hits= errors= skip=authenticated"

# Mail to postmaster only is never refused (RFC 5321): a listed sender must be
# able to reach it. It is scored and logged all the same.
clear_exim
exim_bs 127.0.0.22 postmaster@test.example
check_eq "postmaster only: delivered despite a reject score" "$(reply data | cut -c1-6)" "250 OK"
check_eq "postmaster only: scored and flagged" "$(header X-DNSBL-Score) / $(header X-Spam-Flag)" "10.00 (reject) / YES"
check_match "postmaster only: the log says why it was not refused" "$(mainlog_module)" \
    "dnsbl-score: not refused: every recipient is a postmaster"
clear_exim
exim_bs 127.0.0.22 postmaster@test.example user@test.example
check_eq "postmaster and another recipient: refused" "$(reply data | cut -c1-4)" "550 "


# --- RCPT-time scoring (the ACL function), then local_scan ---------------------
exim_setup "$ini"

clear_exim
exim_bs 127.0.0.22 a@test.example b@test.example
check_eq "ACL reject at RCPT" "$(reply 4)" \
    "550 Rejected: 127.0.0.22 scores 10.00 on DNS blocklists (listed by zen, spamcop; reject threshold 10.00) - see https://dnsbl.test.example/?ip=127.0.0.22"
check_eq "ACL reject, second recipient too" "$(reply 5 | cut -c1-4)" "550 "

clear_exim
exim_bs 192.0.2.11
check_eq "ACL defer at RCPT" "$(reply 4)" \
    "451 Deferred: 192.0.2.11 scores 8.00 on DNS blocklists (listed by zen, spamcop; defer threshold 8.00); try again later - see https://dnsbl.test.example/?ip=192.0.2.11"

# Scored at RCPT for two recipients, then by local_scan at DATA: the lists
# are asked once, as the relay in front of rbldnsd sees it.
clear_exim
n0=$(grep -c ' recv 20.0.0.127.' "$WORLD/relay.log")
exim_bs 127.0.0.20 a@test.example b@test.example
check_eq "ACL tag: both recipients accepted" "$(reply 4)/$(reply 5)" "250 Accepted/250 Accepted"
check_eq "ACL tag: delivered with the headers" "$(header X-DNSBL-Score)" "6.00 (tag)"
check_eq "RCPT-time result reused: each list asked once in the process" \
    "$(($(grep -c ' recv 20.0.0.127.' "$WORLD/relay.log") - n0))" 2

# Relay clients (relay_from_hosts): not scored at RCPT (acl-rcpt.conf marks
# them with acl_m_dnsbl_skip), nor by local_scan, which says why.
exim_setup "$ini" RELAY_HOSTS=127.0.0.22
clear_exim
exim_bs 127.0.0.22
check_eq "relay client: RCPT accepted" "$(reply 4)" "250 Accepted"
check_eq "relay client: delivered" "$(reply data | cut -c1-6)" "250 OK"
check_eq "relay client: the report says why" "$(header X-DNSBL-Report)" \
    "ip=127.0.0.22 score=0.00 action=skip hits= errors= skip=relay"

# --- no local_scan: the DATA ACL does its work (acl-data.conf) -----------------
exim_setup "$ini" ACL_ONLY=1 NO_RCPT_SCORING=1
clear_exim
exim_bs 192.0.2.10
check_eq "ACL only, tag: delivered" "$(reply data | cut -c1-6)" "250 OK"
check_eq "ACL only, tag: headers" "$(header X-DNSBL-Score) / $(header X-Spam-Flag)" "6.00 (tag) / YES"
check_eq "ACL only, tag: report" "$(header X-DNSBL-Report)" \
    "ip=192.0.2.10 score=6.00 action=tag hits=zen:127.0.0.2:6.00 errors="
check_eq "ACL only: forged copies removed" \
    "$(count_headers X-DNSBL-Score)$(count_headers X-DNSBL-Report)$(count_headers X-Spam-Flag)" "111"
check_match "ACL only: the summary line in the log" "$(mainlog_module)" \
    "dnsbl-score: ip=192.0.2.10 score=6.00 action=tag hits=zen:127.0.0.2:6.00 errors=$"
clear_exim
exim_bs 127.0.0.22
check_eq "ACL only, reject after DATA" "$(reply data)" \
    "550 Rejected: 127.0.0.22 scores 10.00 on DNS blocklists (listed by zen, spamcop; reject threshold 10.00) - see https://dnsbl.test.example/?ip=127.0.0.22"
clear_exim
exim_bs 192.0.2.13
check_eq "ACL only, accept: headers" "$(header X-DNSBL-Score) / $(header X-Spam-Flag)" "0.50 (accept) / NO"
clear_exim
exim_bs 127.0.0.22 postmaster@test.example
check_eq "ACL only, postmaster only: delivered despite a reject score" "$(reply data | cut -c1-6)" "250 OK"
check_eq "ACL only, postmaster only: scored and flagged" "$(header X-DNSBL-Score) / $(header X-Spam-Flag)" \
    "10.00 (reject) / YES"
clear_exim
exim_bs 10.1.2.3
check_eq "ACL only, skip network: its own headers kept" "$(header X-DNSBL-Score)" "-100.00 (accept)"

# --- the module's own trouble -------------------------------------------------
sed 's/@ONERROR@/accept/' "$ROOT/tests/integration/conf/exim-bad.ini" >"$WORLD/bad-accept.ini"
exim_setup "$WORLD/bad-accept.ini"
clear_exim
exim_bs 192.0.2.10
check_eq "broken INI, on_error = accept: RCPT accepted" "$(reply 4)" "250 Accepted"
check_eq "broken INI, on_error = accept: delivered" "$(reply data | cut -c1-6)" "250 OK"
check_eq "broken INI, on_error = accept: no score headers" "$(count_headers X-DNSBL-Score)" 0
check_match "broken INI: FILE:LINE in the log" "$(mainlog_module)" \
    "dnsbl-score: $EX/dnsbl-score.ini:7: unknown key 'wieght' in \[list zen\]; did you mean 'weight'\?"
check_match "broken INI: what happens to messages" "$(mainlog_module)" \
    "dnsbl-score: $EX/dnsbl-score.ini: the configuration is invalid; messages are accepted unscored \(on_error = accept\)"
check_match "broken INI: a line per message" "$(mainlog_module)" \
    "dnsbl-score: message not scored: the configuration is invalid \(on_error = accept\)"

sed 's/@ONERROR@/defer/' "$ROOT/tests/integration/conf/exim-bad.ini" >"$WORLD/bad-defer.ini"
exim_setup "$WORLD/bad-defer.ini"
clear_exim
exim_bs 192.0.2.13
check_eq "broken INI, on_error = defer: 451 at RCPT" "$(reply 4)" \
    "451 Temporary local problem: the DNS blocklist check is unavailable; try again later"
exim_setup "$WORLD/bad-defer.ini" NO_RCPT_SCORING=1
clear_exim
exim_bs 192.0.2.13
check_eq "broken INI, on_error = defer: 451 at DATA" "$(reply data)" \
    "451 Temporary local problem: the DNS blocklist check is unavailable; try again later"
# ...but an authenticated user is not scored at all, so not deferred either.
clear_exim
exim_auth_bs 192.0.2.13
check_eq "broken INI, on_error = defer: an authenticated user is delivered" "$(reply data | cut -c1-6)" "250 OK"
# ...nor is a client in the built-in skip networks (a content filter on 127.0.0.1).
clear_exim
exim_bs 127.0.0.1
check_eq "broken INI, on_error = defer: 127.0.0.1 is delivered" "$(reply data | cut -c1-6)" "250 OK"
check_eq "broken INI: 127.0.0.1 is skipped" "$(header X-DNSBL-Report)" \
    "ip=127.0.0.1 score=0.00 action=skip hits= errors= skip=127.0.0.0/8"
# ...and at RCPT time (the ACL function) too.
exim_setup "$WORLD/bad-defer.ini"
clear_exim
exim_auth_bs 192.0.2.13
check_eq "broken INI, on_error = defer: an authenticated user passes RCPT" "$(reply 5)" "250 Accepted"

# The INI unreadable by the Exim user (local_scan runs as Debian-exim).
exim_setup "$ini" NO_RCPT_SCORING=1
chmod 600 "$EX/dnsbl-score.ini"
clear_exim
exim_bs 192.0.2.10
check_eq "unreadable INI: delivered (on_error = accept)" "$(reply data | cut -c1-6)" "250 OK"
check_match "unreadable INI: the log says so" "$(mainlog_module)" \
    "dnsbl-score: $EX/dnsbl-score.ini: cannot open: Permission denied"

# A dead list: within the budget, the other lists count.
exim_setup "$(conf exim-dead.ini "$RELAY_PORT")" NO_RCPT_SCORING=1
clear_exim
t0=$(ms_now)
exim_bs 127.0.0.20
took=$(($(ms_now) - t0))
check_eq "dead list: delivered" "$(reply data | cut -c1-6)" "250 OK"
check_eq "dead list: reported, not counted" "$(header X-DNSBL-Report)" \
    "ip=127.0.0.20 score=6.00 action=tag hits=zen:127.0.0.2:6.00 errors=dead:timeout"
check_le "dead list: the session costs at most the 1 s budget and Exim's own work (ms)" "$took" 2500

# Exim's local_scan_timeout shorter than the budget: the module cuts its budget
# to fit and never meets Exim's alarm (a 421 to the sender).
sed 's/^timeout_ms = 1000/timeout_ms = 8000/' "$(conf exim-dead.ini "$RELAY_PORT")" >"$WORLD/long.ini"
exim_setup "$WORLD/long.ini" NO_RCPT_SCORING=1 SCAN_TIMEOUT=2s
clear_exim
t0=$(ms_now)
exim_bs 127.0.0.20
took=$(($(ms_now) - t0))
check_eq "short local_scan_timeout: delivered, no 421" "$(reply data | cut -c1-6)" "250 OK"
check_eq "short local_scan_timeout: the dead list timed out" "$(header X-DNSBL-Report)" \
    "ip=127.0.0.20 score=6.00 action=tag hits=zen:127.0.0.2:6.00 errors=dead:timeout"
check_match "short local_scan_timeout: the log says so" "$(mainlog_module)" \
    "dnsbl-score: warning: local_scan_timeout leaves [0-9]+ ms, less than timeout_ms \(8000\)"
check_le "short local_scan_timeout: within Exim's 2 s (ms)" "$took" 2000

# --- lists that lie ------------------------------------------------------------
# A list listing the whole Internet (weight 50, reject at 10) rejects nothing;
# it is reported, and logged once per process, here for two messages.
exim_setup "$(conf exim-liar.ini "$RELAY_PORT")" NO_RCPT_SCORING=1
clear_exim
{ smtp_dialog | sed '$d'; smtp_dialog | tail -n +2; } |
    "$EXIM" "${EXIM_ARGS[@]}" -odi -bs -oMa 198.18.0.1 -oMi 127.0.0.1 >"$WORLD/smtp.out" 2>&1
check_eq "lying list: both messages delivered" "$(replies "$WORLD/smtp.out" | grep -c '^250 OK id=')" 2
check_eq "lying list: reported, not counted" "$(header X-DNSBL-Report)" \
    "ip=198.18.0.1 score=4.00 action=accept hits=hostile:127.0.0.2:4.00 errors=everything:lying"
check_eq "lying list: the warning, once in the process" "$(mainlog_module | grep -c 'list everything is lying: it lists 127.0.0.1')" 1

# Hostile TXT records in a reply (reply_txt = yes): cleaned, one line.
clear_exim
exim_bs 127.0.0.22
want='Listed X-Injected: yes <script>??[31m??? caf??'
want="$want$(printf 'C%.0s' $(seq $((197 - ${#want}))))..."
check_eq "hostile TXT in the 550: cleaned and bounded" "$(reply data)" \
    "550 Rejected: 127.0.0.22 scores 10.00 on DNS blocklists (listed by zen, hostile; reject threshold 10.00) - hostile: $want"
check_eq "hostile TXT: nothing injected into the reply" "$(grep -c '^X-Injected' "$WORLD/smtp.out")" 0
check_eq "hostile TXT: no control byte or byte above 127 in the reply" \
    "$(tr -d '\r' <"$WORLD/smtp.out" | LC_ALL=C grep -c '[^[:print:]]')" 0

# --- a real daemon on 127.0.0.1, swaks from chosen 127.x addresses -------------
exim_setup "$ini"
clear_exim
exim_daemon
sw() { swaks --server "127.0.0.1:$PORT" --local-interface "$1" --from sender@example.org \
       --to user@test.example --header 'X-DNSBL-Score: -99 (forged)' --silent 2 >"$WORLD/swaks.out" 2>&1; }
sw 127.0.0.20
check_eq "daemon, tag client: swaks succeeds" "$?" 0
sleep 0.5
check_eq "daemon, tag client: headers" "$(header X-DNSBL-Score) / $(header X-Spam-Flag)" "6.00 (tag) / YES"
check_eq "daemon, forged header removed" "$(count_headers X-DNSBL-Score)" 1
sw 127.0.0.22
check_eq "daemon, reject client: swaks fails at RCPT (24)" "$?" 24
check_eq "daemon, reject client: the reply" "$(sed -n 's/^<\*\* //p' "$WORLD/swaks.out" >"$WORLD/r"; replies "$WORLD/r")" \
    "550 Rejected: 127.0.0.22 scores 10.00 on DNS blocklists (listed by zen, spamcop; reject threshold 10.00) - see https://dnsbl.test.example/?ip=127.0.0.22"
sw 127.0.0.23
check_eq "daemon, accept client: swaks succeeds" "$?" 0
# dnsbl-tune reads what the real daemon logged (message ids, maybe [pid]s)
cp "$EX/log/mainlog" "$WORLD/daemon.log"
check_match "dnsbl-tune reads the daemon's main log" \
    "$("$ROOT/build/dnsbl-tune" -c "$ini" --ham "$WORLD/daemon.log" --spam "$WORLD/daemon.log" 2>&1)" \
    "dnsbl-tune: 2 ham and 2 spam lines; 0 not scored \(skip\), 0 unreadable"
check_eq "daemon: panic log empty" "$(cat "$EX/log/paniclog" 2>/dev/null)" ""
finish
