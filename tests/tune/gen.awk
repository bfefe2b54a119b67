# gen.awk - labelled summary lines from a synthetic world whose lists' hit
# rates on ham and spam are known, for dnsbl-tune's tests.
#   awk -v seed=1 -v n=20000 -v label=spam -f gen.awk
# The world (probability of a listing, spam / ham):
#   excellent  127.0.0.2      0.55 / 0.0005   a precise spam-source list
#   noisy      127.0.0.11     0.45 / 0.08     a sloppy dynamic-IP list
#   redundant  127.0.0.2      0.9 of the spam excellent lists, nothing else
#                             / 0.0005 (it adds nothing excellent lacks)
#   zen        127.0.0.2      0.30 / 0.0002   its SBL code
#              127.0.0.10     0.40 / 0.06     its PBL code (weak)
#   allow      127.0.10.2     0.005 / 0.35    an allowlist
#   trial      127.0.0.2      0.35 / 0.002    a shadow list being tried
# Each list is in errors= (timeout) 1% of the time, and in notawaited= 1%:
# such lines carry no evidence about it. The score and action are what
# tests/tune/current.ini would have given. 5% of the clients are IPv6.
function hit(p) { return rand() < p }
function w(name, value) {
    # current.ini's weights
    if (name == "allow") return -2
    return 4
}
function add(name, value,   wt) {
    r = rand()
    if (r < 0.01) { errs = errs (errs ? "," : "") name ":timeout"; return }
    if (r < 0.02) { na = na (na ? "," : "") name; return }
    wt = w(name, value)
    if (name == "trial") { sh = sh (sh ? "," : "") name ":" value ":" sprintf("%.2f", wt); return }
    hits = hits (hits ? "," : "") name ":" value ":" sprintf("%.2f", wt)
    score += wt
}
BEGIN {
    srand(seed)
    spam = (label == "spam")
    for (i = 0; i < n; i++) {
        hits = ""; errs = ""; na = ""; sh = ""; score = 0
        if (rand() < 0.05)
            ip = sprintf("2001:db8:%x::%x", int(rand() * 65536), i + 1)
        else
            ip = sprintf("198.%d.%d.%d", 18 + int(rand() * 2), int(rand() * 256), 1 + int(rand() * 254))
        ex = hit(spam ? 0.55 : 0.0005)
        if (ex) add("excellent", "127.0.0.2")
        if (hit(spam ? 0.45 : 0.08)) add("noisy", "127.0.0.11")
        if (spam ? (ex && hit(0.9)) : hit(0.0005)) add("redundant", "127.0.0.2")
        sbl = hit(spam ? 0.30 : 0.0002); pbl = hit(spam ? 0.40 : 0.06)
        if (sbl && pbl) add("zen", "127.0.0.2+127.0.0.10")
        else if (sbl) add("zen", "127.0.0.2")
        else if (pbl) add("zen", "127.0.0.10")
        if (hit(spam ? 0.005 : 0.35)) add("allow", "127.0.10.2")
        if (hit(spam ? 0.35 : 0.002)) add("trial", "127.0.0.2")
        action = score >= 8 ? "reject" : score >= 5 ? "tag" : "accept"
        printf "2026-11-28 10:%02d:%02d 1xT%03d-%06d-AB dnsbl-score: ip=%s score=%.2f action=%s hits=%s errors=%s%s%s\n",
            int(i / 60) % 60, i % 60, i % 1000, i, ip, score, action, hits, errs, na ? " notawaited=" na : "", sh ? " shadow=" sh : ""
    }
}
