# exim_agree.sh - the engine agrees with Exim's own dnslists on the same zones:
# for every address and list, the same listed / not listed decision and the
# same returned values. Two differences are by design and asserted as such:
# Exim counts an error code (127.255.255.254, "query refused") as a listing,
# the engine reports an error; both see the same value.
#
# Exim resolves through glibc, whose resolv.conf cannot name a port, so both
# run in a private network namespace whose loopback has rbldnsd on port 53,
# with a private resolv.conf bind-mounted in a private mount namespace.
# once
. "$(dirname "$0")/../lib.sh"
need_root "namespaces, Exim"
world_dir
cp "$ROOT"/tests/zones/* "$WORLD"/
chmod 644 "$WORLD"/*
mkdir -p "$WORLD/spool" "$WORLD/log"
chown Debian-exim:Debian-exim "$WORLD/spool" "$WORLD/log"
sed "s|WORLD|$WORLD|g" "$ROOT/tests/integration/exim-agree.conf" >"$WORLD/exim.conf"
cp "$ROOT/tests/integration/conf/agree.ini" "$WORLD/agree.ini"
echo "nameserver 127.0.0.1" >"$WORLD/resolv.conf"

addrs="192.0.2.10 192.0.2.11 192.0.2.12 192.0.2.13 198.51.100.7 192.0.2.14 192.0.2.15
192.0.2.16 192.0.2.20 203.0.113.9 192.0.2.30 192.0.2.40 192.0.2.41 127.0.0.2 127.0.0.1
192.0.2.99 203.0.114.1 2001:db8:1::77 2001:db8:2::5 2001:db8:3::1"
lists="zen spamcop dnswl mask"

unshare --net --mount --fork bash -s "$WORLD" "$DNSBL_SCORE" "$addrs" <<'INNER' >"$WORLD/inner.out" 2>&1
world=$1 score=$2 addrs=$3
ip link set lo up
rbldnsd -n -q -b 127.0.0.1/53 -w "$world" zen.test.bl:ip4set:zen.ip4set \
    zen.test.bl:ip6trie:zen.ip6trie spamcop.test.bl:ip4set:spamcop.ip4set \
    dnswl.test.bl:ip4set:dnswl.ip4set mask.test.bl:ip4set:mask.ip4set &
pid=$!
for i in $(seq 50); do ss -Hlnu '( sport = :53 )' | grep -q . && break; sleep 0.1; done
mount --bind "$world/resolv.conf" /etc/resolv.conf
for a in $addrs; do
    echo QUIT | exim -C "$world/exim.conf" -bh "$a" 2>&1 | sed -n "s/^LOG: DNSLIST /EXIM $a /p"
done
"$score" -c "$world/agree.ini" $addrs | sed 's/^/ENGINE /'
kill $pid
wait $pid 2>/dev/null
INNER

# One line per (address, list): the values returned, sorted, or "-".
for a in $addrs; do
    for l in $lists; do
        v=$(grep "^EXIM $a $l " "$WORLD/inner.out" | cut -d' ' -f4- | tr -d ' ' | tr ',' '\n' | sort | paste -sd,)
        echo "$a $l ${v:--}"
    done
done >"$WORLD/exim.txt"
for a in $addrs; do
    line=$(grep "^ENGINE ip=$a " "$WORLD/inner.out")
    for l in $lists; do
        hit=$(echo "$line" | grep -oE "[ ,=]$l:[0-9.+]+:" | cut -d: -f2 | tr '+' '\n' | sort | paste -sd,)
        code=$(echo "$line" | grep -oE "[ ,=]$l:code-[0-9.]+" | sed 's/.*code-//')
        echo "$a $l ${hit:-${code:--}}"
    done
done >"$WORLD/engine.txt"

check_eq "the engine scored every address" "$(grep -c '^ENGINE ' "$WORLD/inner.out")" 20
check_file "same listings and values as Exim's dnslists" "$WORLD/engine.txt" "$WORLD/exim.txt"
# The difference by design: Exim lists on the refusal code, the engine does not.
check_eq "Exim counts 127.255.255.254 as a listing" \
    "$(grep -c '^EXIM 192.0.2.15 zen 127.255.255.254' "$WORLD/inner.out")" 1
check_match "the engine reports it as an error" "$(grep '^ENGINE ip=192.0.2.15 ' "$WORLD/inner.out")" \
    "score=0.00 action=accept hits= errors=zen:code-127.255.255.254$"
check_eq "neither lists an answer outside 127/8" "$(grep '192.0.2.16 zen' "$WORLD/exim.txt" "$WORLD/engine.txt" | cut -d: -f2 | sort -u)" "192.0.2.16 zen -"
finish
