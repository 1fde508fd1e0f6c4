#!/bin/sh
# F1 help and F5 overview at 80x24: every description and every state is
# whole, wrapped under its key or title instead of cut at the right edge.
. "$FK_SRCDIR/tests/e2e/lib.sh"

DB=$SCRATCH/pages.db

# page_text: every page of the open help or overview, lines joined and
# runs of spaces as one (a wrapped line reads on)
page_text() {
	out=$(screen) i=0
	while ! printf '%s' "$out" | grep -q "Esc, q or F1 closes" && [ "$i" -lt 30 ]; do
		keys NPage
		sleep 0.3
		out="$out
$(screen)"
		i=$((i + 1))
	done
	printf '%s\n' "$out" | grep -v '^ Help$\|^ The whole meeting' | tr '\n' ' ' | tr -s ' '
}

# no_cut TEXT: no line is cut with an ellipsis at the right edge
no_cut() {
	printf '%s\n' "$1" | grep -q '…$' && fail "a line is cut:
$(printf '%s\n' "$1" | grep '…$')"
	return 0
}

start 80 24 "$FK" --db "$DB" demo
wait_for "Before we start"
keys Enter
wait_for "facilitator Aoi"

keys F1
wait_for "How a meeting runs"
no_cut "$(screen)"
help=$(page_text)
for want in "writes the minutes (/reopen opens it again)" \
	"/action TEXT [@owner] [due:YYYY-MM-DD] propose a prevention measure" \
	"go to the next agenda item" "queue action N for filing as a ticket" \
	"put skipped or carried item N back on the agenda" \
	"Esc, q or F1 closes this help"; do
	assert_contains "the help, whole" "$want" "$help"
done
esc
wait_for "Agenda 1/10"

keys F5
wait_for "The whole meeting"
no_cut "$(screen)"
overview=$(page_text)
assert_contains "a long title and its state, whole" \
	"CS マクロの誤送信：返金前のお客様 に「返金完了」メールが届いた (pending)" "$overview"
assert_contains "the current item's state" "Follow-ups (2 open) (current)" "$overview"
# taller, as wide: the whole overview on one page, each state once
tm resize-window -t fk -x 80 -y 60
keys PPage PPage PPage
sleep 0.5
assert_eq "every item's state, whole" 10 \
	"$(screen | grep -o '(\(pending\|current\))' | wc -l | tr -d ' ')"
esc
type_line "/quit"
wait_for "[exited] 0"
finish
