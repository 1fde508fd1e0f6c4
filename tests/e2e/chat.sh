#!/bin/sh
# The meeting in the chat channel, end to end: the demo meeting on the
# screen with [chat] pointed at the fake Slack (tests/fake_chat_server),
# attendees replying in the item's thread through its /_fake door.
. "$FK_SRCDIR/tests/e2e/lib.sh"

SERVICE=${FK_CHAT_SERVICE:-slack}
DB=$SCRATCH/demo.db
server_pid=
trap 'kill "$server_pid" 2>/dev/null; for s in $(seq 0 $starts); do tmux -L "$TMUX_BASE-$s" kill-server 2>/dev/null; done; rm -rf "$SCRATCH"' EXIT

"$FK_BUILDDIR/tests/fake_chat_server" "$SERVICE" >"$SCRATCH/url" &
server_pid=$!
for _ in $(seq 1 50); do
	[ -s "$SCRATCH/url" ] && break
	sleep 0.1
done
URL=$(cat "$SCRATCH/url")

control() {
	"$FK_BUILDDIR/tests/fake_chat_server" control "$URL" "$@"
}

# posts: what the bot stored, one "ref<TAB>thread<TAB>marker<TAB>text" a line
posts() {
	control posts | tr -d '\n' | sed 's/},{/}\n{/g' | sed -n \
		's/.*"ref": *"\([^"]*\)".*"thread": *\("[^"]*"\|null\).*"text": *"\(.*\)", *"marker": *"\([^"]*\)".*/\1\t\2\t\4\t\3/p'
}

if [ "$SERVICE" = slack ]; then
	TOKEN_ENV=SLACK_BOT_TOKEN=xoxb-test
else
	TOKEN_ENV=MATTERMOST_TOKEN=mm-test
fi
printf '[chat]\nservice = %s\nchannel = #postmortems\nurl = %s\npoll_seconds = 1\n' \
	"$SERVICE" "$URL" >"$SCRATCH/c.ini"
chmod 600 "$SCRATCH/c.ini"

start 150 40 env "$TOKEN_ENV" FURIKAERI_LOG="$SCRATCH/fk.log" "$FK" --db "$DB" \
	--config "$SCRATCH/c.ini" demo
wait_for "proposed Aoi (backup Ken)"
keys Enter
wait_for "facilitator Aoi (backup Ken)"
wait_for "chat: connected" 15
keys C-n
wait_for "決済障害：カード決済が 48 分間すべて失敗した"
sleep 3
posts
screen
