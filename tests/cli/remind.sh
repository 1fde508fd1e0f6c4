#!/bin/sh
# furikaeri remind through the real binary against the fake Slack and
# Mattermost (tests/fake_chat_server), asserting what the fake stored: a
# measure due soon is reminded in the thread of the item that agreed it, an
# overdue one (with its ticket) in the channel, each owner mentioned by chat
# id; a done, a dropped and a later measure are not; a second run the same
# day posts nothing, nor do two runs at once, nor another machine's store.
. "$FK_SRCDIR/tests/lib.sh"
command -v sqlite3 >/dev/null 2>&1 || { echo "sqlite3 is not installed (scripts/setup installs it)"; exit 77; }

export TZ=UTC
# the fake chat stamps its posts from 2025-12-01T10:00Z on
export FURIKAERI_TODAY=2025-12-01
server_pid=
stop_server() {
	[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
	server_pid=
}
trap 'stop_server; rm -rf "$SCRATCH"' EXIT

sql() {
	sqlite3 -batch -noheader "$1" "$2"
}

control() {
	"$FK_BUILDDIR/tests/fake_chat_server" control "$URL" "$@"
}

# posts: the bot's posts, one "thread<TAB>text" a line (Markdown's
# backslashes dropped)
posts() {
	control posts | tr -d '\n' | sed 's/}, *{/}\n{/g' | sed -n \
		's/.*"thread": *\("[^"]*"\|null\).*"text": *"\(.*\)", *"marker".*/\1\t\2/p' |
		tr -d '"' | sed 's/\\\\//g'
}

count_posts() {
	posts | grep -cF -- "$1"
}

# A meeting of 2025-W48 that agreed five measures on two items; item 1 has
# a thread in the chat (ROOT), item 2 none.
setup_store() {
	db=$1
	"$FK" --db "$db" roster add Mei --email mei@acme.example >/dev/null || fail "roster add Mei"
	"$FK" --db "$db" roster add Ken --email ken@acme.example >/dev/null || fail "roster add Ken"
	"$FK" --db "$db" roster add Aoi >/dev/null || fail "roster add Aoi"
	run env "$TOKEN_ENV" "$FK" --db "$db" --config "$SCRATCH/c.ini" roster sync
	assert_contains "roster sync found Mei" "Mei: chat id $MEI" "$out"
	sql "$db" "
INSERT INTO meetings (id, week, facilitator, started_at, ended_at)
  VALUES (1, '2025-W48', 'Aoi', '2025-11-24T10:00:00Z', '2025-11-24T11:00:00Z');
INSERT INTO agenda_items (id, meeting_id, pos, kind, title, state)
  VALUES (1, 1, 1, 'topic', 'Payment API timeouts', 'done'),
         (2, 1, 2, 'topic', 'Search outage', 'done');
INSERT INTO measures (id, title, owner, due, status, origin, marker, created_at, agreed_at,
                      ticket, ticket_url)
  VALUES (1, 'Add jitter to retries', 'Mei', '2025-12-02', 'open', 'meeting', 'fk-m1',
          '2025-11-24T10:10:00Z', '2025-11-24T10:10:00Z', NULL, NULL),
         (2, 'Alert on pool saturation', 'Ken', '2025-11-28', 'open', 'meeting', 'fk-m2',
          '2025-11-24T10:20:00Z', '2025-11-24T10:20:00Z', 'OPS-9',
          'https://tracker.example/OPS-9'),
         (3, 'Canary checks p99 latency', 'Mei', '2025-11-20', 'done', 'meeting', 'fk-m3',
          '2025-11-24T10:30:00Z', '2025-11-24T10:30:00Z', NULL, NULL),
         (4, 'Write the failover runbook', 'Aoi', '2025-12-20', 'open', 'meeting', 'fk-m4',
          '2025-11-24T10:40:00Z', '2025-11-24T10:40:00Z', NULL, NULL),
         (5, 'Rewrite the search cluster', 'Ken', '2025-11-25', 'not_doing', 'meeting',
          'fk-m5', '2025-11-24T10:50:00Z', '2025-11-24T10:50:00Z', NULL, NULL);
INSERT INTO minutes (meeting_id, item_id, seq, kind, body, measure_id, created_at)
  VALUES (1, 1, 1, 'action', 'Add jitter to retries', 1, '2025-11-24T10:10:00Z'),
         (1, 2, 2, 'action', 'Alert on pool saturation', 2, '2025-11-24T10:20:00Z'),
         (1, 1, 3, 'action', 'Canary checks p99 latency', 3, '2025-11-24T10:30:00Z'),
         (1, 2, 4, 'action', 'Write the failover runbook', 4, '2025-11-24T10:40:00Z'),
         (1, 2, 5, 'action', 'Rewrite the search cluster', 5, '2025-11-24T10:50:00Z');
INSERT INTO chat_posts (meeting_id, item_id, kind, service, marker, body, state, channel,
                        post_ref, queued_at, updated_at)
  VALUES (1, 1, 'root', '$SERVICE', 'fk-root-1', 'Payment API timeouts', 'delivered',
          '$CHANNEL', '$ROOT', '2025-11-24T10:00:00Z', '2025-11-24T10:00:00Z');" ||
		fail "the meeting could not be written into $db"
}

for SERVICE in slack mattermost; do
	serve "$SCRATCH/url" "$FK_BUILDDIR/tests/fake_chat_server" "$SERVICE"
	server_pid=$served_pid
	URL=$(cat "$SCRATCH/url")
	if [ "$SERVICE" = slack ]; then
		TOKEN_ENV=SLACK_BOT_TOKEN=xoxb-test CHANNEL=C0PM
		MEI=U03MEI KEN=U02KEN MEI_AT="<@U03MEI>" KEN_AT="<@U02KEN>"
	else
		TOKEN_ENV=MATTERMOST_TOKEN=mm-test CHANNEL=pm000000000000000000000000
		MEI=mei00000000000000000000000 KEN=ken00000000000000000000000
		MEI_AT="@mei" KEN_AT="@ken"
	fi
	printf '[chat]\nservice = %s\nchannel = #postmortems\nurl = %s\n' "$SERVICE" "$URL" \
		>"$SCRATCH/c.ini"
	chmod 600 "$SCRATCH/c.ini"
	# the thread the meeting opened for item 1 (its root, as the fake has it)
	ROOT=$(control reply "root=&user=$KEN&text=Payment%20API%20timeouts" | tr -d '\n' |
		sed 's/.*"ref": *"\([^"]*\)".*/\1/')
	DB=$SCRATCH/$SERVICE.db
	setup_store "$DB"
	cp "$DB" "$SCRATCH/$SERVICE-other.db"
	cp "$DB" "$SCRATCH/$SERVICE-pair.db"

	# --dry-run: what would go, nothing posted
	run env "$TOKEN_ENV" "$FK" --db "$DB" --config "$SCRATCH/c.ini" remind --dry-run
	assert_eq "$SERVICE dry run: exit 0" 0 "$rc"
	assert_contains "$SERVICE dry run: the due measure" "Add jitter to retries" "$out"
	assert_eq "$SERVICE dry run: nothing posted" 0 "$(count_posts "Reminder")"

	run env "$TOKEN_ENV" "$FK" --db "$DB" --config "$SCRATCH/c.ini" remind
	assert_eq "$SERVICE remind: exit 0" 0 "$rc"
	assert_contains "$SERVICE remind: says so" "measure 1 (Mei, due in 1 day): reminded in its item's thread" "$out"
	assert_eq "$SERVICE: two reminders" 2 "$(count_posts "Reminder:")"
	soon=$(posts | grep -F "Add jitter to retries")
	assert_contains "$SERVICE due soon: Mei mentioned by id" "Reminder: $MEI_AT, " "$soon"
	assert_contains "$SERVICE due soon: when" "is due in 1 day (2025-12-02)" "$soon"
	assert_eq "$SERVICE due soon: in the item's thread" "$ROOT" "$(printf '%s' "$soon" | cut -f 1)"
	late=$(posts | grep -F "Alert on pool saturation")
	assert_contains "$SERVICE overdue: Ken mentioned by id" "Reminder: $KEN_AT, " "$late"
	assert_contains "$SERVICE overdue: by how much" "is overdue by 3 days (due 2025-11-28)" "$late"
	assert_contains "$SERVICE overdue: the ticket" "Ticket OPS-9 https://tracker.example/OPS-9" "$late"
	assert_eq "$SERVICE overdue: no thread, the channel" null "$(printf '%s' "$late" | cut -f 1)"
	assert_eq "$SERVICE: the done measure is not reminded" 0 "$(count_posts "Canary checks")"
	assert_eq "$SERVICE: the dropped measure is not reminded" 0 "$(count_posts "search cluster")"
	assert_eq "$SERVICE: the later measure is not reminded" 0 "$(count_posts "failover runbook")"
	assert_eq "$SERVICE: recorded as reminders" 2 \
		"$(sql "$DB" "select count(*) from chat_posts where kind = 'remind' and state = 'delivered'")"

	# the same day again: nothing more
	run env "$TOKEN_ENV" "$FK" --db "$DB" --config "$SCRATCH/c.ini" remind
	assert_eq "$SERVICE second run: exit 0" 0 "$rc"
	assert_contains "$SERVICE second run: says so" "already reminded today" "$out"
	assert_eq "$SERVICE second run: still two" 2 "$(count_posts "Reminder:")"

	# another machine's store, the same day: its lookup finds both posts
	run env "$TOKEN_ENV" "$FK" --db "$SCRATCH/$SERVICE-other.db" --config "$SCRATCH/c.ini" remind
	assert_eq "$SERVICE another store: exit 0" 0 "$rc"
	assert_contains "$SERVICE another store: found" "found in the chat" "$out"
	assert_eq "$SERVICE another store: still two" 2 "$(count_posts "Reminder:")"

	# the next day, two runs at once on one store: one reminder each
	for i in 1 2; do
		env "$TOKEN_ENV" FURIKAERI_TODAY=2025-12-02 "$FK" --db "$SCRATCH/$SERVICE-pair.db" \
			--config "$SCRATCH/c.ini" remind >"$SCRATCH/pair$i.out" 2>&1 &
		eval "pair$i=\$!"
	done
	wait "$pair1"
	rc1=$?
	wait "$pair2"
	rc2=$?
	assert_eq "$SERVICE pair: first exit 0" 0 "$rc1"
	assert_eq "$SERVICE pair: second exit 0" 0 "$rc2"
	assert_eq "$SERVICE pair: one reminder due today" 1 "$(count_posts "is due today (2025-12-02)")"
	assert_eq "$SERVICE pair: one reminder overdue by 4" 1 "$(count_posts "is overdue by 4 days")"
	assert_eq "$SERVICE pair: one row each" 2 \
		"$(sql "$SCRATCH/$SERVICE-pair.db" "select count(*) from chat_posts where kind = 'remind'")"

	# no measure due in that week's meeting
	run env "$TOKEN_ENV" "$FK" --db "$DB" --config "$SCRATCH/c.ini" remind --week 2025-W40
	assert_eq "$SERVICE nothing due: exit 0" 0 "$rc"
	assert_contains "$SERVICE nothing due: says so" "nothing to remind" "$errout"

	# the chat refuses: exit 5, and the next run goes on
	control member on=0 >/dev/null
	run env "$TOKEN_ENV" FURIKAERI_TODAY=2025-12-03 "$FK" --db "$DB" --config "$SCRATCH/c.ini" remind
	assert_eq "$SERVICE refused: exit 5" 5 "$rc"
	assert_contains "$SERVICE refused: what to do" "the bot is not in #postmortems" "$out"
	control member on=1 >/dev/null
	# the next day the chat takes posts again: that day's reminders go out,
	# the held-back ones of the day before do not go out beside them
	run env "$TOKEN_ENV" FURIKAERI_TODAY=2025-12-04 "$FK" --db "$DB" --config "$SCRATCH/c.ini" remind
	assert_eq "$SERVICE after the refusal: exit 0" 0 "$rc"
	assert_contains "$SERVICE after the refusal: the old ones settled" "2 reminder(s) of earlier days never went out" "$errout"
	assert_eq "$SERVICE after the refusal: the day's reminder" 1 "$(count_posts "is overdue by 6 days")"
	assert_eq "$SERVICE after the refusal: not the day before's" 0 "$(count_posts "is overdue by 5 days")"
	stop_server
done

# No chat configured: exit 4, and what to do; --dry-run still shows them.
: >"$SCRATCH/none.ini"
run "$FK" --db "$DB" --config "$SCRATCH/none.ini" remind
assert_eq "no chat: exit 4" 4 "$rc"
assert_contains "no chat: what to do" "set [chat] in the config file" "$errout"
run "$FK" --db "$DB" --config "$SCRATCH/none.ini" remind --dry-run
assert_eq "no chat, dry run: exit 0" 0 "$rc"
assert_contains "no chat, dry run: the measure" "Alert on pool saturation" "$out"
run "$FK" --db "$DB" --config "$SCRATCH/none.ini" remind --days x
assert_eq "bad --days: exit 2" 2 "$rc"
printf '[chat]\nremind_days = 30\n' >"$SCRATCH/days.ini"
run "$FK" --db "$DB" --config "$SCRATCH/days.ini" remind --dry-run
assert_contains "remind_days: a later measure" "Write the failover runbook" "$out"

finish
