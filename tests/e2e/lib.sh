# The meeting screen in a real terminal: tmux on a private socket, keys
# sent with send-keys, the screen read with capture-pane.
. "$FK_SRCDIR/tests/lib.sh"

command -v tmux >/dev/null 2>&1 || { echo "tmux is not installed (scripts/setup installs it)"; exit 77; }
command -v sqlite3 >/dev/null 2>&1 || { echo "sqlite3 is not installed (scripts/setup installs it)"; exit 77; }

TMUX_BASE=fk-e2e-$$
TMUX_SOCKET=$TMUX_BASE-0
starts=0
export FURIKAERI_TODAY=2026-12-01
trap 'for s in $(seq 0 $starts); do tmux -L "$TMUX_BASE-$s" kill-server 2>/dev/null; done; rm -rf "$SCRATCH"' EXIT

tm() {
	tmux -L "$TMUX_SOCKET" "$@"
}

# start COLS LINES COMMAND...: runs the command in a fresh terminal, in
# place of the last one
start() {
	tm kill-server 2>/dev/null
	open_terminal "$@"
}

# open_terminal COLS LINES COMMAND...: runs the command in a fresh terminal
# beside the others (a second furikaeri); the keys and the screen functions
# go to it until TMUX_SOCKET says otherwise
open_terminal() {
	cols=$1 lines=$2
	shift 2
	# a fresh server each time: reusing a socket just killed can race
	starts=$((starts + 1))
	TMUX_SOCKET=$TMUX_BASE-$starts
	rm -f "$SCRATCH/fk.pid"
	# the shell writes its pid, then becomes the program (valgrind too
	# runs its guest in the same process): fk_pid finds it
	# the status goes on a line of its own, at its start: a shell that
	# reports the program killed ("Killed ... COMMAND", wrapped when the
	# path is long, as in distcheck) must not split the marker, and a
	# program killed in raw mode leaves a newline that does not return
	# the cursor, hence \r\n
	tm -f /dev/null new-session -d -s fk -x "$cols" -y "$lines" \
		"sh -c 'echo \$\$ >\"$SCRATCH/fk.pid\"; exec \"\$@\"' fk env TERM=screen LC_ALL=C.UTF-8 $*; st=\$?; printf '\\r\\n[exited] %s\\r\\n' \$st; sleep 600"
}

# fk_pid: the process started by the last start
fk_pid() {
	cat "$SCRATCH/fk.pid" 2>/dev/null
}

screen() {
	tm capture-pane -t fk -p 2>&1
}

# wait_for TEXT [SECONDS]: until the screen shows TEXT, else fail with it
wait_for() {
	want=$1 limit=$((${2:-10} * FK_SLOW)) i=0
	while [ "$i" -lt $((limit * 10)) ]; do
		case "$(screen)" in
		*"$want"*) return 0 ;;
		esac
		sleep 0.1
		i=$((i + 1))
	done
	fail "the screen never showed [$want]; it shows:
$(screen)"
	return 1
}

# wait_for_words TEXT [SECONDS]: as wait_for, with the screen's lines
# joined and runs of spaces as one, for a message wrapped on the status line
wait_for_words() {
	want=$1 limit=$((${2:-10} * FK_SLOW)) i=0
	while [ "$i" -lt $((limit * 10)) ]; do
		case "$(screen | tr '\n' ' ' | tr -s ' ')" in
		*"$want"*) return 0 ;;
		esac
		sleep 0.1
		i=$((i + 1))
	done
	fail "the screen never showed [$want]; it shows:
$(screen)"
	return 1
}

# type_line TEXT: types TEXT literally and presses Enter
type_line() {
	tm send-keys -t fk -l "$1"
	tm send-keys -t fk Enter
}

keys() {
	tm send-keys -t fk "$@"
}

# esc: presses Esc alone, as a person does: what follows an Esc at once
# would be read as Alt and that key
esc() {
	tm send-keys -t fk Escape
	sleep "$(awk "BEGIN { print 0.4 * ${FK_SLOW:-1} }")"
}

# answer KEY: answers a y/n question with KEY, then waits as a person reads
# the screen it brought: text typed faster than that after the answer is
# taken as the rest of the answer's word, never as an entry
answer() {
	tm send-keys -t fk "$1"
	sleep "$(awk "BEGIN { print 0.5 * ${FK_SLOW:-1} }")"
}

sql() {
	sqlite3 -batch -noheader "$DB" "$1"
}
