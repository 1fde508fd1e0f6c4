#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "furikaeri/archive.h"
#include "furikaeri/err.h"
#include "furikaeri/export_json.h"
#include "furikaeri/export_md.h"
#include "furikaeri/export_minutes.h"
#include "furikaeri/paths.h"
#include "furikaeri/store_minutes_doc.h"
#include "furikaeri/xalloc.h"

/* Follows path's symbolic links to the name they end at (which may not
 * exist yet), so that the file replaced is the link's target, not the link. */
static char *
resolve_links(const char *path, char **err)
{
	char *cur = xstrdup(path);

	for (int hops = 0; hops < 40; hops++) {
		char link[PATH_MAX], *next, *slash;
		struct stat sb;
		ssize_t n;

		if (lstat(cur, &sb) < 0 || !S_ISLNK(sb.st_mode))
			return cur;
		n = readlink(cur, link, sizeof(link) - 1);
		if (n < 0)
			return cur;
		link[n] = '\0';
		slash = strrchr(cur, '/');
		if (link[0] == '/' || slash == NULL)
			next = xstrdup(link);
		else
			next = xasprintf("%.*s/%s", (int)(slash - cur), cur, link);
		free(cur);
		cur = next;
	}
	err_set(err, "%s: too many symbolic links; point it at a file", path);
	free(cur);
	return NULL;
}

static int
write_all(int fd, const char *text, size_t len)
{
	size_t done = 0;

	while (done < len) {
		ssize_t n = write(fd, text + done, len - done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		done += (size_t)n;
	}
	return 0;
}

/* The descriptor a name such as /dev/stdout or /proc/self/fd/3 stands for,
 * or -1: such a name cannot be opened when it is a socket. */
static int
fd_of_name(const char *path)
{
	int fd;
	char end;

	if (strcmp(path, "/dev/stdout") == 0)
		return STDOUT_FILENO;
	if (strcmp(path, "/dev/stderr") == 0)
		return STDERR_FILENO;
	if (sscanf(path, "/dev/fd/%d%c", &fd, &end) == 1 ||
	    sscanf(path, "/proc/self/fd/%d%c", &fd, &end) == 1)
		return fd;
	return -1;
}

/* A character device, FIFO or socket is written as it is: replacing it
 * with a file would break whatever reads it (/dev/null, a pipe). */
static int
write_special(const char *path, const struct stat *sb, const char *text, char **err)
{
	size_t len = strlen(text);
	int fd = open(path, O_WRONLY | O_NOCTTY | O_CLOEXEC), rc;

	if (fd < 0 && S_ISSOCK(sb->st_mode)) {
		int named = fd_of_name(path);

		if (named >= 0) {
			if (write_all(named, text, len) == 0)
				return 0;
		} else {
			struct sockaddr_un addr = { .sun_family = AF_UNIX };

			fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
			if (fd >= 0 && strlen(path) < sizeof(addr.sun_path)) {
				memcpy(addr.sun_path, path, strlen(path) + 1);
				if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
					close(fd);
					fd = -1;
				}
			} else if (fd >= 0) {
				close(fd);
				fd = -1;
				errno = ENAMETOOLONG;
			}
		}
	}
	if (fd < 0) {
		err_set(err, "%s: cannot open it for writing: %s; check who may write to it",
			path, strerror(errno));
		return -1;
	}
	rc = write_all(fd, text, len);
	if (rc < 0)
		err_set(err, "%s: cannot write: %s", path, strerror(errno));
	if (close(fd) < 0 && rc == 0) {
		err_set(err, "%s: cannot write: %s", path, strerror(errno));
		rc = -1;
	}
	return rc;
}

static void
sync_folder(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *dir = slash == NULL ? xstrdup(".") :
		    slash == path ? xstrdup("/") : xasprintf("%.*s", (int)(slash - path), path);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd >= 0) {
		(void)fsync(fd);
		close(fd);
	}
	free(dir);
}

/* A regular file is replaced atomically: a temporary file in the same
 * folder, fsync, rename, then the folder synced so the rename lasts. */
