#!/bin/sh
# A read-only view that takes the meeting over runs the chat from then on:
# it posts what is typed into the open item's thread and pulls the
# replies, and the thread root is not posted again. A chat that refuses
# the token says why in full and leaves the meeting running.
. "$FK_SRCDIR/tests/e2e/lib.sh"
. "$FK_SRCDIR/tests/e2e/chat_lib.sh"

demo_in_chat "$SCRATCH/c.ini"
first=$TMUX_SOCKET

# The second furikaeri, in its own terminal: read-only, and without the
# chat while the first holds the meeting.
open_terminal 150 40 env "$TOKEN_ENV" GITHUB_TOKEN=ghp-test "$FK" --db "$DB" --config "$SCRATCH/c.ini" \
	meeting --week 2026-W49
second=$TMUX_SOCKET
wait_for "READ-ONLY"
assert_not_contains "a viewer runs no chat" "chat:" "$(screen)"

TMUX_SOCKET=$first
type_line "/quit"
wait_for "[exited] 0"
TMUX_SOCKET=$second
wait_for "has left: take it over? y/n" 10
answer y
wait_for "this furikaeri now holds the meeting"
wait_for "chat: connected" 15

type_line "/decide 引き継いだ後の決定"
wait_for "decision  引き継いだ後の決定"
wait_posted "引き継いだ後の決定"
assert_eq "the entry typed after the takeover, in the item's thread" "$ROOT" \
	"$(posts | grep -F "引き継いだ後の決定" | cut -f 2)"
reply "$MEI" "read after the takeover" >/dev/null
wait_for "Mei: read after the takeover" 15
assert_eq "the thread root once" 1 "$(posts | awk -F '\t' '$2 == "null"' | grep -c "pm-2026-034")"
type_line "/quit"
wait_for "[exited] 0"

# A token the chat refuses: the header has room for the start of the
# reason, the message line says it in full, with what to do, once.
if [ "$SERVICE" = slack ]; then
	BAD_TOKEN=SLACK_BOT_TOKEN=xoxb-wrong WHAT="set SLACK_BOT_TOKEN"
else
	BAD_TOKEN=MATTERMOST_TOKEN=mm-wrong WHAT="MATTERMOST_TOKEN"
fi
start 150 40 env "$BAD_TOKEN" "$FK" --db "$DB" --config "$SCRATCH/c.ini" meeting --week 2026-W49
# the header says it briefly; the status line gives the whole reason
wait_for "chat refused" 15
wait_for "$WHAT" 10
assert_contains "the meeting goes on" "the meeting goes on here, and posts wait" "$(screen)"
type_line "/quit"
wait_for "[exited] 0"
finish
