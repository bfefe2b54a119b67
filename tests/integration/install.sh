# install.sh - make install into a DESTDIR: every file where Debian and Exim
# expect it, the INI file root:Debian-exim 640, and never overwritten.
# once
. "$(dirname "$0")/../lib.sh"
world_dir
D=$WORLD/dest
make -s -C "$ROOT" install DESTDIR="$D" PREFIX=/usr/local >"$WORLD/out" 2>&1
check_eq "make install succeeds" "$?" 0
for f in usr/local/bin/dnsbl-score usr/local/bin/dnsbl-tune usr/lib/exim4/local_scan/dnsbl-score.so \
         usr/local/share/man/man1/dnsbl-score.1 usr/local/share/man/man1/dnsbl-tune.1 usr/local/share/man/man5/dnsbl-score.ini.5 \
         usr/local/include/dnsbl.h usr/local/lib/libdnsbl-score.a \
         usr/local/share/dnsbl-score/exim-conf/acl-rcpt.conf \
         usr/local/share/dnsbl-score/exim-conf/debian/conf.d/main/00_dnsbl-score; do
    check_eq "installed: /$f" "$(test -f "$D/$f" && echo yes)" yes
done
ini=$D/etc/exim4/dnsbl-score.ini
check_eq "the INI file is not world-readable" "$(stat -c %a "$ini")" 640
if [ "$(id -u)" = 0 ]; then
    check_eq "the INI file is readable by the Exim group" "$(stat -c %U:%G "$ini")" root:Debian-exim
fi
echo "; the admin's own" >>"$ini"
make -s -C "$ROOT" install DESTDIR="$D" PREFIX=/usr/local >"$WORLD/out" 2>&1
check_eq "an existing INI file is kept" "$(tail -1 "$ini")" "; the admin's own"
check_match "and make install says so" "$(cat "$WORLD/out")" "keeping the existing .*dnsbl-score.ini"
finish