static int
write_replace(const char *path, const char *text, char **err)
{
	char *tmp = xasprintf("%s.XXXXXX", path);
	size_t len = strlen(text);
	struct stat old;
	int fd = mkstemp(tmp), saved;

	if (fd < 0) {
		err_set(err, "%s: cannot create a file beside it: %s; check the folder exists "
			"and is writable", path, strerror(errno));
		free(tmp);
		return -1;
	}
	/* a replaced file keeps its permissions; a new one is the user's only */
	if (stat(path, &old) == 0)
		(void)fchmod(fd, old.st_mode & 07777);
	if (write_all(fd, text, len) < 0 || fsync(fd) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		goto fail;
	free(tmp);
	sync_folder(path);
	return 0;
fail:
	saved = errno;
	err_set(err, "%s: cannot write: %s", path, strerror(saved));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return -1;
}

char *
export_minutes_web_link(const struct config *cfg, const char *source)
{
	const char *url = cfg != NULL ? cfg->postmortems_url : NULL;

	if (source == NULL || source[0] == '\0')
		return NULL;
	if (strncmp(source, "https://", 8) == 0 || strncmp(source, "http://", 7) == 0)
		return xstrdup(source);
	if (url == NULL || source[0] == '/' || strstr(source, "://") != NULL)
		return NULL;
	return xasprintf("%s%s%s", url, url[strlen(url) - 1] == '/' ? "" : "/", source);
}

/* A source stored relative to the archive, as the reader of folder's
 * Markdown reaches it: a web link; a path from the folder when the folder
 * is in the same archive; else the file's full path on this machine (the
 * archive found from [postmortems] root or the current folder). */
void
export_minutes_link_sources(struct minutes_doc *doc, const struct config *cfg, const char *folder)
{
	const char *conf = cfg != NULL ? cfg->postmortems_root : NULL;
	const char *url = cfg != NULL ? cfg->postmortems_url : NULL;
	char *dir = realpath(folder, NULL), *cwd = realpath(".", NULL);
	char *near = dir != NULL ? archive_root(dir, conf) : NULL;
	char *here = cwd != NULL ? archive_root(cwd, conf) : NULL;
	char *conf_abs = conf != NULL ? realpath(conf, NULL) : NULL;
	const char *roots[] = { near, conf_abs, here };

	if (here == NULL && cwd != NULL)
		roots[2] = here = xstrdup(cwd);	/* the folder imports ran in */
	for (size_t i = 0; i < doc->n_items; i++) {
		char *src = doc->items[i].pm_source, *link = NULL;
		if (src == NULL || src[0] == '/' || strstr(src, "://") != NULL)
			continue;
		if (url != NULL)
			link = export_minutes_web_link(cfg, src);
		for (size_t k = 0; link == NULL && k < sizeof(roots) / sizeof(roots[0]); k++) {
			if (roots[k] == NULL)
				continue;
			char *abs = paths_join(roots[k], src);
			if (access(abs, F_OK) == 0)
				link = roots[k] == near ? archive_relative(abs, dir) : xstrdup(abs);
			free(abs);
		}
		if (link != NULL) {
			free(src);
			doc->items[i].pm_source = link;
		}
	}
	free(near);
	free(here);
	free(conf_abs);
	free(cwd);
	free(dir);
}

int
export_minutes_write_file(const char *path, const char *text, char **err)
{
	struct stat sb;
	char *target;
	int rc;

	if (stat(path, &sb) == 0) {
		if (S_ISDIR(sb.st_mode)) {
			err_set(err, "%s is a folder; give the file to write in it", path);
			return -1;
		}
		if (!S_ISREG(sb.st_mode))
			return write_special(path, &sb, text, err);
	}
	if ((target = resolve_links(path, err)) == NULL)
		return -1;
	rc = write_replace(target, text, err);
	free(target);
	return rc;
}

int
export_minutes_files(struct store *st, const char *week, const char *folder, char ***written,
		     size_t *n_written, char **err)
{
	return export_minutes_files_for(NULL, st, week, folder, written, n_written, err);
}

int
export_minutes_files_for(const struct config *cfg, struct store *st, const char *week,
			 const char *folder, char ***written, size_t *n_written, char **err)
{
	struct minutes_doc *doc = store_minutes_doc_load(st, week, err);
	char *texts[2] = { NULL, NULL }, *paths[2] = { NULL, NULL }, *probe;
	int rc = -1;

	if (written != NULL) {
		*written = NULL;
		*n_written = 0;
	}
	if (doc == NULL)
		return -1;
	probe = paths_join(folder, "x");
	if (paths_make_parent(probe, err) < 0) {
		free(probe);
		minutes_doc_free(doc);
		return -1;
	}
	free(probe);
	texts[1] = export_json_minutes(doc);
	export_minutes_link_sources(doc, cfg, folder);
	texts[0] = export_md_minutes(doc);
	for (int i = 0; i < 2; i++) {
		char *name = xasprintf("%s.%s", doc->week, i == 0 ? "md" : "json");
		paths[i] = paths_join(folder, name);
		free(name);
	}
	if (export_minutes_write_file(paths[0], texts[0], err) == 0 &&
	    export_minutes_write_file(paths[1], texts[1], err) == 0)
		rc = 0;
	for (int i = 0; i < 2; i++) {
		if (rc == 0 && written != NULL) {
			*written = xreallocarray(*written, *n_written + 1, sizeof(char *));
			(*written)[(*n_written)++] = paths[i];
		} else {
			free(paths[i]);
		}
		free(texts[i]);
	}
	minutes_doc_free(doc);
	return rc;
}

char *
export_minutes_folder(const struct config *cfg, char **err)
{
	struct stat sb;

	if (cfg != NULL && cfg->minutes_folder != NULL && cfg->minutes_folder[0] != '\0')
		return xstrdup(cfg->minutes_folder);
	if (stat("minutes", &sb) == 0 && S_ISDIR(sb.st_mode))
		return xstrdup("minutes");
	return paths_data_file("minutes", err);
}
