# The chat's side of the screen tests: the fake chat (tests/fake_chat_server,
# Slack's shape unless FK_CHAT_SERVICE=mattermost) and a fake GitHub
# (tests/fake_tracker_server) started on loopback, a config pointing at
# both in $SCRATCH/c.ini, and the attendees' side door as shell functions.
# Sourced after tests/e2e/lib.sh.

SERVICE=${FK_CHAT_SERVICE:-slack}
DB=$SCRATCH/demo.db
server_pid= tracker_pid=
trap 'kill "$server_pid" "$tracker_pid" 2>/dev/null; for s in $(seq 0 $starts); do tmux -L "$TMUX_BASE-$s" kill-server 2>/dev/null; done; rm -rf "$SCRATCH"' EXIT

serve "$SCRATCH/url" "$FK_BUILDDIR/tests/fake_chat_server" "$SERVICE" || finish
server_pid=$served_pid
URL=$(cat "$SCRATCH/url")
# the tickets go to a fake GitHub
serve "$SCRATCH/tracker" "$FK_BUILDDIR/tests/fake_tracker_server" || finish
tracker_pid=$served_pid
TRACKER=$(cat "$SCRATCH/tracker")

# issues: how many issues the fake GitHub holds
issues() {
	"$FK_BUILDDIR/tests/fake_tracker_server" issues "$TRACKER" | grep -o '"number"' | wc -l
}

control() {
	"$FK_BUILDDIR/tests/fake_chat_server" control "$URL" "$@"
}

# urlenc TEXT: every byte as %XX, for the side door's form fields
urlenc() {
	printf '%s' "$1" | od -An -v -tx1 | tr -s ' \n' '  ' | sed 's/^ *//; s/ *$//; s/ /%/g; s/^/%/'
}

# posts: what the bot stored, one "ref<TAB>thread<TAB>marker<TAB>text" a line
# (the text as JSON has it, without Markdown's backslashes)
posts() {
	control posts | tr -d '\n' | sed 's/}, *{/}\n{/g' | sed -n \
		's/.*"ref": *"\([^"]*\)".*"thread": *\("[^"]*"\|null\).*"text": *"\(.*\)", *"marker": *"\([^"]*\)".*/\1\t\2\t\4\t\3/p' |
		tr -d '"' | sed 's/\\\\//g'	# Mattermost's Markdown escapes too
}

# reply USER TEXT: an attendee's reply in the open item's thread; prints its ref
reply() {
	control reply "root=$ROOT&user=$1&text=$(urlenc "$2")" | tr -d '\n' |
		sed 's/.*"ref": *"\([^"]*\)".*/\1/'
}

# reply_file USER NAME: a reply that is a shared file alone, no words
reply_file() {
	control reply "root=$ROOT&user=$1&text=&file=$2" >/dev/null
}

# count_posts TEXT: how many of the bot's posts hold TEXT
count_posts() {
	posts | grep -cF -- "$1"
}

if [ "$SERVICE" = slack ]; then
	TOKEN_ENV=SLACK_BOT_TOKEN=xoxb-test
	AOI=U01AOI KEN=U02KEN MEI=U03MEI SATO=U04SATO EVE=U09EVE
else
	TOKEN_ENV=MATTERMOST_TOKEN=mm-test
	AOI=aoi00000000000000000000000 KEN=ken00000000000000000000000
	MEI=mei00000000000000000000000 SATO=sato0000000000000000000000
	EVE=eve00000000000000000000000
fi
control user "user=$SATO&text=Sato" >/dev/null
printf '[chat]\nservice = %s\nchannel = #postmortems\nurl = %s\npoll_seconds = 1\n' \
	"$SERVICE" "$URL" >"$SCRATCH/c.ini"
printf '[tracker]\ndefault = github\n[github]\nurl = %s\nrepo = acme/pay\n' \
	"$TRACKER" >>"$SCRATCH/c.ini"
printf '[postmortems]\nurl = https://git.example/acme/postmortems/blob/main\n' >>"$SCRATCH/c.ini"
chmod 600 "$SCRATCH/c.ini"
LOG=$SCRATCH/fk.log

# wait_root PM_ID: until the bot has posted the thread root of PM_ID; sets ROOT
wait_root() {
	i=0 ROOT=
	while [ "$i" -lt $((100 * FK_SLOW)) ]; do
		ROOT=$(posts | awk -F '\t' -v pm="$1" '$2 == "null" && index($0, pm) { print $1 }')
		[ -n "$ROOT" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	fail "no thread root for $1; the bot posted: $(posts)"
}

# demo_in_chat CONFIG: the demo meeting with CONFIG, the facilitator
# confirmed and the chat connected, at the first postmortem with its thread
# root posted (ROOT)
demo_in_chat() {
	start 150 40 env "$TOKEN_ENV" GITHUB_TOKEN=ghp-test "$FK" --db "$DB" --config "$1" demo
	wait_for "proposed Aoi (backup Ken)"
	keys Enter
	wait_for "chat: connected" 15
	keys C-n
	wait_for "決済障害：カード決済が 48 分間すべて失敗した"
	wait_root pm-2026-034
}

# wait_posted TEXT: until one of the bot's posts holds TEXT (ten seconds)
wait_posted() {
	i=0
	while [ "$(count_posts "$1")" -lt 1 ] && [ "$i" -lt $((100 * FK_SLOW)) ]; do
		sleep 0.1
		i=$((i + 1))
	done
}
