#!/bin/sh
# Smaller things a facilitator notices in front of the room (issue 23,
# point 6), at 80x24: the confirm instruction shows once and wrapped
# agenda lines go on under their titles; an overdue
# follow-up is marked; /agree N typed on another item's number says so
# instead of agreeing again; /find jumping forward says it closes the item
# it leaves; after the end the wrap-up says how to add to
# the meeting, not that /next ends it.
. "$FK_SRCDIR/tests/e2e/lib.sh"

DB=$SCRATCH/fac.db
start 80 24 "$FK" --db "$DB" demo
wait_for "Before we start"
# the confirm instruction once, in the confirm pane
wait_for_words "Press Enter to confirm"
assert_eq "the instruction to confirm, once" 1 \
	"$(screen | tr '\n' ' ' | tr -s ' ' | grep -o 'Enter[^.;]*confirm' | wc -l | tr -d ' ')"
# a wrapped agenda line goes on under its title, never at column 1
agenda=$(screen | sed -n '/^ Agenda$/,/^$/p' | sed '1d; /^$/d; /^>/d')
[ -n "$agenda" ] || fail "no agenda on the confirm screen: $(screen)"
assert_eq "wrapped agenda lines under their titles" "" \
	"$(printf '%s\n' "$agenda" | grep -vE '^ +[?]? ?[0-9]+\. |^      [^ ]')"
keys Enter
wait_for "facilitator Aoi"
# an overdue follow-up is marked in a word, as `actions` marks it with !
wait_for "Follow-ups (2 open)"
wait_for_words "due 2026-11-21 ! overdue"
keys C-n
wait_for "Agenda 2/10"
type_line "/action alert 30 days before a certificate expires @Mei due:2026-12-15"
wait_for "action 1"
type_line "/agree 1"
wait_for_words "action 1 agreed"
keys C-n
wait_for "Agenda 3/10"
type_line "/agree 1"
wait_for_words "action 1 is item 2's (\"alert 30 days before a certificate expires\") and already agreed"
assert_eq "agreed once" 1 "$(sql "select count(*) from measures where agreed_at is not null and origin = 'meeting'")"

# /find jumping forward says it closes the item left
type_line "/find three more credentials"
wait_for "pm-2026-036  Near miss"
wait_for_words "item 3 is left as done (/go 3 reopens it); \"three more credentials\" 1/"
# wider, the agenda pane's titles grow; a carried item shows "-" for its
# budget, its title off the border
tm resize-window -t fk -x 140 -y 30
wait_for "Push notifications delayed by"
type_line "/go 6"
wait_for "Agenda" 
type_line "/carry"
wait_for_words "carried"
sleep 0.3
line=$(screen | grep "Push notifications")
case "$line" in
*" -│"*) ;;
*) fail "the carried item's line: [$line]" ;;
esac
tm resize-window -t fk -x 80 -y 24
sleep 0.3
type_line "/go 10"
wait_for "Next week:"
wait_for_words "/next asks, then ends the meeting"
keys C-n
wait_for "End the meeting and write the minutes? y/n"
answer y
wait_for "the meeting is over"
# the items not discussed are listed as carried over: the rest is a page on
keys NPage
wait_for_words "The meeting has ended and its minutes are written; /reopen adds to it"
assert_not_contains "the ended wrap-up does not offer /next" "/next asks" "$(screen)"
type_line "/quit"
wait_for "[exited] 0"
finish
