#!/bin/sh
# Moving around a meeting: /go, scrolling the item and the minutes, /find
# with n and N, /undelete, /help NAME, /messages and long messages.
. "$FK_SRCDIR/tests/e2e/lib.sh"

DB=$SCRATCH/nav.db
start 120 36 "$FK" --db "$DB" demo
wait_for "Before we start"
keys Enter
wait_for "facilitator Aoi"
wait_for "Follow-ups (2 open)"

# /go N: forward closes the item left, back leaves it as it was.
type_line "/go 5"
wait_for "2026-11-25-cs-refund-macro-misfire"
assert_eq "forward: done" "done" "$(sql "select state from agenda_items where pos = 0")"
type_line "/go 2"
wait_for "pm-2026-034  決済障害"
assert_eq "back: still to come" "pending" "$(sql "select state from agenda_items where pos = 4")"
assert_eq "items between untouched" "pending" "$(sql "select state from agenda_items where pos = 2")"
type_line "/go 42"
wait_for "there is no item 42"
# what was refused leaves the line for the kill ring; Ctrl-Y brings it back
keys C-y
wait_for "> /go 42"
keys C-u

# The item scrolls, and every change of item starts at its top.
keys NPage
# (the item pane at 120 columns: 84 wide, the agenda pane taking 36)
wait_for "17-33/74 PgUp/PgDn"
type_line "/skip"
wait_for "item 2 skipped"
wait_for "2026-11-23-search-outage"
case "$(screen)" in
*"17-33/"*) fail "the scroll position carried to the next item" ;;
esac

# The minutes scroll back (Shift-PgUp) and forward again.
i=1
while [ $i -le 14 ]; do
	type_line "note number $i"
	i=$((i + 1))
done
wait_for "note number 14"
keys S-PPage
wait_for "newer lines below: S-PgDn"
wait_for "note number 1"
case "$(screen)" in
*"note number 14"*) fail "the minutes did not scroll back" ;;
esac
keys S-NPage
wait_for "note number 14"
# the mouse wheel scrolls them too (an X10 mouse report: wheel up)
tm send-keys -t fk -l "$(printf '\033[M`!!')"
wait_for "newer lines below: S-PgDn"
keys S-NPage

# /delete, then /undelete brings the entry back.
type_line "/delete 3"
wait_for "/undelete 3 brings it back"
assert_eq "deleted" 1 "$(sql "select deleted_at is not null from minutes where seq = 3")"
type_line "/undelete 3"
wait_for "entry 3 is back"
assert_eq "back" 0 "$(sql "select deleted_at is not null from minutes where seq = 3")"

# /find goes to each match, in the postmortems and the minutes; n and N
# on an empty line step through them.
type_line "/find number 1"
wait_for "\"number 1\" 1/6: entry"
keys n
wait_for "\"number 1\" 2/6: entry"
keys N N
wait_for "\"number 1\" 6/6: entry"
type_line "certificate rotation is manual"
wait_for "certificate rotation is manual"
type_line "/find certificate"
wait_for "\"certificate\" 1/2: entry 15 of item 3"
keys n
# the skipped item's postmortem is left out: it cannot be opened
wait_for "\"certificate\" 2/2: the postmortem of item 9"
wait_for "pm-2026-036  Near miss"
type_line "/find no such words anywhere"
wait_for "is in no postmortem and no entry of this meeting"
keys C-u

# /help NAME shows that command alone; /messages shows what was said.
type_line "/help go"
wait_for "Help: one command"
wait_for "/go N"
wait_for "Opens item N of the agenda"
esc
type_line "/messages"
wait_for "Messages (newest first)"
wait_for "is in no postmortem and no entry of this meeting"
wait_for "entry 3 is back"
esc

# /all shows the whole meeting: every item with its state and minutes.
type_line "/all"
wait_for "The whole meeting, 2026-W49"
wait_for "2. pm-2026-034 決済障害"
wait_for "(skipped)"
wait_for "note      note number 1"
keys NPage
wait_for "certificate rotation is manual"
esc

# A message wider than the screen is wrapped, not cut.
tm resize-window -t fk -x 80 -y 24
type_line "/find certificate"
wait_for "n, N or F3, F4 for the others"

# A link longer than the entry's column is drawn whole on a line, not cut.
url=https://github.com/acme/customer-support-console/pull/377/files#diff-0123
type_line "/link $url"
wait_for "$url"

type_line "/quit"
wait_for "[exited] 0"
finish
