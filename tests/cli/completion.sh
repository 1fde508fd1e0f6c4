#!/bin/sh
# Shell completion: bash's completion function, driven as bash drives it
# (COMP_WORDS, COMP_CWORD, then COMPREPLY), completes commands, options,
# subcommands and values, and the weeks, postmortems and people of a store
# made with the binary; zsh's script completes the same (when zsh is here).
. "$FK_SRCDIR/tests/lib.sh"

command -v bash >/dev/null || { echo "bash is needed" >&2; exit 77; }
DB=$SCRATCH/team.db
export FURIKAERI_TODAY=2026-12-09
# the demo week (postmortems from 2026-12-02 on: weeks 2026-W49 and W50)
# and the demo team; one more person with a space in the name
"$FK" --db "$DB" demo </dev/null >/dev/null || fail "demo into $DB"
"$FK" --db "$DB" roster add "Mei Lin" >/dev/null || fail "roster add"
"$FK" completion bash >"$SCRATCH/furikaeri.bash" || fail "completion bash"
# the scripts call furikaeri as the line names it: found on PATH
mkdir -p "$SCRATCH/bin"
[ -e "$SCRATCH/bin/furikaeri" ] || ln -s "$FK" "$SCRATCH/bin/furikaeri"
PATH=$SCRATCH/bin:$PATH

# comp WORD...: the completions of the last word, one a line
comp() {
	bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _furikaeri
		printf "%s\n" "${COMPREPLY[@]}"' comp "$SCRATCH/furikaeri.bash" "$@"
}

assert_eq "a command's prefix" "roster" "$(comp furikaeri ro)"
assert_eq "commands by prefix" "$(printf 'search\nshow\nstats')" "$(comp furikaeri s | sort)"
assert_eq "help COMMAND" "$(printf 'export')" "$(comp furikaeri help ex)"
assert_eq "an option" "--templates" "$(comp furikaeri list --te)"
assert_eq "an option's alias" "--output" "$(comp furikaeri new --ou)"
assert_eq "the program's own option" "--config" "$(comp furikaeri --con)"
assert_eq "an option's values" "$(printf 'md\njson\nslack')" "$(comp furikaeri export --format '')"
assert_eq "a subcommand" "$(printf 'set\nsync')" "$(comp furikaeri roster s)"
assert_eq "a shell" "zsh" "$(comp furikaeri completion z)"
assert_eq "a week of the store" "2026-W49" "$(comp furikaeri --db "$DB" list --week 2026-W49)"
weeks=$(comp furikaeri --db "$DB" meeting --week '')
assert_eq "this week is offered first" "2026-W50" "$(printf '%s\n' "$weeks" | head -n 1)"
assert_contains "the store's weeks" "2026-W49" "$weeks"
assert_eq "a person for roster away" "Priya" "$(comp furikaeri --db "$DB" roster away Pr)"
assert_eq "a person's option value" "Diego" "$(comp furikaeri --db "$DB" history --person Di)"
assert_eq "a name with a space, quoted for the line" 'Mei\ Lin' \
	"$(comp furikaeri --db "$DB" roster set 'Mei ')"
assert_eq "a postmortem id" "pm-2026-037" "$(comp furikaeri --db "$DB" show pm-2026-03 | head -n 1)"
assert_eq "FURIKAERI_DB is the store too" "Priya" \
	"$(FURIKAERI_DB=$DB comp furikaeri roster remove Pr)"
assert_eq "an option's free value completes nothing" "" "$(comp furikaeri new --title '')"

# completing never creates, migrates or writes a store
out=$(comp furikaeri list --week '')
assert_eq "no store: this week only" "2026-W50" "$out"
[ ! -e "$XDG_DATA_HOME/furikaeri/furikaeri.db" ] || fail "completion created the default store"
sum=$(cksum <"$DB")
comp furikaeri --db "$DB" show '' >/dev/null
assert_eq "the store is only read" "$sum" "$(cksum <"$DB")"

# --list: one word a line; quiet, and status 1, on a file that is no store
run "$FK" --db "$DB" completion --list people
assert_eq "--list people" 0 "$rc"
assert_eq "--list people: roster order" "Aoi" "$(printf '%s\n' "$out" | head -n 1)"
echo "not a database" >"$SCRATCH/junk.db"
run "$FK" --db "$SCRATCH/junk.db" completion --list postmortems
assert_eq "--list on a file that is no store: status" 1 "$rc"
assert_eq "--list on a file that is no store: quiet" "" "$out$errout"
run "$FK" completion --list nothing
assert_eq "--list nothing" 2 "$rc"
assert_contains "--list nothing: says what it takes" "weeks, postmortems or people" "$errout"
run "$FK" completion fish
assert_eq "completion fish" 2 "$rc"
assert_contains "completion fish: which shells" "bash and zsh" "$errout"

# Every command of --help completes, and every option its help's usage and
# option lines name (the script is read from the same table: this checks
# the reading).
cmds=$(comp furikaeri '' | tr '\n' ' ')
for c in $("$FK" --help | sed -n '/^Commands:/,/^$/p' | awk 'NR > 1 && NF { print $1 }'); do
	assert_contains "command $c completes" " $c " " $cmds"
	opts=" $(comp furikaeri "$c" - | tr '\n' ' ')"
	for o in $("$FK" help "$c" | grep -E '^usage:|^ +-' |
		grep -oE -- '(^|[ [,])--?[a-z][a-z-]*' | tr -d ' [,' | grep -vx -e '--db' | sort -u); do
		assert_contains "$c's option $o completes" " $o " "$opts"
	done
done

# zsh: the same script's tables through compadd (stubbed: no terminal here)
if command -v zsh >/dev/null 2>&1; then
	"$FK" completion zsh >"$SCRATCH/_furikaeri" || fail "completion zsh"
	assert_eq "zsh: #compdef first" "#compdef furikaeri" "$(head -n 1 "$SCRATCH/_furikaeri")"
	zcomp() {
		zsh -f -c 'compadd() { [ "$1" = -a ] && print -rl -- "${(@P)2}"; }
			_files() { print FILES; }
			f=$1; shift; words=("$@"); CURRENT=$#; . "$f"' zcomp "$SCRATCH/_furikaeri" "$@"
	}
	assert_contains "zsh: commands" "roster" "$(zcomp furikaeri '')"
	assert_contains "zsh: an option" "--templates" "$(zcomp furikaeri list -)"
	assert_contains "zsh: a week" "2026-W49" "$(zcomp furikaeri --db "$DB" list --week '')"
	assert_contains "zsh: a person" "Mei Lin" "$(zcomp furikaeri --db "$DB" roster away '')"
	assert_eq "zsh: files" "FILES" "$(zcomp furikaeri import '')"
fi
finish
