#!/bin/sh
# The header at 80, 100, 120 and 200 columns: the item clock and the
# meeting clock always show, near or over said in a word as well as in
# colour; the week and the facilitator shorten before them.
. "$FK_SRCDIR/tests/e2e/lib.sh"

DB=$SCRATCH/header.db
printf '[meeting]\nbudget_minutes = 5\n' >"$SCRATCH/five.ini"

# header_has PATTERN: the top line matches the extended regular expression
header_has() {
	top=$(screen | head -1)
	printf '%s\n' "$top" | grep -Eq -- "$1" ||
		fail "at $(tm display-message -p -t fk '#{window_width}') columns the header lacks [$1]: [$top]"
}

start 80 24 "$FK" --db "$DB" --config "$SCRATCH/five.ini" demo
wait_for "Before we start"
keys Enter
wait_for "facilitator Aoi"
keys C-n
wait_for "Agenda 2/10"
type_line "/quit"
wait_for "[exited] 0"

# Past the item's share: over, at every width.
sql "update agenda_items set spent_seconds = budget_seconds + 9 where state = 'current'"
start 80 24 "$FK" --db "$DB" --config "$SCRATCH/five.ini" meeting --week 2026-W49
wait_for "Agenda 2/10"
for cols in 80 100 120 200; do
	tm resize-window -t fk -x "$cols" -y 24
	sleep 0.3
	header_has "item [0-9]+:[0-9]{2}/[0-9]+:[0-9]{2} over"
	header_has "meeting [0-9]+:[0-9]{2}/5:00"
	header_has "2026-W49"
	header_has "Aoi \(backup Ken\)"
done
header_has "furikaeri  2026-W49 review   facilitator Aoi \(backup Ken\)   "
type_line "/quit"
wait_for "[exited] 0"

# Near the end of the item's share (four fifths of its budget: the word
# stays for nine seconds): near, at 80 columns.
sql "update agenda_items set spent_seconds = budget_seconds * 85 / 100 where state = 'current'"
start 80 24 "$FK" --db "$DB" --config "$SCRATCH/five.ini" meeting --week 2026-W49
wait_for "Agenda 2/10"
header_has "item [0-9]+:[0-9]{2}/[0-9]+:[0-9]{2} near  meeting [0-9]+:[0-9]{2}/5:00$"
type_line "/quit"
wait_for "[exited] 0"
finish
