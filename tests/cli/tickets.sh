#!/bin/sh
# furikaeri tickets and doctor through the real binary, with no tracker
# configured: a measure that has a ticket is never queued again; one
# without waits in the outbox, and its history and doctor say why.
. "$FK_SRCDIR/tests/lib.sh"

DB=$SCRATCH/db/fk.db
export FURIKAERI_TODAY=2026-12-03
: >"$SCRATCH/empty.ini"
chmod 600 "$SCRATCH/empty.ini"
CFG="--config $SCRATCH/empty.ini"

run "$FK" --db "$DB" import "$FIXTURES/minutes/2026-W49.json"
assert_eq "import exit status" 0 "$rc"

# Measure 1 carries OPS-413 from the minutes: never filed again.
run "$FK" --db "$DB" $CFG tickets file 1
assert_eq "has ticket exit status" 0 "$rc"
assert_contains "has ticket named" "already has ticket OPS-413" "$out"
run "$FK" --db "$DB" $CFG tickets list --json
assert_eq "nothing queued for measure 1" "0" "$(printf '%s' "$out" | jq '[.[] | select(.measure == 1)] | length')"

# Measure 3 was queued on the other machine: it waits for a tracker here.
run "$FK" --db "$DB" $CFG tickets file 3
assert_eq "waiting exit status" 0 "$rc"
assert_contains "waiting result" "waiting" "$out"
assert_contains "waiting advice" "set [tracker] default and a token, then furikaeri tickets push" "$out"
run "$FK" --db "$DB" $CFG tickets list -v
assert_eq "list exit status" 0 "$rc"
assert_contains "list state" "3      -       failed" "$out"
assert_contains "history: look first" "its marker is looked for before any create" "$out"
assert_contains "history: waiting" "failed waiting for a tracker" "$out"
run "$FK" --db "$DB" $CFG tickets list -v --json
assert_eq "history in JSON" "true" "$(printf '%s' "$out" | jq '.[0].history | length >= 3')"

# doctor lists what waits.
run "$FK" --db "$DB" $CFG doctor
assert_contains "doctor lists the outbox" "waiting in the outbox" "$out"
assert_contains "doctor names the measure" "Alert on pool saturation" "$out"

finish
