#!/bin/sh
# export -o PATH writes where PATH points and never replaces what is not a
# regular file: a symlink's target is replaced, a device, FIFO or
# /dev/stdout is written into, a folder is refused.
. "$FK_SRCDIR/tests/lib.sh"

DB=$SCRATCH/fk.db
"$FK" --db "$DB" import "$FIXTURES/minutes/2026-W49.json" >/dev/null || fail "import the minutes"
export_to() {
	run "$FK" --db "$DB" export --week 2026-W49 --format md -o "$1"
}
TITLE="# Postmortem review 2026-W49"

# A regular file is replaced, keeping its mode; no temporary file is left.
printf 'old\n' >"$SCRATCH/plain.md"
chmod 640 "$SCRATCH/plain.md"
export_to "$SCRATCH/plain.md"
assert_eq "regular file: exit status" 0 "$rc"
assert_eq "regular file: replaced" "$TITLE" "$(head -n 1 "$SCRATCH/plain.md")"
assert_eq "regular file: keeps its mode" 640 "$(stat -c %a "$SCRATCH/plain.md")"
assert_eq "regular file: no temporary file left" "" "$(ls "$SCRATCH" | grep 'plain.md.' || true)"

# A symlink stays a symlink; its target gets the minutes.
mkdir -p "$SCRATCH/repo"
printf 'old\n' >"$SCRATCH/repo/target.md"
ln -s repo/target.md "$SCRATCH/link.md"
export_to "$SCRATCH/link.md"
assert_eq "symlink: exit status" 0 "$rc"
[ -L "$SCRATCH/link.md" ] || fail "symlink: the link was replaced by a file"
assert_eq "symlink: the target is written" "$TITLE" "$(head -n 1 "$SCRATCH/repo/target.md")"
ln -s repo/new.md "$SCRATCH/dangling.md"
export_to "$SCRATCH/dangling.md"
assert_eq "dangling symlink: exit status" 0 "$rc"
[ -L "$SCRATCH/dangling.md" ] || fail "dangling symlink: the link was replaced"
assert_eq "dangling symlink: its target is created" "$TITLE" "$(head -n 1 "$SCRATCH/repo/new.md")"

# A FIFO: its reader gets the minutes, and it stays a FIFO.
mkfifo "$SCRATCH/pipe"
head -n 1 "$SCRATCH/pipe" >"$SCRATCH/from-pipe" &
reader=$!
export_to "$SCRATCH/pipe"
wait "$reader"
assert_eq "FIFO: exit status" 0 "$rc"
assert_eq "FIFO: the reader got the minutes" "$TITLE" "$(cat "$SCRATCH/from-pipe")"
[ -p "$SCRATCH/pipe" ] || fail "FIFO: replaced by a file"

# /dev/stdout into a pipe.
out=$("$FK" --db "$DB" export --week 2026-W49 --format md -o /dev/stdout | head -n 1)
assert_eq "/dev/stdout: the minutes come out" "$TITLE" "$out"

# A character device stays a device (a copy of /dev/null where we may make one).
if mknod "$SCRATCH/null" c 1 3 2>/dev/null; then
	export_to "$SCRATCH/null"
	assert_eq "device: exit status" 0 "$rc"
	[ -c "$SCRATCH/null" ] || fail "device: replaced by a regular file"
else
	export_to /dev/null
	assert_eq "/dev/null: exit status" 0 "$rc"
fi
[ -c /dev/null ] || fail "/dev/null is no longer a device"

# A Unix socket (a listener that keeps what it is sent) is connected to.
if command -v python3 >/dev/null 2>&1; then
	python3 -c '
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[1]); s.listen(1); s.settimeout(30)
open(sys.argv[1] + ".ready", "w").close()
c, _ = s.accept(); data = b""
while True:
    b = c.recv(65536)
    if not b: break
    data += b
open(sys.argv[2], "wb").write(data)
' "$SCRATCH/sock" "$SCRATCH/from-sock" &
	listener=$!
	i=0
	while [ ! -e "$SCRATCH/sock.ready" ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
	export_to "$SCRATCH/sock"
	wait "$listener"
	assert_eq "socket: exit status" 0 "$rc"
	assert_eq "socket: the listener got the minutes" "$TITLE" "$(head -n 1 "$SCRATCH/from-sock")"
	[ -S "$SCRATCH/sock" ] || fail "socket: replaced by a file"
	# -o /dev/stdout when standard output is a socket (as under some
	# service managers), which cannot be opened by name
	got=$(python3 -c '
import socket, subprocess, sys
a, b = socket.socketpair()
p = subprocess.Popen(sys.argv[1:], stdout=a)
a.close(); data = b""
while True:
    chunk = b.recv(65536)
    if not chunk: break
    data += chunk
sys.exit(p.wait() or print(data.decode().splitlines()[0]))
' "$FK" --db "$DB" export --week 2026-W49 --format md -o /dev/stdout) && rc=0 || rc=$?
	assert_eq "/dev/stdout as a socket: exit status" 0 "$rc"
	assert_eq "/dev/stdout as a socket: the minutes come out" "$TITLE" "$got"
fi

# A folder is refused and named.
mkdir -p "$SCRATCH/minutes"
export_to "$SCRATCH/minutes"
assert_eq "folder: exit status" 1 "$rc"
assert_contains "folder: named" "$SCRATCH/minutes is a folder" "$errout"
assert_contains "folder: what to do" "give the file to write in it" "$errout"
[ -d "$SCRATCH/minutes" ] || fail "folder: it was replaced"

finish
