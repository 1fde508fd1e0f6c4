#!/bin/sh
# Runs a program under valgrind's memcheck, failing (exit 97) on any memory
# error or leak (definite, indirect or possible). `make check-valgrind` uses
# it as LOG_COMPILER for the cmocka binaries and, through FK_VALGRIND, as
# the wrapper of $FK in the shell tests. Reports go to one file per process
# in $FK_VALGRIND_LOGS (empty when clean); tests/valgrind.supp holds the
# suppressions, each for third-party noise only. A child forked without
# exec (the unit tests' second process on one database) is silent: it holds
# a copy of the parent's memory without the parent's threads (the fakes'
# server threads), so everything those threads held would read as leaked;
# the child runs the same code the parent is checked on.
here=$(cd "$(dirname "$0")" && pwd)
logs=${FK_VALGRIND_LOGS:-${TMPDIR:-/tmp}}
mkdir -p "$logs"
exec valgrind --quiet --tool=memcheck --error-exitcode=97 --leak-check=full \
	--show-leak-kinds=definite,indirect,possible \
	--errors-for-leak-kinds=definite,indirect,possible \
	--num-callers=30 --child-silent-after-fork=yes --suppressions="$here/valgrind.supp" \
	--log-file="$logs/vg.%p.log" "$@"
