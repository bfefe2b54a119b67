# load.sh - a real Exim daemon with the module on 127.0.0.1, 2000 messages
# over 20 concurrent connections from a mix of clients (clean, tag, defer,
# reject), every answer 20 ms late and a tenth of one list's queries lost.
# Afterwards every message is accounted for (delivered with its headers, or
# refused at RCPT with the code and text its score says), the panic log is
# empty, the module never crashed; and a connection sending 500 messages
# does not grow in memory or open files. Figures go to build/load/figures
# (docs/RELIABILITY.md).
# once
. "$(dirname "$0")/../lib.sh"
. "$ROOT/tests/lib-exim.sh"
need_root "exim -C"
FIG=$ROOT/build/load/figures
mkdir -p "$(dirname "$FIG")"
: >"$FIG"
world_start
RELAY_DELAY=20 relay_start "$WORLD/relay.log" spamcop.test.bl=loss:10
sed 's/^early_verdict = no .*/early_verdict = yes/' "$(conf exim.ini "$RELAY_PORT")" >"$WORLD/load.ini"
exim_setup "$WORLD/load.ini"
clear_exim
exim_daemon

t0=$(ms_now)
"$ROOT/build/tests/smtpload" -s "127.0.0.1:$PORT" -c 20 -n 2000 -m 25 \
    -b 127.0.0.30,127.0.0.20,127.0.0.23,127.0.0.21,127.0.0.22 -o "$WORLD/outcomes" >"$WORLD/load.out"
check_eq "smtpload: every message got an answer" "$?" 0
took=$(($(ms_now) - t0))
# Wait for the deliveries to finish (each received message is delivered by
# its own process), 30 s at most.
for i in $(seq 300); do
    [ "$("$EXIM" "${EXIM_ARGS[@]}" -bpc 2>/dev/null)" = 0 ] && break
    sleep 0.1
done
queued=$("$EXIM" "${EXIM_ARGS[@]}" -bpc 2>/dev/null)
check_eq "the queue drained" "$queued" 0
[ "$queued" = 0 ] || grep ' == \| \*\* ' "$EX/log/mainlog" | head -5 >&2 # why a delivery waits

# The outcomes: delivered (250 after DATA), or refused at RCPT with a reason.
check_eq "2000 outcomes" "$(wc -l <"$WORLD/outcomes")" 2000
check_eq "only 250 after DATA, 451 and 550 at RCPT" \
    "$(awk '!(($3 == "data" && $4 == 250) || ($3 == "rcpt" && ($4 == 451 || $4 == 550)))' "$WORLD/outcomes" | head -3)" ""
check_eq "every 451 a DNSBL defer" \
    "$(awk '$4 == 451' "$WORLD/outcomes" | grep -vc '^[0-9]* \([0-9.]*\) rcpt 451 Deferred: \1 scores [0-9.]* on DNS blocklists')" 0
check_eq "every 550 a DNSBL reject" \
    "$(awk '$4 == 550' "$WORLD/outcomes" | grep -vc '^[0-9]* \([0-9.]*\) rcpt 550 Rejected: \1 scores [0-9.]* on DNS blocklists')" 0
check_eq "the clean and tag-level clients are never refused" \
    "$(awk '($2 == "127.0.0.30" || $2 == "127.0.0.20") && $4 != 250' "$WORLD/outcomes" | wc -l)" 0
check_eq "the reject-level client is never delivered" \
    "$(awk '$2 == "127.0.0.22" && $4 == 250' "$WORLD/outcomes" | wc -l)" 0
accepted=$(awk '$4 == 250' "$WORLD/outcomes" | wc -l)
delivered=$(grep -c '^X-Load-Seq: ' "$EX/mail/inbox")
check_eq "every accepted message delivered, once" \
    "$delivered/$(grep '^X-Load-Seq: ' "$EX/mail/inbox" | sort -u | wc -l)" "$accepted/$accepted"
# Each delivered message has its score headers, and its seq was accepted.
check_eq "every delivered message has its score header" "$(grep -c '^X-DNSBL-Score: ' "$EX/mail/inbox")" "$delivered"
awk '$4 == 250 { print $1 }' "$WORLD/outcomes" | sort >"$WORLD/acc"
grep '^X-Load-Seq: ' "$EX/mail/inbox" | cut -d' ' -f2 | sort >"$WORLD/del"
check_eq "the delivered messages are exactly the accepted ones" "$(comm -3 "$WORLD/acc" "$WORLD/del" | wc -l)" 0
check_eq "the panic log is empty" "$(cat "$EX/log/paniclog" 2>/dev/null)" ""
check_eq "no failure of the module in the main log" \
    "$(grep -ci 'local_scan() library failure\|local_scan() function crashed\|signal 11\|SIGSEGV\|SIGABRT\|dlfunc.*fail' "$EX/log/mainlog")" 0
lost=$(grep -c 'recv .*spamcop' "$WORLD/relay.log")
{
    echo "load.messages=2000"
    echo "load.seconds=$(awk -v t="$took" 'BEGIN { printf "%.1f", t / 1000 }')"
    echo "load.rate=$(awk -v t="$took" 'BEGIN { printf "%.0f", 2000000 / t }')"
    echo "load.delivered=$delivered"
    echo "load.deferred=$(awk '$4 == 451' "$WORLD/outcomes" | wc -l)"
    echo "load.rejected=$(awk '$4 == 550' "$WORLD/outcomes" | wc -l)"
    echo "load.spamcop_queries=$lost"
    echo "load.timeouts=$(grep -c 'errors=.*spamcop:timeout' "$EX/log/mainlog")"
} >>"$FIG"

# One connection, 500 messages: memory and open files after the 10th and the
# 500th. An exim -bs process fed through a FIFO, as if from 127.0.0.20.
exim_setup "$WORLD/load.ini" NO_RCPT_SCORING=1
clear_exim
mkfifo "$WORLD/fifo"
"$EXIM" "${EXIM_ARGS[@]}" -odq -bs -oMa 127.0.0.20 -oMi 127.0.0.1 <"$WORLD/fifo" >"$WORLD/long.out" 2>&1 &
pid=$!
exec 9>"$WORLD/fifo"
printf 'EHLO client.example\r\n' >&9
snap() { # after N accepted messages, idle: "RSS_kB FDS" (the fewest of three
          # looks, so that a spool file of the message just taken is not counted)
    local fds n
    for i in $(seq 600); do [ "$(grep -c '^250 OK id=' "$WORLD/long.out")" -ge "$1" ] && break; sleep 0.05; done
    fds=$(for i in 1 2 3; do sleep 0.1; ls "/proc/$pid/fd" | wc -l; done | sort -n | head -1)
    echo "$(awk '/^VmRSS/ { print $2 }' "/proc/$pid/status") $fds"
}
for i in $(seq 10); do smtp_dialog | sed '1d;$d' >&9; done
read -r rss10 fd10 < <(snap 10)
for i in $(seq 11 500); do smtp_dialog | sed '1d;$d' >&9; done
read -r rss500 fd500 < <(snap 500)
printf 'QUIT\r\n' >&9
exec 9>&-
wait "$pid"
check_eq "500 messages on one connection: all accepted" "$(grep -c '^250 OK id=' "$WORLD/long.out")" 500
check_le "500 messages: no open file gained" "$fd500" "$fd10"
check_le "500 messages: memory gained from the 10th to the 500th (kB)" "$((rss500 - rss10))" 256
{
    echo "long.rss10=$rss10"
    echo "long.rss500=$rss500"
    echo "long.fd10=$fd10"
    echo "long.fd500=$fd500"
} >>"$FIG"
cat "$FIG"
finish
