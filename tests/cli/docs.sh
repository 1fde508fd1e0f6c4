#!/bin/sh
# The docs follow the code: the man page's key list is the action table's,
# every command is documented, and the pages render without warnings.
. "$FK_SRCDIR/tests/lib.sh"

MAN1=$FK_SRCDIR/man/furikaeri.1
MAN5=$FK_SRCDIR/man/furikaeri.5

"$FK" help --roff-keys >"$SCRATCH/keys.roff"
sed -n '/^\.\\" BEGIN KEYS$/,/^\.\\" END KEYS$/p' "$MAN1" | sed '1d;$d' >"$SCRATCH/man-keys.roff"
if ! cmp -s "$SCRATCH/keys.roff" "$SCRATCH/man-keys.roff"; then
	fail "furikaeri(1)'s key list differs from the action table; paste the output of
'furikaeri help --roff-keys' between the BEGIN KEYS and END KEYS lines:
$(diff "$SCRATCH/man-keys.roff" "$SCRATCH/keys.roff")"
fi

for c in $("$FK" --help | sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }'); do
	grep -q "^\.B[I]* \"*$c\b" "$MAN1" || fail "the command '$c' is not in furikaeri(1)"
done

if command -v groff >/dev/null 2>&1; then
	for page in "$MAN1" "$MAN5"; do
		warnings=$(groff -k -man -Tutf8 -ww -z "$page" 2>&1)
		assert_eq "groff warnings in $(basename "$page")" "" "$warnings"
		# groff's default device (PostScript) has no CJK glyphs: each
		# \[uXXXX] needs its '.if t .fchar' line at the top of the page
		warnings=$(groff -man -ww -z "$page" 2>&1)
		assert_eq "groff warnings on the default device in $(basename "$page")" "" "$warnings"
	done
fi
if command -v mandoc >/dev/null 2>&1; then
	for page in "$MAN1" "$MAN5"; do
		assert_eq "mandoc -Tlint on $(basename "$page")" "" "$(mandoc -Tlint "$page" 2>&1)"
	done
fi

# Both pages have the same FILES, one date format, and say what they hold.
section() {
	sed -n "/^\.SH $1\$/,/^\.SH /p" "$2" | sed '$d'
}
section FILES "$MAN1" >"$SCRATCH/files1"
section FILES "$MAN5" >"$SCRATCH/files5"
[ -s "$SCRATCH/files1" ] || fail "furikaeri(1) has no FILES"
cmp -s "$SCRATCH/files1" "$SCRATCH/files5" ||
	fail "FILES differ between the pages: $(diff "$SCRATCH/files1" "$SCRATCH/files5")"
for f in furikaeri.db config.ini furikaeri.log minutes/ headings/ blameless/ readiness/ demo/ \
	templates/; do
	assert_contains "FILES lists $f" "$f" "$(cat "$SCRATCH/files1")"
done
for page in "$MAN1" "$MAN5"; do
	date=$(sed -n 's/^\.TH [^ ]* [0-9] \([^ ]*\) .*/\1/p' "$page")
	case $date in
	[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]) ;;
	*) fail "$(basename "$page"): .TH date '$date' is not YYYY-MM-DD" ;;
	esac
done
assert_eq "furikaeri(5) is named for what it holds" \
	"furikaeri \\- postmortem, minutes, agenda and configuration file formats" \
	"$(sed -n '/^\.SH NAME$/{n;p;}' "$MAN5")"
for s in EXAMPLES "REPORTING BUGS" "EXIT STATUS" ENVIRONMENT; do
	grep -q "^\.SH $s\$" "$MAN1" || fail "furikaeri(1) has no $s"
done

# Every command's --help and its entry in COMMANDS name the same options
# and subcommands.
options() {
	sed 's/\\f[BIRP]//g; s/\\-/-/g; s/\\(em/ /g; s/\\//g' |
		grep -oE -- '(^|[^A-Za-z0-9-])--?[a-z][a-z-]*' | sed 's/^[^-]*//' |
		grep -vx -e '--help' -e '--db' | sort -u
}
section COMMANDS "$MAN1" >"$SCRATCH/commands"
for c in $("$FK" --help | sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }'); do
	"$FK" help "$c" >"$SCRATCH/help" || fail "help $c"
	awk -v c="$c" '
		/^\.TP/ { tag = 1; next }
		tag { tag = 0; t = $0; gsub(/\\f[BIRP]|"|\\/, "", t); sub(/^\.[A-Z]+ */, "", t)
		      split(t, w, " "); cur = w[1] }
		cur == c { print }' "$SCRATCH/commands" >"$SCRATCH/page"
	[ -s "$SCRATCH/page" ] || { fail "no entry for $c in COMMANDS"; continue; }
	help_opts=$(options <"$SCRATCH/help" | tr '\n' ' ')
	page_opts=$(options <"$SCRATCH/page" | tr '\n' ' ')
	assert_eq "$c: the options of --help and of furikaeri(1)" "$help_opts" "$page_opts"
	# subcommands: the words that start an alternative of the usage line
	sed 's/\\f[BIRP]//g; s/[]["]//g; s/\\-/-/g' "$SCRATCH/page" >"$SCRATCH/page-plain"
	for verb in $(sed -n '1s/^usage: furikaeri \[--db PATH\] [a-z]*//p; 2p' "$SCRATCH/help" |
		grep -oE '(^ *|\[|\| )[a-z]+' | tr -d '[| ' | sort -u); do
		grep -q "^\.B[IR]* *$c $verb" "$SCRATCH/page-plain" ||
			fail "$c $verb is in --help but has no entry in furikaeri(1)"
	done
done
finish
