#!/bin/sh
# configure names the Debian package of a library that SQLite's static
# archive needs and that does not link (on a fresh machine zlib1g-dev was
# missing and the link failed with "cannot find -lz").
. "$FK_SRCDIR/tests/lib.sh"

pcdir=$(pkg-config --variable=pcfiledir sqlite3 2>/dev/null)
libdir=$(pkg-config --variable=libdir sqlite3 2>/dev/null)
if [ -z "$pcdir" ] || [ ! -f "$libdir/libsqlite3.a" ]; then
	echo "SKIP: no static SQLite archive here (libsqlite3-dev ships it)"
	exit 77
fi
mkdir -p "$SCRATCH/pc" "$SCRATCH/build"
sed 's/^Libs.private:.*/& -lfk_no_such_library/' "$pcdir/sqlite3.pc" >"$SCRATCH/pc/sqlite3.pc"
cd "$SCRATCH/build" || exit 99
run env PKG_CONFIG_PATH="$SCRATCH/pc" "$FK_SRCDIR/configure" -q
assert_eq "configure with an unlinkable Libs.private" 1 "$rc"
assert_contains "configure names the library" "needs -lfk_no_such_library" "$errout"
assert_contains "configure says what to do" "apt-get install" "$errout"
assert_contains "configure offers the shared library" "--disable-static-sqlite" "$errout"
# the shared library needs none of that
run env PKG_CONFIG_PATH="$SCRATCH/pc" "$FK_SRCDIR/configure" -q --disable-static-sqlite
assert_eq "configure --disable-static-sqlite with the same pkg-config file" 0 "$rc"
finish
