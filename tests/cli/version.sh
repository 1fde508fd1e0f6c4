#!/bin/sh
# The version has one source, configure.ac's AC_INIT: furikaeri --version
# prints it, and debian/changelog's upstream version must be the same, so
# the package and the program cannot drift apart.
. "$FK_SRCDIR/tests/lib.sh"

ac=$(sed -n 's/^AC_INIT(\[furikaeri\], *\[\([^]]*\)\].*/\1/p' "$FK_SRCDIR/configure.ac")
[ -n "$ac" ] || fail "no version in configure.ac's AC_INIT"
assert_eq "furikaeri --version is configure.ac's" "furikaeri $ac" "$("$FK" --version)"

changelog=$FK_SRCDIR/debian/changelog
if [ ! -f "$changelog" ]; then
	# the release tarball (make dist) does not ship debian/
	echo "SKIP: no debian/changelog here"
	[ "$failures" -eq 0 ] || finish
	exit 77
fi
deb=$(sed -n '1s/^furikaeri (\([^)]*\)) .*/\1/p' "$changelog")
[ -n "$deb" ] || fail "debian/changelog's first line names no furikaeri version"
upstream=${deb#*:}
upstream=${upstream%-*}
assert_eq "debian/changelog's upstream version ($deb) is configure.ac's" "$ac" "$upstream"
finish
