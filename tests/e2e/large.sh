#!/bin/sh
# A 5 MB postmortem pages at once at 80x24 (issue 23): its details are laid
# out once, not again for every page and every typed key, so text typed
# right after a run of PgDn keys shows within a second (it took seconds:
# each page wrapped the whole text again).
. "$FK_SRCDIR/tests/e2e/lib.sh"

DB=$SCRATCH/large.db
mkdir -p "$SCRATCH/pm"
awk 'BEGIN {
	printf "---\nid: pm-long\ntitle: \"A long night\"\ndate: 2026-11-30\nseverity: SEV2\nstatus: ready\n---\n\n"
	printf "# A long night\n\n## Summary\n\nThe queue backed up.\n\n## Timeline\n\n"
	for (n = 0; n < 5 * 1024 * 1024; n += length(l) + 1) {
		l = sprintf("- 10:%02d event %d: the consumer fell behind and the backlog grew by %d messages", i % 60, i, (i * 7919) % 10000)
		print l
		i++
	}
}' >"$SCRATCH/pm/long.md"
[ "$(wc -c <"$SCRATCH/pm/long.md")" -ge 5000000 ] || fail "the postmortem is not 5 MB"
"$FK" --db "$DB" import "$SCRATCH/pm" >/dev/null || fail "import the long postmortem"

start 80 24 env USER=aoi "$FK" --db "$DB" --config /dev/null meeting
wait_for "Before we start"
keys Enter
# the first frame lays the whole text out once (seconds under the
# sanitizers or valgrind): what is timed is what comes after
wait_for "PgUp/PgDn" 90
# first_line: the first line of the details shown, from the " 1-9/N" mark
first_line() {
	screen | grep -o '[0-9]*-[0-9]*/[0-9]* PgUp/PgDn' | cut -d- -f1
}
assert_eq "the details start at their top" 1 "$(first_line)"
keys NPage NPage NPage NPage NPage NPage NPage NPage NPage NPage
tm send-keys -t fk -l "typed while paging"
wait_for "typed while paging" 1
[ "$(first_line)" -gt 50 ] || fail "the details did not page: $(screen)"
keys Enter
wait_for "note" 2
assert_eq "the note is in the store" 1 \
	"$(sql "SELECT count(*) FROM minutes WHERE body = 'typed while paging'")"
finish
