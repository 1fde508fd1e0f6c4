#!/bin/sh
# The demo is self-contained (issue 21): run inside a team's repository,
# whose minutes/ holds the real minutes, with the user's data folder set,
# it keeps its database, minutes and exports in a folder of its own, names
# that folder on exit, and changes nothing in the current folder or the
# user's data.
. "$FK_SRCDIR/tests/e2e/lib.sh"

REPO=$SCRATCH/repo
mkdir -p "$REPO/minutes" "$XDG_DATA_HOME/furikaeri/minutes" "$SCRATCH/demotmp"
printf '# The real minutes of 2026-W49\n' >"$REPO/minutes/2026-W49.md"
printf '# The real minutes, in the data folder\n' >"$XDG_DATA_HOME/furikaeri/minutes/2026-W49.md"
state() {
	(cd "$SCRATCH" && find repo data -exec ls -ld --time-style=+%s.%N {} + | sort -k7 &&
		find repo data -type f -exec cksum {} + | sort -k3)
}
before=$(state)

# demo_in DIR: runs the demo to its end with DIR as the current folder;
# sets folder to the demo's own folder
demo_in() {
	rm -rf "$SCRATCH/demotmp"
	mkdir -p "$SCRATCH/demotmp"
	cd "$1" || exit 99
	start 120 36 env TMPDIR="$SCRATCH/demotmp" "$FK" demo
	cd "$SCRATCH" || exit 99
	wait_for "Before we start"
	keys Enter
	wait_for "facilitator Aoi (backup Ken)"
	type_line "a note of the demo"
	wait_for "a note of the demo"
	# on to the wrap-up and the end
	i=0
	while [ "$i" -lt 20 ]; do
		keys C-n
		sleep 0.3
		case "$(screen)" in
		*"End the meeting and write the minutes? y/n"*) break ;;
		esac
		i=$((i + 1))
	done
	wait_for "End the meeting and write the minutes? y/n"
	answer y
	wait_for "the meeting is over; minutes written to"
	type_line "/quit"
	wait_for "[exited] 0"
	wait_for "the demo's folder (database, minutes, exports) is"
	folder=$(ls -d "$SCRATCH"/demotmp/furikaeri-demo-* 2>/dev/null)
	assert_eq "one demo folder" 1 "$(printf '%s\n' "$folder" | grep -c .)"
	case "$(screen | tr -d '\n')" in
	*"$(basename "$folder")"*) ;;
	*) fail "the exit message does not name the demo's folder: $(screen)" ;;
	esac
	[ -f "$folder/furikaeri.db" ] || fail "no database in the demo's folder"
	[ -f "$folder/minutes/2026-W49.md" ] && [ -f "$folder/minutes/2026-W49.json" ] ||
		fail "no minutes in the demo's folder"
	assert_eq "the JSON closes the wrap-up open at the end" "done" \
		"$(jq -r '.items[] | select(.kind == "wrapup") | .state' "$folder/minutes/2026-W49.json" 2>/dev/null)"
	assert_contains "the demo's minutes hold its note" "a note of the demo" \
		"$(cat "$folder/minutes/2026-W49.md" 2>/dev/null)"
}

# In the team's repository: its minutes/ is not the demo's.
demo_in "$REPO"
assert_eq "the current folder and the user's data are unchanged" "$before" "$(state)"
assert_eq "the real minutes are untouched" "# The real minutes of 2026-W49" \
	"$(cat "$REPO/minutes/2026-W49.md")"

# Anywhere else: the user's data folder is not the demo's either.
mkdir -p "$SCRATCH/elsewhere"
before=$(state)
demo_in "$SCRATCH/elsewhere"
assert_eq "the user's data is unchanged" "$before" "$(state)"
assert_eq "nothing written where it ran" "" "$(ls -A "$SCRATCH/elsewhere")"

finish
