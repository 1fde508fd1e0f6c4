#!/bin/sh
# The header tells the truth about the chat's token: "connected" only once
# the token authenticated (auth.test, users/me), a refused token says what
# to fix and is never sent again (on an ended meeting, and after /reopen)
# until /chat retry or a new token in the token file.
. "$FK_SRCDIR/tests/e2e/lib.sh"
. "$FK_SRCDIR/tests/e2e/chat_lib.sh"

# refused: how many requests the fake refused for their token
refused() {
	control stats | tr -d '\n ' | sed 's/.*"refused":\([0-9]*\).*/\1/'
}

# A meeting held and ended without the chat.
: >"$SCRATCH/none.ini"
start 150 40 "$FK" --db "$DB" --config "$SCRATCH/none.ini" demo
wait_for "proposed Aoi (backup Ken)"
keys Enter
wait_for "facilitator Aoi (backup Ken)"
type_line "/go 10"
wait_for "Carried over to next week"
keys C-n
wait_for "End the meeting"
answer y
wait_for "the meeting is over"
type_line "/quit"
wait_for "[exited]"

# Opened again with a wrong token in the token file.
if [ "$SERVICE" = slack ]; then good=xoxb-test env_name=SLACK_BOT_TOKEN; else good=mm-test env_name=MATTERMOST_TOKEN; fi
printf 'wrong-token\n' >"$SCRATCH/token"
chmod 600 "$SCRATCH/token"
printf '[chat]\nservice = %s\nchannel = #postmortems\nurl = %s\npoll_seconds = 1\ntoken_file = %s\n' \
	"$SERVICE" "$URL" "$SCRATCH/token" >"$SCRATCH/bad.ini"
chmod 600 "$SCRATCH/bad.ini"
start 150 40 env -u SLACK_BOT_TOKEN -u MATTERMOST_TOKEN FURIKAERI_LOG="$LOG" "$FK" --db "$DB" \
	--config "$SCRATCH/bad.ini" meeting --week 2026-W49
wait_for "chat refused" 15
assert_not_contains "an ended meeting: never 'connected' on a wrong token" "chat: connected" "$(screen)"
assert_not_contains "an ended meeting: never 'ok' on a wrong token" "chat ok" "$(screen)"
# the header reads the worker's state as it draws; the notice comes with
# the next tick (up to a tick later on a loaded machine)
wait_for_words "$env_name or [chat] token_file" 5
n=$(refused)
assert_eq "the token was asked once" 1 "$n"
sleep $((4 * FK_SLOW))
assert_eq "an ended meeting: no call after the refusal" "$n" "$(refused)"
type_line "/reopen"
wait_for "the meeting is open again"
sleep $((4 * FK_SLOW))
assert_contains "after /reopen: still refused" "chat refused" "$(screen)"
assert_eq "after /reopen: no call with the refused token" "$n" "$(refused)"
assert_eq "after /reopen: nothing posted" 0 "$(posts | wc -l)"

# /chat retry asks once more.
type_line "/chat retry"
wait_for "asking again whether the token is good"
sleep $((3 * FK_SLOW))
assert_eq "/chat retry: one request" $((n + 1)) "$(refused)"
wait_for "chat refused" 15

# A new token in the token file is tried by itself; the posts go out.
printf '%s\n' "$good" >"$SCRATCH/token"
wait_for "chat: connected" 20
assert_eq "no refused call with the new token" $((n + 1)) "$(refused)"
i=0
while [ "$(posts | wc -l)" -lt 1 ] && [ "$i" -lt $((100 * FK_SLOW)) ]; do
	sleep 0.1
	i=$((i + 1))
done
assert_contains "the reopened item's thread posted" "Wrap-up" "$(posts)"
type_line "/quit"
wait_for "[exited]"
finish
