#!/bin/sh
# Every result speaks: an empty result says so on stderr and succeeds;
# owners match ignoring case; an empty name is refused; a bad
# FURIKAERI_TODAY is an error; a minutes hit has an id; help NAME is that
# command's help and help nosuch an error.
. "$FK_SRCDIR/tests/lib.sh"

export FURIKAERI_TODAY=2026-12-03
DB=$SCRATCH/fk.db
EMPTY=$SCRATCH/empty.db

# Empty results: nothing on stdout, one line on stderr, exit 0.
for case in "list|no postmortems yet; index some with 'furikaeri import PATH'" \
	"list --week 2026-W49|no postmortems in 2026-W49" \
	"list --since 2026-11-01|no postmortems since 2026-11-01" \
	"history|no meetings recorded yet; 'furikaeri' opens this week's" \
	"actions|no prevention measures" \
	"actions --open --owner Ken|no open measures owned by Ken"; do
	args=${case%%|*}
	# shellcheck disable=SC2086
	run "$FK" --db "$EMPTY" $args
	assert_eq "$args on an empty store: exit status" 0 "$rc"
	assert_eq "$args on an empty store: stdout" "" "$out"
	assert_eq "$args on an empty store: stderr" "furikaeri ${args%% *}: ${case#*|}" "$errout"
done

"$FK" --db "$DB" import "$FIXTURES/minutes/2026-W49.json" >/dev/null || fail "import the minutes"

# Owners: Mei's measure, asked for as mei, MEI or @mei.
for owner in Mei mei MEI @mei; do
	run "$FK" --db "$DB" actions --json --owner "$owner"
	assert_eq "actions --owner $owner: exit status" 0 "$rc"
	assert_eq "actions --owner $owner: Mei's measure" "Add jitter + retry budget" \
		"$(printf '%s' "$out" | jq -r '.[].title')"
done

# An empty name never reaches the roster.
run "$FK" --db "$DB" roster add ""
assert_eq "roster add '': exit status" 2 "$rc"
assert_not_contains "roster add '': nothing added" "added" "$out"
run "$FK" --db "$DB" roster list
assert_not_contains "roster add '': no nameless person" "$(printf '\n ')" "$(printf '\n%s' "$out")"

# FURIKAERI_TODAY that is not a date stops every command before it runs.
run env FURIKAERI_TODAY=tomorrow "$FK" --db "$DB" roster add Sato
assert_eq "bad FURIKAERI_TODAY: exit status" 4 "$rc"
assert_contains "bad FURIKAERI_TODAY: what to do" "write it as YYYY-MM-DD" "$errout"
run "$FK" --db "$DB" roster list
assert_not_contains "bad FURIKAERI_TODAY: nothing was done" "Sato" "$out"

# A search hit in the minutes is named by its week and entry number.
run "$FK" --db "$DB" search --json canary
assert_eq "minutes hit: exit status" 0 "$rc"
assert_eq "minutes hit: its id" "2026-W49#3" "$(printf '%s' "$out" | jq -r '.[0].id')"
assert_eq "minutes hit: where" "minutes 2026-W49" "$(printf '%s' "$out" | jq -r '.[0].match')"

# help NAME shows that command's help only; help nosuch is an error.
run "$FK" help roster
assert_eq "help roster: exit status" 0 "$rc"
assert_contains "help roster: its usage" "usage: furikaeri [--db PATH] roster" "$out"
assert_contains "help roster: --role is optional" "add NAME [--role ROLE]" "$out"
assert_not_contains "help roster: not the whole help" "Commands:" "$out"
run "$FK" help nosuch
assert_eq "help nosuch: exit status" 2 "$rc"
assert_eq "help nosuch: stdout" "" "$out"
assert_contains "help nosuch: where to look" "see 'furikaeri --help'" "$errout"
run "$FK" --help
assert_contains "--help: the no-command form" "furikaeri [--db PATH] [--config PATH] [-v] [--week YYYY-Www]" "$out"
assert_contains "--help: help COMMAND" "furikaeri help [COMMAND]" "$out"

# An option error: one usage line and where to look, the program by its name.
run "$FK" --db "$DB" list --colour
assert_eq "option error: exit status" 2 "$rc"
assert_eq "option error: the message" "furikaeri list: unrecognized option '--colour'
usage: furikaeri [--db PATH] list [--week YYYY-Www | --since YYYY-MM-DD] [--templates] [--json]
see 'furikaeri list --help'" "$errout"
finish
