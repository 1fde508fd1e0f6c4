#ifndef FURIKAERI_PATHS_H
#define FURIKAERI_PATHS_H

#include <stddef.h>

/* Where furikaeri's files are. Every returned string is owned by the caller. */

/* Creates the folders above path (mode 0700) that do not exist yet. */
int paths_make_parent(const char *path, char **err);
/* $FURIKAERI_DB, else $XDG_DATA_HOME/furikaeri/furikaeri.db (with
 * ~/.local/share when XDG_DATA_HOME is unset). NULL and *err when neither
 * XDG_DATA_HOME nor HOME is set. */
char *paths_default_db(char **err);
/* $XDG_DATA_HOME/furikaeri/NAME (~/.local/share when unset); NULL and
 * *err as for paths_default_db. */
char *paths_data_file(const char *name, char **err);
/* $XDG_CONFIG_HOME/furikaeri/config.ini (~/.config when unset). */
char *paths_default_config(char **err);
/* The folder of shipped data: $FURIKAERI_DATADIR when set; the source
 * tree's data/ when this binary runs from its build tree; else the
 * installed pkgdatadir. */
char *paths_data_dir(void);
/* Checks that the data folder holds every one of names (relative to it);
 * else fills *err naming the folder and each one missing. */
int paths_data_require(const char *const *names, size_t n, char **err);
/* Reads a whole file (owned, NUL-terminated; *len excludes the NUL). */
int paths_read_file(const char *path, char **buf, size_t *len, char **err);
/* The names of the regular files in dir ending in suffix, sorted (owned,
 * each joined to dir); a missing folder gives none. */
char **paths_list(const char *dir, const char *suffix, size_t *n);
/* dir + "/" + name. */
char *paths_join(const char *dir, const char *name);

#endif
