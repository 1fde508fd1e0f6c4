#!/bin/sh
# Exit codes exactly as furikaeri(1)'s EXIT STATUS says, for every command:
# each line of tests/fixtures/exit-codes/table.txt runs one failure case
# and checks its status and that the message says what to do.
. "$FK_SRCDIR/tests/lib.sh"

command -v sqlite3 >/dev/null 2>&1 || { echo "sqlite3 is not installed (scripts/setup installs it)"; exit 77; }
export FURIKAERI_TODAY=2026-12-03
unset GITHUB_TOKEN GH_TOKEN JIRA_API_TOKEN
S=$SCRATCH/s
mkdir -p "$S"

DB=$SCRATCH/fk.db
"$FK" --db "$DB" import "$FIXTURES/minutes/2026-W49.json" "$FIXTURES/import/payment-timeouts.md" \
	>/dev/null || fail "set up: import"
"$FK" --db "$DB" roster add Aoi >/dev/null 2>&1
EMPTY=$SCRATCH/empty.db
FOREIGN=$SCRATCH/other.sqlite
sqlite3 "$FOREIGN" "create table t (x); insert into t values (1)"
# measures without a ticket, and one with
FREE=$("$FK" --db "$DB" actions --json | jq -r '[.[] | select(.ticket == null)][0].id')
FREE2=$("$FK" --db "$DB" actions --json | jq -r '[.[] | select(.ticket == null)][1].id')
TICKETED=$("$FK" --db "$DB" actions --json | jq -r '[.[] | select(.ticket != null)][0].id')
[ "$FREE" != null ] && [ "$FREE2" != null ] && [ "$TICKETED" != null ] ||
	fail "set up: the fixtures need two measures without a ticket and one with"
NOTDB=$SCRATCH/notes.db
printf 'name,title\nAoi,Payment timeouts\n' >"$NOTDB"
DAMAGED=$SCRATCH/damaged.db
cp "$DB" "$DAMAGED"
sqlite3 "$DAMAGED" "pragma wal_checkpoint(TRUNCATE)" >/dev/null
rm -f "$DAMAGED-wal" "$DAMAGED-shm"
truncate -s $(($(stat -c %s "$DAMAGED") / 2)) "$DAMAGED"
NODATA=$SCRATCH/no-such-folder
PARTDATA=$SCRATCH/partdata
mkdir -p "$PARTDATA/blameless"
cp "$FK_SRCDIR/data/blameless/"*.txt "$PARTDATA/blameless/"
BROKEN=$FIXTURES/cli/broken-front-matter.md
CFG_MISSING=$SCRATCH/missing.ini
CFG_SECTION=$SCRATCH/bad-section.ini
printf '[meeting]\nbudget_minutes = 50\n[wiki]\n' >"$CFG_SECTION"
CFG_KEY=$SCRATCH/bad-key.ini
printf '[github]\ncolour = red\n' >"$CFG_KEY"
CFG_VALUE=$SCRATCH/bad-value.ini
printf '[meeting]\nbudget_minutes = 2\n' >"$CFG_VALUE"
CFG_NONE=$SCRATCH/none.ini
printf '[meeting]\nbudget_minutes = 60\n' >"$CFG_NONE"
# loopback port 9 (discard) is closed: every request fails to connect
CFG_HOOK=$SCRATCH/hook.ini
printf '[minutes]\nwebhook_url = http://127.0.0.1:9/hook\n' >"$CFG_HOOK"
chmod 600 "$CFG_HOOK"
CFG_GITHUB=$SCRATCH/github.ini
printf '[github]\nurl = http://127.0.0.1:9\nrepo = acme/pay\n' >"$CFG_GITHUB"

cases=0
while IFS= read -r line; do
	case $line in '#'* | '') continue ;; esac
	want=$(printf '%s' "$line" | sed 's/ *|.*//')
	needle=$(printf '%s' "$line" | sed 's/^[^|]*| *//; s/ *|.*//')
	cmdline=$(printf '%s' "$line" | sed 's/^[^|]*|[^|]*| *//')
	cases=$((cases + 1))
	eval "$cmdline" >"$SCRATCH/out" 2>"$SCRATCH/err" && rc=0 || rc=$?
	errout=$(cat "$SCRATCH/err")
	# what a check prints (doctor, tickets) is on stdout, the rest on stderr
	said=$(cat "$SCRATCH/out" "$SCRATCH/err")
	if [ "$rc" != "$want" ]; then
		fail "$cmdline: exit status $rc, want $want; it said: $errout"
		continue
	fi
	if [ -z "$needle" ]; then
		[ -z "$errout" ] || fail "$cmdline: stderr should be empty, it said: $errout"
		continue
	fi
	assert_contains "$cmdline: the message" "$needle" "$said"
	# the program calls itself furikaeri, never by its path
	assert_not_contains "$cmdline: the program's name" "$FK" "$errout"
	# a failure is one message, not the whole help
	if [ "$want" != 0 ] && [ "$(printf '%s\n' "$errout" | wc -l)" -gt 4 ]; then
		fail "$cmdline: $(printf '%s\n' "$errout" | wc -l) lines on stderr: $errout"
	fi
done <"$FIXTURES/exit-codes/table.txt"
[ "$cases" -ge 90 ] || fail "only $cases cases ran"

# Refused files were left alone: nothing of furikaeri's was added to them.
assert_eq "the foreign file keeps its one table" t \
	"$(sqlite3 "$FOREIGN" "select group_concat(name) from sqlite_schema")"
assert_eq "the text file is as it was" "name,title" "$(head -n 1 "$NOTDB")"
# Nothing parsed without its heading lists was stored.
assert_eq "nothing imported without the data folder" 0 \
	"$(sqlite3 "$EMPTY" "select count(*) from postmortems" 2>/dev/null || echo 0)"
finish
