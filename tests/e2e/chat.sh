#!/bin/sh
# The meeting in the chat channel, end to end: the demo meeting on the
# screen with [chat] pointed at the fake chat (tests/fake_chat_server,
# Slack's shape unless FK_CHAT_SERVICE=mattermost), attendees replying in
# the item's thread through its /_fake side door.
. "$FK_SRCDIR/tests/e2e/lib.sh"

SERVICE=${FK_CHAT_SERVICE:-slack}
DB=$SCRATCH/demo.db
server_pid=
trap 'kill "$server_pid" 2>/dev/null; for s in $(seq 0 $starts); do tmux -L "$TMUX_BASE-$s" kill-server 2>/dev/null; done; rm -rf "$SCRATCH"' EXIT

"$FK_BUILDDIR/tests/fake_chat_server" "$SERVICE" >"$SCRATCH/url" &
server_pid=$!
for _ in $(seq 1 200); do
	[ -s "$SCRATCH/url" ] && break
	sleep 0.1
done
URL=$(cat "$SCRATCH/url")
[ -n "$URL" ] || { fail "the fake chat server did not start"; finish; }

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

# count_posts TEXT: how many of the bot's posts hold TEXT
count_posts() {
	posts | grep -cF -- "$1"
}

if [ "$SERVICE" = slack ]; then
	TOKEN_ENV=SLACK_BOT_TOKEN=xoxb-test
	AOI=U01AOI KEN=U02KEN MEI=U03MEI SATO=U04SATO
else
	TOKEN_ENV=MATTERMOST_TOKEN=mm-test
	AOI=aoi00000000000000000000000 KEN=ken00000000000000000000000
	MEI=mei00000000000000000000000 SATO=sato0000000000000000000000
fi
control user "user=$SATO&text=Sato" >/dev/null
printf '[chat]\nservice = %s\nchannel = #postmortems\nurl = %s\npoll_seconds = 1\n' \
	"$SERVICE" "$URL" >"$SCRATCH/c.ini"
chmod 600 "$SCRATCH/c.ini"
LOG=$SCRATCH/fk.log

start 150 40 env "$TOKEN_ENV" FURIKAERI_LOG="$LOG" "$FK" --db "$DB" --config "$SCRATCH/c.ini" demo
wait_for "proposed Aoi (backup Ken)"
keys Enter
wait_for "facilitator Aoi (backup Ken)"
wait_for "chat: connected" 15

# The follow-ups get their own post; the first postmortem opens its thread.
keys C-n
wait_for "決済障害：カード決済が 48 分間すべて失敗した"
i=0
while [ "$i" -lt $((100 * FK_SLOW)) ]; do
	ROOT=$(posts | awk -F '\t' '$2 == "null" && /pm-2026-034/ { print $1 }')
	[ -n "$ROOT" ] && break
	sleep 0.1
	i=$((i + 1))
done
[ -n "$ROOT" ] || fail "no thread root for pm-2026-034; the bot posted: $(posts)"
assert_eq "the follow-ups' own post" 1 "$(posts | awk -F '\t' '$2 == "null"' | grep -c "Follow-ups")"
assert_contains "the root: severity and date" "SEV1 · 2026-11-27" "$(posts | grep -F "$ROOT")"

# A decision typed at the terminal is echoed into the thread, by kind.
type_line "/decide 証明書は自動で更新する"
wait_for "decision  証明書は自動で更新する"
i=0
while [ "$(count_posts "証明書は自動で更新する")" -lt 1 ] && [ "$i" -lt $((100 * FK_SLOW)) ]; do
	sleep 0.1
	i=$((i + 1))
done
assert_eq "the decision echoed into the thread" "$ROOT" \
	"$(posts | grep -F "証明書は自動で更新する" | cut -f 2)"

# Three attendees reply in the thread: in Japanese, an action with owner
# and due date, and one edited afterwards.
reply "$MEI" "質問：シークレットマネージャーの証明書は誰が見ていた？" >/dev/null
KEN_REF=$(reply "$KEN" "action: 証明書の自動更新ジョブを作る @Ken due:2026-12-20")
SATO_REF=$(reply "$SATO" "the canary only checks the status page")
wait_for "Mei: シークレットマネージャーの証明書は誰が見ていた？" 15
wait_for "Ken: 証明書の自動更新ジョブを作る" 15
wait_for "Sato: the canary only checks the status page" 15
assert_contains "Mei's reply is a question" "question  Mei: シークレット" "$(screen)"
assert_contains "Ken's reply is an action with owner and due" \
	"action 1  Ken: 証明書の自動更新ジョブを作る  @Ken  due 2026-12-20  [proposed]" "$(screen)"
control edit "ref=$SATO_REF&text=$(urlenc "the canary only checks the public endpoint")" >/dev/null
wait_for "Sato: the canary only checks the public endpoint  (edited)" 20

# A reaction by someone else agrees nothing; the facilitator's does.
control react "ref=$KEN_REF&emoji=white_check_mark&user=$MEI" >/dev/null
sleep $((8 * FK_SLOW))
assert_contains "Mei's reaction agrees nothing" "[proposed]" "$(screen)"
control react "ref=$KEN_REF&emoji=white_check_mark&user=$AOI" >/dev/null
wait_for "agreed ✓" 20
assert_eq "agreed in the store" 1 "$(sql "select count(*) from measures where title like '証明書の自動更新%' and agreed_at is not null")"

