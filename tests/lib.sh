# Shared by the shell tests: a scratch folder, the binary, and assertions.
# Each test sources this file; FK_SRCDIR and FK_BUILDDIR come from the harness.
set -u

: "${FK_SRCDIR:?run through make check}"
: "${FK_BUILDDIR:?run through make check}"
FK=$FK_BUILDDIR/furikaeri
# make check-valgrind: the binary runs under memcheck (tests/valgrind.sh)
# and the screen tests wait longer for it.
FK_SLOW=1
if [ -n "${FK_VALGRIND:-}" ]; then
	FK_SLOW=8
fi
FIXTURES=$FK_SRCDIR/tests/fixtures
SCRATCH=$(mktemp -d "${TMPDIR:-/tmp}/fk-test-XXXXXX")
trap 'rm -rf "$SCRATCH"' EXIT
# the demo's own folder, and any other temporary file, goes with the rest
mkdir -p "$SCRATCH/tmp"
export TMPDIR=$SCRATCH/tmp
# tools installed under the real home (Prism) stay findable
export FK_PEERS=${FK_PEERS:-$HOME/.cache/furikaeri-peers}
export XDG_DATA_HOME=$SCRATCH/data XDG_CONFIG_HOME=$SCRATCH/config HOME=$SCRATCH
unset FURIKAERI_DB FURIKAERI_DATADIR FURIKAERI_LOG
failures=0
if [ -n "${FK_VALGRIND:-}" ]; then
	mkdir -p "$SCRATCH/bin"
	printf '#!/bin/sh\nexec "%s" "%s" "$@"\n' "$FK_SRCDIR/tests/valgrind.sh" "$FK" \
		>"$SCRATCH/bin/furikaeri"
	chmod +x "$SCRATCH/bin/furikaeri"
	FK=$SCRATCH/bin/furikaeri
fi

fail() {
	printf 'FAIL: %s\n' "$*" >&2
	failures=$((failures + 1))
}

# assert_eq WHAT EXPECTED ACTUAL
assert_eq() {
	if [ "$2" != "$3" ]; then
		fail "$1: expected [$2], got [$3]"
	fi
}

# assert_contains WHAT NEEDLE HAYSTACK
assert_contains() {
	case "$3" in
	*"$2"*) ;;
	*) fail "$1: [$2] not found in [$3]" ;;
	esac
}

assert_not_contains() {
	case "$3" in
	*"$2"*) fail "$1: [$2] unexpectedly found in [$3]" ;;
	*) ;;
	esac
}

# run CMD...: runs it, keeping stdout in $out, stderr in $errout, status in $rc
run() {
	out=$("$@" 2>"$SCRATCH/stderr") && rc=0 || rc=$?
	errout=$(cat "$SCRATCH/stderr")
}

# lock_db DB: the sqlite3 shell takes DB's write lock (BEGIN EXCLUSIVE and
# a write) and keeps it until unlock_db; it waits for a busy database and
# gives up on any error, so "held" means held.
lock_db() {
	rm -f "$SCRATCH/holder" "$SCRATCH/holder.out"
	mkfifo "$SCRATCH/holder"
	sqlite3 "$1" <"$SCRATCH/holder" >"$SCRATCH/holder.out" 2>&1 &
	holder=$!
	exec 3>"$SCRATCH/holder"
	printf '.timeout 10000\n.bail on\nBEGIN EXCLUSIVE;\nCREATE TABLE hold(x);\nSELECT %s;\n' \
		"'held'" >&3
	i=0
	until grep -q held "$SCRATCH/holder.out" 2>/dev/null || [ $i -ge 150 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	grep -q held "$SCRATCH/holder.out" ||
		fail "the sqlite3 shell never took the lock: $(cat "$SCRATCH/holder.out")"
}

# unlock_db: the shell ends, rolling its transaction back
unlock_db() {
	exec 3>&-
	wait "$holder"
}

# serve OUT COMMAND...: starts a fake server (tests/fake_*_server) in the
# background and waits up to 20 s for the base URL it prints first, into
# OUT; served_pid is its pid. Fails when no URL came.
serve() {
	out=$1
	shift
	"$@" >"$out" &
	served_pid=$!
	for _ in $(seq 1 200); do
		[ -s "$out" ] && return 0
		sleep 0.1
	done
	fail "$* printed no URL"
	return 1
}

finish() {
	if [ "$failures" -gt 0 ]; then
		printf '%d check(s) failed\n' "$failures" >&2
		exit 1
	fi
	exit 0
}
