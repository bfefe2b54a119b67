# lib.sh - shared by the integration tests: the DNS test world and assertions.
#
# The world is a real rbldnsd on 127.0.0.1 serving the zones in tests/zones,
# and tests/dnsrelay in front of it making some zones slow, dead or broken.
# Ports are free high ports; everything started is stopped by PID.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DNSBL_SCORE=${DNSBL_SCORE:-$ROOT/build/dnsbl-score}
DNSRELAY=$ROOT/build/tests/dnsrelay

FAILS=0
CHECKS=0
PIDS=()

# The zones rbldnsd serves: zone:type:file. Zones named after a relay rule
# (slow, dead, ...) carry the spamcop data, so that what they would answer is known.
ZONES=(zen.test.bl:ip4set:zen.ip4set zen.test.bl:ip6trie:zen.ip6trie
       spamcop.test.bl:ip4set:spamcop.ip4set dnswl.test.bl:ip4set:dnswl.ip4set
       mask.test.bl:ip4set:mask.ip4set)
for z in slow dead servfail refused garbage truncate other; do
    ZONES+=("$z.test.bl:ip4set:spamcop.ip4set")
done
# Lists that lie (world_start writes their data): one that lists everything,
# 127.0.0.1 included; a lapsed domain answering outside 127/8; one that lists
# nothing, not even 127.0.0.2; one that only answers "query refused".
ZONES+=(everything.test.bl:ip4set:everything.ip4set parked.test.bl:ip4set:parked.ip4set
        nothing.test.bl:ip4set:nothing.ip4set refuse.test.bl:ip4set:refuse.ip4set)

# free_port - a port no one listens on (TCP or UDP), in 20000-59999
free_port() {
    local p
    while :; do
        p=$((20000 + RANDOM % 40000))
        ss -Hlntu "( sport = :$p )" 2>/dev/null | grep -q . || { echo "$p"; return; }
    done
}

# wait_udp PORT - until something listens on 127.0.0.1:PORT (UDP), 5 s at most
wait_udp() {
    local i
    for i in $(seq 50); do
        ss -Hlnu "( sport = :$1 )" | grep -q . && return 0
        sleep 0.1
    done
    echo "nothing listens on udp port $1" >&2
    return 1
}

# wait_tcp PORT - until something listens on 127.0.0.1:PORT (TCP), 5 s at most
wait_tcp() {
    local i
    for i in $(seq 50); do
        ss -Hltn "( sport = :$1 )" | grep -q . && return 0
        sleep 0.1
    done
    echo "nothing listens on tcp port $1" >&2
    return 1
}

# need_root WHAT - fail and stop unless root (WHAT: what needs it)
need_root() {
    [ "$(id -u)" = 0 ] && return 0
    fail "$(basename "$0") needs root ($1): run sudo make check"
    finish
    exit 1
}

# world_dir - WORLD: a new directory for this test's files, which the Exim
# user can read; finish removes it when the test passed
world_dir() {
    WORLD=$(mktemp -d /tmp/dnsbl-world.XXXXXX)
    chmod 755 "$WORLD"
    export WORLD
}

# stop_all - stop what this shell started, by PID
stop_all() {
    local p
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null; done
    PIDS=()
}

# world_start - rbldnsd on RBL_PORT serving a copy of the zones in WORLD
world_start() {
    world_dir
    cp "$ROOT"/tests/zones/* "$WORLD"/
    for i in $(seq 0 255); do echo "$i.0.0.0/8"; done >"$WORLD/all-nets"
    sed 's/$/ :127.0.0.2:Listed: everything is/' "$WORLD/all-nets" >"$WORLD/everything.ip4set"
    sed 's/$/ :192.0.2.80:This domain is for sale/' "$WORLD/all-nets" >"$WORLD/parked.ip4set"
    sed 's/$/ :127.255.255.254:Query refused/' "$WORLD/all-nets" >"$WORLD/refuse.ip4set"
    echo "# lists nothing" >"$WORLD/nothing.ip4set"
    chmod 644 "$WORLD"/*
    RBL_PORT=$(free_port)
    rbldnsd -n -q -t 300 -b "127.0.0.1/$RBL_PORT" -w "$WORLD" "${ZONES[@]}" \
        >"$WORLD/rbldnsd.out" 2>&1 &
    PIDS+=($!)
    wait_udp "$RBL_PORT"
    export RBL_PORT
}

# relay_start LOG RULE... - a relay in front of rbldnsd (every answer RELAY_DELAY
# ms late, default 0); sets RELAY_PORT
relay_start() {
    local log=$1
    shift
    local args=() r
    for r in "$@"; do args+=(-r "$r"); done
    RELAY_PORT=$(free_port)
    "$DNSRELAY" -l "$RELAY_PORT" -u "$RBL_PORT" -L "$log" -D "${RELAY_DELAY:-0}" "${args[@]}" &
    PIDS+=($!)
    wait_udp "$RELAY_PORT"
    export RELAY_PORT
}

# conf NAME [PORT] - a test configuration with the server port filled in
conf() {
    local out="$WORLD/$1"
    sed "s/@PORT@/${2:-$RBL_PORT}/g" "$ROOT/tests/integration/conf/$1" >"$out"
    echo "$out"
}

# pass/fail - count and report
pass() { CHECKS=$((CHECKS + 1)); }
fail() {
    CHECKS=$((CHECKS + 1))
    FAILS=$((FAILS + 1))
    echo "FAIL: $*" >&2
}

# check_eq LABEL GOT WANT
check_eq() {
    if [ "$2" == "$3" ]; then pass; else fail "$1: got '$2', want '$3'"; fi
}

# check_match LABEL GOT REGEX
check_match() {
    if [[ $2 =~ $3 ]]; then pass; else fail "$1: got '$2', want a match for '$3'"; fi
}

# check_file LABEL GOT_FILE WANT_FILE - a golden file, compared with diff -u
check_file() {
    if diff -u "$3" "$2" >"$WORLD/diff.out" 2>&1; then
        pass
    else
        fail "$1: output differs from $3"
        cat "$WORLD/diff.out" >&2
    fi
}

# check_le LABEL GOT MAX - a bound (for time budgets: never "fast enough")
check_le() {
    if [ "$2" -le "$3" ]; then pass; else fail "$1: got $2, want at most $3"; fi
}

# ms_now - milliseconds, for bounding budgets
ms_now() { echo $(($(date +%s%N) / 1000000)); }

# mask_times - replace latencies in -v and --json output, which vary
mask_times() {
    sed -E 's/ +[0-9]+ ms  / N ms  /; s/in [0-9]+ ms$/in N ms/; s/"(latency|elapsed)_ms":[0-9]+/"\1_ms":N/g'
}

# finish - report, clean up (keep the world of a failed test to look at)
finish() {
    stop_all
    echo "$(basename "$0"): $CHECKS checks, $FAILS failed"
    if [ "$FAILS" -eq 0 ]; then
        rm -rf "$WORLD"
        return 0
    fi
    echo "$(basename "$0"): its files are in $WORLD" >&2
    return 1
}
