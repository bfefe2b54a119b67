#!/usr/bin/env bash
# latency.sh - the latency part of `make bench`, run by bench/run inside a
# private network namespace (unshare --net --mount): rbldnsd on 127.0.0.1:5300,
# tests/dnsrelay on 127.0.0.1:53 delaying every answer by 50 ms (and
# dropping dead.bench.bl), and this namespace's own resolv.conf, so that
# Exim (which resolves through glibc, whose resolv.conf names no port) and
# dnsbl-score ask the same server through the same delays.
#
# Writes key=value lines to $1 (the results file).
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=$1
W=$2 # work directory, readable by the Exim user
RUNS=${RUNS:-9}
SCORE=$ROOT/build/dnsbl-score
. "$ROOT/tests/lib.sh" # wait_udp

ip link set lo up
rbldnsd -n -q -b 127.0.0.1/5300 -w "$W" $(for i in $(seq 1 20); do printf 'l%d.bench.bl:ip4set:bench.ip4set ' "$i"; done) \
    dead.bench.bl:ip4set:bench.ip4set >/dev/null 2>&1 &
RBL=$!
"$ROOT/build/tests/dnsrelay" -l 53 -u 5300 -r bench.bl=delay:50 -r dead.bench.bl=drop &
RELAY=$!
wait_udp 5300 && wait_udp 53
echo "nameserver 127.0.0.1" >"$W/resolv.conf"
mount --bind "$W/resolv.conf" /etc/resolv.conf

# median - of numbers on stdin
median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "NA" }'; }

# ini N [EXTRA] - a configuration with lists l1..lN (weight 1 each)
ini() {
    local n=$1 f=$W/ours-$1.ini i
    {
        printf '[scoring]\ntag = 5\nreject = 10\ntimeout_ms = 1000\nskip =\n%s\n' "${2:-}"
        printf '[resolver]\nforwarders = 127.0.0.1@53\n'
        for i in $(seq 1 "$n"); do printf '[list l%d]\nzone = l%d.bench.bl\n' "$i" "$i"; done
    } >"$f"
    echo "$f"
}

# ours CFG ADDR - the engine's time to a verdict, ms, median of RUNS fresh processes
ours() {
    local r
    for r in $(seq "$RUNS"); do
        "$SCORE" -c "$1" --json "$2" 2>/dev/null | grep -o '"elapsed_ms":[0-9]*' | cut -d: -f2
    done | median
}

# exim_conf N [dead] - Exim's own dnslists recipe, one warn statement per list
exim_conf() {
    local n=$1 f=$W/exim-$1$2.conf i
    {
        printf 'exim_user = Debian-exim\nexim_group = Debian-exim\nspool_directory = %s/spool\n' "$W"
        printf 'log_file_path = %s/log/%%slog\nhost_lookup =\nrfc1413_hosts =\nacl_smtp_connect = c\n' "$W"
        printf 'begin acl\nc:\n  warn set acl_m_t0 = $tod_epoch_l\n       set acl_m_score = 0\n'
        for i in $(seq 1 "$n"); do
            printf '  warn dnslists = l%d.bench.bl\n       set acl_m_score = ${eval:$acl_m_score+1}\n' "$i"
        done
        [ -n "$2" ] && printf '  warn dnslists = dead.bench.bl\n       set acl_m_score = ${eval:$acl_m_score+1}\n'
        printf '  warn logwrite = BENCH ${eval:$tod_epoch_l-$acl_m_t0} $acl_m_score\n  accept\n'
    } >"$f"
    echo "$f"
}

# exim_ms CONF ADDR [RUNS] - Exim's time through the recipe, ms, median
exim_ms() {
    local r
    for r in $(seq "${3:-$RUNS}"); do
        echo QUIT | exim -C "$1" -bh "$2" 2>&1 | sed -n 's/^LOG: BENCH \([0-9]*\) .*/\1/p' |
            awk '{ printf "%.1f\n", $1 / 1000 }'
    done | median
}

mkdir -p "$W/spool" "$W/log"
chown Debian-exim:Debian-exim "$W/spool" "$W/log"

# 1 and 2: latency against the number of lists, each answering after 50 ms.
for n in 1 3 5 10 20; do
    cfg=$(ini "$n")
    econf=$(exim_conf "$n" "")
    echo "lat.ours.unlisted.$n=$(ours "$cfg" 198.18.7.$n)"
    echo "lat.ours.listed.$n=$(ours "$cfg" 198.51.100.200)"
    echo "lat.exim.unlisted.$n=$(exim_ms "$econf" 198.18.7.$n)"
    echo "lat.exim.listed.$n=$(exim_ms "$econf" 198.51.100.200)"
done >>"$OUT"

# 3: one dead list among five; the budget is 1000 ms. The dead list weighs 1
# and tag is at 5: it cannot change the verdict of a client listed nowhere
# (0 or 1: accept), and can for one listed by the four live lists (4 or 5).
cfg=$W/dead.ini
{
    printf '[scoring]\ntag = 5\nreject = 10\ntimeout_ms = 1000\nskip =\n'
    printf '[resolver]\nforwarders = 127.0.0.1@53\n'
    for i in 1 2 3 4; do printf '[list l%d]\nzone = l%d.bench.bl\n' "$i" "$i"; done
    printf '[list dead]\nzone = dead.bench.bl\n'
} >"$cfg"
{
    echo "dead.ours.cannot=$(ours "$cfg" 198.18.9.1)"
    echo "dead.ours.can=$(ours "$cfg" 198.51.100.200)"
    echo "dead.ours.summary.cannot=$("$SCORE" -c "$cfg" 198.18.9.2 2>/dev/null)"
    echo "dead.ours.summary.can=$("$SCORE" -c "$cfg" 198.51.100.200 2>/dev/null)"
    econf=$(exim_conf 4 dead)
    echo "dead.exim.cannot=$(exim_ms "$econf" 198.18.9.1 1)"
} >>"$OUT"

umount /etc/resolv.conf
kill "$RELAY" "$RBL"
wait 2>/dev/null
