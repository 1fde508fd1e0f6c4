#!/bin/sh
# The header with [chat] on at 80, 100, 120 and 200 columns: the chat
# state shortens ("chat ok") before the clocks, which always show.
. "$FK_SRCDIR/tests/e2e/lib.sh"
. "$FK_SRCDIR/tests/e2e/chat_lib.sh"

header_has() {
	top=$(screen | head -1)
	printf '%s\n' "$top" | grep -Eq -- "$1" ||
		fail "at $(tm display-message -p -t fk '#{window_width}') columns the header lacks [$1]: [$top]"
}

printf '[meeting]\nbudget_minutes = 5\n' >>"$SCRATCH/c.ini"
demo_in_chat "$SCRATCH/c.ini"
type_line "/quit"
wait_for "[exited] 0"

sql "update agenda_items set spent_seconds = budget_seconds + 9 where state = 'current'"
start 80 24 env "$TOKEN_ENV" GITHUB_TOKEN=ghp-test "$FK" --db "$DB" --config "$SCRATCH/c.ini" meeting --week 2026-W49
wait_for "chat ok" 15
for cols in 80 100 120 200; do
	tm resize-window -t fk -x "$cols" -y 24
	sleep 0.3
	header_has "item [0-9]+:[0-9]{2}/[0-9]+:[0-9]{2} over"
	header_has "meeting [0-9]+:[0-9]{2}/5:00"
	header_has "chat( ok|: connected)"
	header_has "Aoi \(backup Ken\)"
done
header_has "facilitator Aoi \(backup Ken\)   chat: connected   "
tm resize-window -t fk -x 80 -y 24
sleep 0.3
header_has "^ 2026-W49  Aoi \(backup Ken\)  chat ok +item [0-9:/]+ over  meeting [0-9:]+/5:00$"
type_line "/quit"
wait_for "[exited] 0"
finish
