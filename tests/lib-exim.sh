# lib-exim.sh - driving a real Exim (Debian's exim4-daemon-heavy, or one
# built from source) with exim-conf/minimal.conf, for the integration tests.
# Source after lib.sh. Needs root: exim -C keeps root privilege only for root.

EXIM=${EXIM:-exim}      # the binary under test
EXIM_DEFS=${EXIM_DEFS:-} # more -D macros (e.g. -DBUILTIN)

# exim_setup INI [MACRO=VALUE...] - a private spool, log and mailbox in
# $WORLD/exim, the module and INI where the Exim user can read them.
exim_setup() {
    local ini=$1
    shift
    EX=${EX_DIR:-$WORLD/exim}
    rm -rf "$EX"
    mkdir -p "$EX/spool" "$EX/log" "$EX/mail"
    chown Debian-exim:Debian-exim "$EX/spool" "$EX/log" "$EX/mail"
    chmod 755 "$EX"
    cp "$ROOT/build/dnsbl-score.so" "$EX/dnsbl-score.so"
    chmod 644 "$EX/dnsbl-score.so"
    # As `make install` leaves it: root-owned, readable by the Exim group only.
    if [ -e "$ini" ]; then
        cp "$ini" "$EX/dnsbl-score.ini"
        chown root:Debian-exim "$EX/dnsbl-score.ini"
        chmod 640 "$EX/dnsbl-score.ini"
    fi
    EXIM_ARGS=(-C "$ROOT/exim-conf/minimal.conf" "-DTESTDIR=$EX" "-DEXIM_CONF=$ROOT/exim-conf"
               "-DDNSBL_SCORE_SO=$EX/dnsbl-score.so" "-DDNSBL_SCORE_INI=$EX/dnsbl-score.ini" $EXIM_DEFS)
    local m
    for m in "$@"; do EXIM_ARGS+=("-D$m"); done
}

# smtp_dialog [RCPT...] - an SMTP session sending one message, on stdout
smtp_dialog() {
    local r
    printf 'EHLO client.example\r\nMAIL FROM:<sender@example.org>\r\n'
    for r in "${@:-user@test.example}"; do printf 'RCPT TO:<%s>\r\n' "$r"; done
    printf 'DATA\r\nSubject: test\r\nX-DNSBL-Score: -100.00 (accept)\r\nX-DNSBL-Report: forged\r\n'
    printf 'X-Spam-Flag: NO\r\n\r\nHello.\r\n.\r\nQUIT\r\n'
}

# exim_bs ADDR [RCPT...] - one session as if from client ADDR ("" for a
# local submission); the transcript in $WORLD/smtp.out
exim_bs() {
    local addr=$1
    shift
    local from=()
    [ -n "$addr" ] && from=(-oMa "$addr" -oMi 127.0.0.1)
    smtp_dialog "$@" | "$EXIM" "${EXIM_ARGS[@]}" -odi -bs "${from[@]}" >"$WORLD/smtp.out" 2>&1
}

# exim_auth_bs ADDR - exim_bs, the client authenticating first (AUTH PLAIN
# as alice, minimal.conf's test account)
exim_auth_bs() {
    { printf 'EHLO client.example\r\nAUTH PLAIN %s\r\n' "$(printf '\0alice\0secret' | base64)"
      smtp_dialog | tail -n +2; } |
        "$EXIM" "${EXIM_ARGS[@]}" -odi -bs -oMa "$1" -oMi 127.0.0.1 >"$WORLD/smtp.out" 2>&1
}

# exim_daemon [OPTION...] - an Exim daemon on a free port of 127.0.0.1 with
# the exim_setup configuration (and OPTIONs, e.g. -odq); its port in PORT
exim_daemon() {
    PORT=$(free_port)
    "$EXIM" "${EXIM_ARGS[@]}" -bdf -oX "$PORT" -oP "$EX/daemon.pid" "$@" >/dev/null 2>&1 &
    PIDS+=($!)
    wait_tcp "$PORT"
}

# replies FILE - each SMTP reply on one line: the lines of a multi-line reply
# ("550-a", "550 b") joined with spaces ("550 a b"); Exim wraps long ACL
# messages at spaces, so this gives the text back as it was written.
replies() {
    tr -d '\r' <"$1" | awk '
        /^[0-9][0-9][0-9]-/ { part = part (part == "" ? "" : " ") substr($0, 5); next }
        /^[0-9][0-9][0-9]( |$)/ { if (part != "") { print substr($0, 1, 4) part " " substr($0, 5) }
                                  else print; part = "" }'
}

# reply N - the Nth reply of the last session (1: greeting, 2: EHLO,
# 3: MAIL, 4: first RCPT, ...); reply data - the one after the dot
reply() {
    local lines
    lines=$(replies "$WORLD/smtp.out")
    if [ "$1" = data ]; then
        echo "$lines" | grep -A1 '^354 ' | sed -n 2p
    else
        echo "$lines" | sed -n "${1}p"
    fi
}

# header NAME - the unfolded value of a header in the last delivered message
header() {
    awk -v name="$1" '
        /^From / { h = 1; val = ""; got = 0; next }
        h && /^$/ { h = 0 }
        h && /^[ \t]/ && cur == name { val = val " " substr($0, 2); next }
        h && /^[^ \t]/ { split($0, p, ":"); cur = p[1]
                         if (cur == name) { got = 1; val = substr($0, length(name) + 3) } }
        END { if (got) print val }' "$EX/mail/inbox" 2>/dev/null
}

# count_headers NAME - how many such headers the last delivered message has
count_headers() {
    awk -v name="$1" '/^From / { h = 1; n = 0; next } h && /^$/ { h = 0 }
        h && index($0, name ":") == 1 { n++ } END { print n + 0 }' "$EX/mail/inbox" 2>/dev/null
}

# mainlog_module - the module's lines in the main log, without the timestamp
mainlog_module() {
    grep -h 'dnsbl-score:' "$EX/log/mainlog" 2>/dev/null | cut -d' ' -f3-
}

# clear_exim - forget the last message and log lines
clear_exim() {
    [ -f "$EX/log/mainlog" ] && : >"$EX/log/mainlog"
    rm -f "$EX/mail/inbox"
}
