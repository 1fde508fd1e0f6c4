#!/bin/sh
# People are chat accounts: roster add --chat and --email, roster set,
# roster sync finding chat ids by e-mail (Slack users.lookupByEmail,
# Mattermost GET users/email/{email}) against the fake chat, and doctor
# naming the people without one.
. "$FK_SRCDIR/tests/lib.sh"

server_pid=
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; rm -rf "$SCRATCH"' EXIT

for service in slack mattermost; do
	DB=$SCRATCH/$service.db
	serve "$SCRATCH/url" "$FK_BUILDDIR/tests/fake_chat_server" "$service"
	server_pid=$served_pid
	URL=$(cat "$SCRATCH/url")
	printf '[chat]\nservice = %s\nchannel = #postmortems\nurl = %s\n' "$service" "$URL" \
		>"$SCRATCH/c.ini"
	chmod 600 "$SCRATCH/c.ini"
	if [ "$service" = slack ]; then
		export SLACK_BOT_TOKEN=xoxb-test
		AOI=U01AOI KEN=U02KEN
	else
		export MATTERMOST_TOKEN=mm-test
		AOI=aoi00000000000000000000000 KEN=ken00000000000000000000000
	fi

	run "$FK" --db "$DB" roster add Aoi --role engineering --email aoi@acme.example
	assert_eq "$service: add --email" 0 "$rc"
	run "$FK" --db "$DB" roster add Ken --chat "$KEN"
	assert_eq "$service: add --chat" "0 added Ken, chat id $KEN" "$rc $out"
	run "$FK" --db "$DB" roster add Mei --email nobody@acme.example
	run "$FK" --db "$DB" roster add Sato
	run "$FK" --db "$DB" roster add Eve --chat "Aoi Tanaka"
	assert_eq "$service: a display name is no chat id" 2 "$rc"
	assert_contains "$service: what to give instead" "give the id, not a name" "$errout"
	run "$FK" --db "$DB" roster add Eve --chat "$KEN"
	assert_eq "$service: one account is one person" 1 "$rc"
	assert_contains "$service: who has it" "already Ken's" "$errout"

	run "$FK" --db "$DB" --config "$SCRATCH/c.ini" doctor
	assert_contains "$service: doctor names who has no chat id" \
		"no chat id (their reactions in the chat agree and file nothing; 'furikaeri roster set NAME --chat ID', or --email and 'furikaeri roster sync'): Aoi, Mei, Sato" "$out"

	run "$FK" --db "$DB" --config "$SCRATCH/c.ini" roster sync
	assert_eq "$service: sync leaves someone without an id: exit 1" 1 "$rc"
	assert_contains "$service: sync found Aoi" "Aoi: chat id $AOI (found by aoi@acme.example)" "$out"
	assert_not_contains "$service: Ken, with an id and no e-mail, untouched" "Ken:" "$out"
	assert_contains "$service: Mei's e-mail finds nobody" "Mei: nobody@acme.example finds no chat account" "$out"
	assert_contains "$service: Sato has neither" "Sato: no chat id and no e-mail" "$out"
	run "$FK" --db "$DB" roster list
	assert_contains "$service: list shows the id" "$AOI" "$(printf '%s\n' "$out" | grep '^Aoi ')"

	# an e-mail that finds another's account never moves authority
	run "$FK" --db "$DB" roster set Aoi --email ken@acme.example
	run "$FK" --db "$DB" roster set Mei --email none
	run "$FK" --db "$DB" roster set Sato --chat none
	run "$FK" --db "$DB" --config "$SCRATCH/c.ini" roster sync
	assert_contains "$service: a different account is reported, not taken" \
		"Aoi: the roster has chat id $AOI but the e-mail is $KEN's in the chat: the roster's is kept" "$out"
	run "$FK" --db "$DB" roster list
	assert_contains "$service: Aoi's id unchanged" "$AOI" "$(printf '%s\n' "$out" | grep '^Aoi ')"
	run "$FK" --db "$DB" roster set Aoi --chat none
	assert_eq "$service: set --chat none" "0 Aoi has no chat id: reactions by them in the chat agree nothing" "$rc $out"

	# a token the chat refuses: exit 5, nothing changed
	if [ "$service" = slack ]; then SLACK_BOT_TOKEN=xoxb-wrong; else MATTERMOST_TOKEN=wrong; fi
	run "$FK" --db "$DB" roster set Aoi --email aoi@acme.example
	run "$FK" --db "$DB" --config "$SCRATCH/c.ini" roster sync
	assert_eq "$service: a refused token: exit 5" 5 "$rc"
	assert_contains "$service: what to fix" "token_file" "$out$errout"
	run "$FK" --db "$DB" roster list
	assert_contains "$service: nothing set" "(no chat id)" "$(printf '%s\n' "$out" | grep '^Aoi ')"

	unset SLACK_BOT_TOKEN MATTERMOST_TOKEN
	kill "$server_pid" 2>/dev/null
	wait "$server_pid" 2>/dev/null
	server_pid=
done
finish
