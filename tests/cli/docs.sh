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
	done
fi
finish
