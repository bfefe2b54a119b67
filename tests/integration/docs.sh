# docs.sh - the documentation tells the truth: every INI example in the man
# pages and the Markdown docs is accepted by --check-config, every key of the
# loader's table and every option of the command is documented, Exim snippets
# shown in the docs are the tested files in exim-conf/, the man pages render
# without warnings.
. "$(dirname "$0")/../lib.sh"
world_dir

# md_blocks LANG EXT - every ```LANG block of the Markdown docs, each in its
# own file $WORLD/DOC.N.EXT
md_blocks() {
    local md
    for md in "$ROOT"/README.md "$ROOT"/docs/*.md; do
        [ -e "$md" ] || continue
        awk -v dir="$WORLD" -v base="$(basename "$md")" -v lang="$1" -v ext="$2" '
            $0 == "```" lang { n++; f = dir "/" base "." n "." ext; inside = 1; next }
            inside && /^```$/ { inside = 0; close(f); next }
            inside { print > f }' "$md"
    done
}

# Man page examples: a line ".\" test: ini", then .EX ... .EE (roff escapes undone).
n=0
for page in "$ROOT"/docs/man/*.[1-9]; do
    awk -v dir="$WORLD" -v base="$(basename "$page")" '
        /^\.\\" test: ini$/ { want = 1; next }
        want && /^\.EX$/ { n++; f = dir "/" base "." n ".ini"; inside = 1; want = 0; next }
        inside && /^\.EE$/ { inside = 0; close(f); next }
        inside { gsub(/\\\(aq/, "'\''"); gsub(/\\-/, "-"); gsub(/\\&/, ""); gsub(/\\e/, "\\"); print > f }
    ' "$page"
done
chmod 600 "$WORLD"/* 2>/dev/null # as the INI file should be: no warning about that
for ex in "$WORLD"/*.ini; do
    [ -e "$ex" ] || continue
    n=$((n + 1))
    "$DNSBL_SCORE" -c "$ex" --check-config >/dev/null 2>"$WORLD/err"
    check_eq "man page example $(basename "$ex") is a valid configuration" "$?/$(cat "$WORLD/err")" "0/"
done
check_le "man page INI examples found (at least 3)" 3 "$n"

# Markdown: every ```ini block is a complete, valid configuration.
n=0
md_blocks ini md-ini
chmod 600 "$WORLD"/*.md-ini 2>/dev/null
for ex in "$WORLD"/*.md-ini; do
    [ -e "$ex" ] || continue
    n=$((n + 1))
    "$DNSBL_SCORE" -c "$ex" --check-config >/dev/null 2>"$WORLD/err"
    check_eq "Markdown example $(basename "$ex") is a valid configuration" "$?/$(cat "$WORLD/err")" "0/"
done
check_le "Markdown INI examples found (at least 1)" 1 "$n"

# The shipped example configuration is valid (a copy, with the mode
# make install gives it).
install -m 600 "$ROOT/exim-conf/dnsbl-score.ini" "$WORLD/shipped.ini"
"$DNSBL_SCORE" -c "$WORLD/shipped.ini" --check-config >/dev/null 2>"$WORLD/err"
check_eq "exim-conf/dnsbl-score.ini is valid" "$?/$(cat "$WORLD/err")" "0/"

# Every key of the loader's table is in dnsbl-score.ini(5).
for key in $(sed -n 's/^ *{SEC_[A-Z]*, "\([a-z_0-9]*\)".*/\1/p' "$ROOT/core/config.c"); do
    grep -qE "^\.B[IR]? \"?$key( |\"|$)" "$ROOT/docs/man/dnsbl-score.ini.5"
    check_eq "key '$key' documented in dnsbl-score.ini(5)" "$?" 0
done
# Every long option of the command is in dnsbl-score(1).
for opt in $(sed -n 's/^ *{"\([a-z-]*\)", [a-z_]*_argument.*/\1/p' "$ROOT/cli/dnsbl-score.c"); do
    grep -qF -- "\\-\\-${opt//-/\\-}" "$ROOT/docs/man/dnsbl-score.1"
    check_eq "option --$opt documented in dnsbl-score(1)" "$?" 0
done

# Every option of dnsbl-tune is in dnsbl-tune(1).
for opt in $(grep -o 'strcmp(a, "-[-a-z]*")' "$ROOT/cli/dnsbl-tune.c" | cut -d'"' -f2 | sort -u); do
    [ "$opt" = -- ] && continue
    grep -qF -- "${opt//-/\\-}" "$ROOT/docs/man/dnsbl-tune.1"
    check_eq "option $opt documented in dnsbl-tune(1)" "$?" 0
done

# Exim snippets in the docs are the tested files: each ```exim block appears,
# line for line, in a file of exim-conf/.
md_blocks exim exim
for ex in "$WORLD"/*.exim; do
    [ -e "$ex" ] || continue
    found=
    snippet=$(cat "$ex")
    for f in $(find "$ROOT/exim-conf" "$ROOT/tests/exim-builtin" -type f); do
        if [[ $(cat "$f") == *"$snippet"* ]]; then
            found=$f
            break
        fi
    done
    check_match "snippet $(basename "$ex") is in exim-conf/" "${found:-none}" "/"
done

# The man pages render without warnings.
for page in "$ROOT"/docs/man/*.[1-9]; do
    check_eq "$(basename "$page") renders without warnings" "$(groff -man -ww -z "$page" 2>&1)" ""
done
finish
