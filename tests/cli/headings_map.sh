#!/bin/sh
# The team maps what furikaeri cannot know (issue 26): import --check ends
# with the headings no list knows, with the files each is in and one of
# them, and [headings] in the config maps one to a section on the next
# import; an unknown section key is refused with its line.
. "$FK_SRCDIR/tests/lib.sh"

DB=$SCRATCH/fk.db
mkdir -p "$SCRATCH/pm"
printf '# Lost writes\n\nDate: 2026-11-02\n\n## What happened\n\nWrites were lost.\n\n## Where we go from here\n\n- Add a write canary (@ken)\n' \
	>"$SCRATCH/pm/a.md"
printf '# Slow API\n\nDate: 2026-11-03\n\n## Where we go from here\n\n- Cache the token\n\n## Odd notes\n\nx\n' \
	>"$SCRATCH/pm/b.md"
printf '# Disk\n\nDate: 2026-11-04\n\n## Where we go from here\n\n- Alert at 80%%\n\n## Where we go from here\n\n- and at 90%%\n' \
	>"$SCRATCH/pm/c.md"

run "$FK" --config /dev/null import --check "$SCRATCH/pm"
assert_eq "check: exit 0" 0 "$rc"
tail=$(printf '%s\n' "$out" | sed -n '/^headings no list knows/,$p')
assert_eq "the unknown headings, most files first, a file counted once" \
	"headings no list knows (map one in the config: [headings] measures = HEADING):
  Where we go from here: 3 files ($SCRATCH/pm/a.md)
  Odd notes: 1 file ($SCRATCH/pm/b.md)" "$tail"

printf '[headings]\nmeasures = Where we go from here, Next moves\n' >"$SCRATCH/c.ini"
run "$FK" --config "$SCRATCH/c.ini" import --check "$SCRATCH/pm"
assert_not_contains "a mapped heading is known" "Where we go from here: " "$out"
assert_contains "the other is still listed" "Odd notes: 1 file" "$out"
run "$FK" --db "$DB" --config "$SCRATCH/c.ini" import "$SCRATCH/pm"
assert_eq "import with the mapping" "0 added 3, updated 0, unchanged 0, failed 0" "$rc $out"
run "$FK" --db "$DB" show a --json
assert_eq "its measures are measures" "Add a write canary" "$(printf '%s' "$out" | jq -r '.measures[0].title')"

printf '[headings]\nmeasurez = Where we go from here\n' >"$SCRATCH/bad.ini"
run "$FK" --config "$SCRATCH/bad.ini" import --check "$SCRATCH/pm"
assert_eq "an unknown section key: exit 4" 4 "$rc"
assert_contains "the file, its line and the keys" "bad.ini:2: [headings] measurez: not a section; one of summary" "$errout"
finish
