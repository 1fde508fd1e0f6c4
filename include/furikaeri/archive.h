#ifndef FURIKAERI_ARCHIVE_H
#define FURIKAERI_ARCHIVE_H

/* Where a team's postmortems live: the archive's root is the folder their
 * paths are stored relative to, so the store, the minutes and another
 * facilitator's machine name a file the same way. */

/* The root of an absolute path: root (the configured [postmortems] root,
 * may be NULL) when the path is inside it, else the nearest folder above it
 * that holds .git (a git work tree), else NULL. Owned. */
char *archive_root(const char *abs_path, const char *root);
/* The path of abs_path relative to root (inside it), borrowed from
 * abs_path; abs_path itself when it is not inside. */
const char *archive_inside(const char *abs_path, const char *root);
/* abs_path as a relative path from the folder from_dir (both absolute,
 * without trailing '/'): "../postmortems/pm-031.md". Owned. */
char *archive_relative(const char *abs_path, const char *from_dir);

#endif