# Requests while polling one open thread, over ten quiet seconds.
before=$(grep -c "^.*> GET\|^.*> POST" "$LOG")
sleep 10
after=$(grep -c "^.*> GET\|^.*> POST" "$LOG")
echo "requests while polling at poll_seconds = 1: $(( (after - before) * 6 )) a minute"

# The chat goes down: entries are recorded at once all the same, and the
# posts go out once each when it is back.
control down on=1 >/dev/null
type_line "/decide 期限の一覧を毎週見る"
wait_for "decision  期限の一覧を毎週見る"
wait_for "chat: unreachable" 20
type_line "/action 証明書の期限を 30 日前に警告する @Mei due:2026-12-18"
wait_for "action 2  証明書の期限を 30 日前に警告する"
control down on=0 >/dev/null
wait_for "chat: connected" 30
# a post stored whose answer is lost: looked for, never posted twice
control fault name=drop-stored >/dev/null
type_line "/decide 代行の API で自動更新する"
wait_for "decision  代行の API で自動更新する"
sleep $((12 * FK_SLOW))
assert_eq "the decision typed while down, posted once" 1 "$(count_posts "期限の一覧を毎週見る")"
assert_eq "the action typed while down, posted once" 1 "$(count_posts "証明書の期限を 30 日前に警告する")"
assert_eq "the post whose answer was dropped, once" 1 "$(count_posts "代行の API で自動更新する")"
assert_eq "no marker twice at the fake" "" "$(posts | cut -f 3 | sort | uniq -d)"
assert_eq "every entry kept" 3 "$(sql "select count(*) from minutes where body in ('期限の一覧を毎週見る', '証明書の期限を 30 日前に警告する', '代行の API で自動更新する')")"

# kill -9 mid-meeting, a reply arriving while it is gone, and reopen:
# nothing pulled twice.
kill -9 "$(fk_pid)"
wait_for "[exited]"
reply "$MEI" "link: https://github.com/acme/pay/pull/900 自動更新の PR" >/dev/null
start 150 40 env "$TOKEN_ENV" FURIKAERI_LOG="$LOG" "$FK" --db "$DB" --config "$SCRATCH/c.ini" \
	meeting --week 2026-W49
wait_for "決済障害：カード決済が 48 分間すべて失敗した"
wait_for "Mei: https://github.com/acme/pay/pull/900" 20
sleep $((10 * FK_SLOW))
assert_eq "Mei's question pulled once" 1 "$(sql "select count(*) from minutes where body like 'シークレットマネージャーの証明書%'")"
assert_eq "Ken's action pulled once" 1 "$(sql "select count(*) from minutes where body like '証明書の自動更新ジョブ%'")"
assert_eq "Sato's note pulled once" 1 "$(sql "select count(*) from minutes where author = 'Sato'")"
assert_eq "the link pulled once" 1 "$(sql "select count(*) from minutes where kind = 'link' and author = 'Mei'")"
assert_eq "no marker twice after the restart" "" "$(posts | cut -f 3 | sort | uniq -d)"
assert_eq "the thread root once" 1 "$(posts | awk -F '\t' '$2 == "null"' | grep -c "pm-2026-034")"

# /as records for someone; the wrap-up goes to the channel at the end.
type_line "/as Sato /q 夜間に発行できる人は？"
wait_for "Sato: 夜間に発行できる人は？"
type_line "/go 10"
wait_for "Carried over to next week"
keys C-n
wait_for "End the meeting"
keys y
wait_for "the meeting is over"
i=0
while [ "$(posts | awk -F '\t' '$2 == "null"' | grep -c "Wrap-up 2026-W49")" -lt 1 ] &&
	[ "$i" -lt $((150 * FK_SLOW)) ]; do
	sleep 0.1
	i=$((i + 1))
done
assert_contains "the wrap-up posted: agreed measures" "証明書の自動更新ジョブを作る" \
	"$(posts | grep -F "Wrap-up 2026-W49")"
type_line "/quit"
wait_for "[exited]"

# The exported minutes name who said what, with their kinds.
run "$FK" --db "$DB" export --week 2026-W49 --format md
assert_contains "md: Mei's question" "**question** *Mei:* シークレットマネージャーの証明書は誰が見ていた？" "$out"
assert_contains "md: Ken's action" "*Ken:* 証明書の自動更新ジョブを作る" "$out"
assert_contains "md: Sato's edited note" "**note** *Sato:* the canary only checks the public endpoint *(edited" "$out"
assert_contains "md: the facilitator's decision" "**decision** *Aoi:* 証明書は自動で更新する" "$out"
assert_contains "md: /as" "**question** *Sato:* 夜間に発行できる人は？" "$out"
run "$FK" --db "$DB" export --week 2026-W49 --format json
assert_contains "json: version 2" '"format_version": 2' "$out"
json=$(printf '%s' "$out" | tr -d '\n' | sed 's/}, *{/}\n{/g')
printf '%s\n' "$json" | grep -F 'シークレットマネージャーの証明書は誰が見ていた？' |
	grep '"kind": "question"' | grep -q '"author": "Mei"' ||
	fail "json: Mei's question has no kind question or no author Mei"
printf '%s\n' "$json" | grep -F '証明書の自動更新ジョブを作る' | grep -q '"author": "Ken"' ||
	fail "json: Ken's action has no author Ken"
printf '%s\n' "$json" | grep -F 'public endpoint' | grep '"author": "Sato"' | grep -q '"edited_at": "2' ||
	fail "json: Sato's note is not edited or has no author"
finish
