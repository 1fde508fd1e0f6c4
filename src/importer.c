#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "furikaeri/err.h"
#include "furikaeri/export_json.h"
#include "furikaeri/import.h"
#include "furikaeri/importer.h"
#include "furikaeri/paths.h"
#include "furikaeri/postmortem.h"
#include "furikaeri/store_meeting.h"
#include "furikaeri/store_minutes_doc.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"

/* Files are imported in batches: one outer transaction, a savepoint per
 * file, committed every few hundred files or a quarter of a second, so a
 * failing file still changes nothing and a meeting open elsewhere never
 * waits long for the database. */
#define BATCH_FILES 500
#define BATCH_MS 250

/* Bumped whenever the parsers extract more, so re-import reads files again. */
#define IMPORTER_VERSION 1

/* Folders already walked, by device and inode, so symlink loops end. */
struct visited {
	struct {
		dev_t dev;
		ino_t ino;
	} *dirs;
	size_t n;
};

struct run {
	struct store *st;
	bool in_batch;
	size_t batch_files;
	struct importer_counts pending;	/* this batch's, counted once committed */
	struct timespec batch_start;
	const struct headings *h;
	const struct importer_options *opt;
	struct importer_counts *counts;
	struct visited visited;
};

char *
importer_hash(const char *buf, size_t len)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)buf[i];
		h *= 0x100000001b3ull;
	}
	/* the version makes a newer importer read unchanged files again */
	return xasprintf("%d:%016llx-%zu", IMPORTER_VERSION, (unsigned long long)h, len);
}

static void
fail(struct run *r, const char *message)
{
	r->counts->failed++;
	if (r->opt->on_error != NULL)
		r->opt->on_error(message, r->opt->ctx);
}

static bool
is_json(const char *path)
{
	const char *dot = strrchr(path, '.');

	return dot != NULL && text_casecmp(dot, ".json") == 0;
}

/* A folder's README describes the folder; it is not a postmortem. */
static bool
is_postmortem_file(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *name = slash != NULL ? slash + 1 : path;
	const char *dot = strrchr(name, '.');

	if (strncasecmp(name, "readme", 6) == 0)
		return false;
	return dot != NULL && (text_casecmp(dot, ".md") == 0 || text_casecmp(dot, ".markdown") == 0 ||
			       text_casecmp(dot, ".json") == 0);
}

/* Chooses the id of a postmortem without a front matter id: the one this
 * path had before, else one from the file name, made unique. */
static int
settle_id(struct run *r, struct postmortem *pm, const char *known_id, bool explicit_id,
	  char **err)
{
	char *other = NULL;

	if (known_id != NULL && !explicit_id) {
		free(pm->id);
		pm->id = xstrdup(known_id);
		return 0;
	}
	for (int n = 2;; n++) {
		if (store_id_source(r->st, pm->id, &other, err) < 0)
			return -1;
		if (other == NULL || strcmp(other, pm->source) == 0)
			break;
		if (explicit_id) {
			/* same id in two files: a moved file takes its id along */
			if (access(other, F_OK) != 0)
				break;
			err_set(err, "%s: the id '%s' is already used by %s; give one of them "
				"another id in its front matter", pm->source, pm->id, other);
			free(other);
			return -1;
		}
		free(other);
		other = NULL;
		char *base = import_id_from_path(pm->source);
		free(pm->id);
		pm->id = xasprintf("%s-%d", base, n);
		free(base);
	}
	free(other);
	return 0;
}

/* The meeting part of two docs is the same: the roster and the proposal
 * are left out, as they follow the store, but every person of b must be on
 * a's roster already. */
static bool
same_meeting(struct minutes_doc *a, struct minutes_doc *b)
{
	struct minutes_person *ra = a->roster, *rb = b->roster;
	size_t na = a->n_roster, nb = b->n_roster;
	char *fa = a->next_facilitator, *fb = b->next_facilitator;
	char *ba = a->next_backup, *bb = b->next_backup;
	char *ja, *jb;
	bool same;

	a->roster = b->roster = NULL;
	a->n_roster = b->n_roster = 0;
	a->next_facilitator = b->next_facilitator = a->next_backup = b->next_backup = NULL;
	ja = export_json_minutes(a);
	jb = export_json_minutes(b);
	same = strcmp(ja, jb) == 0;
	free(ja);
	free(jb);
	a->roster = ra;
	b->roster = rb;
	a->n_roster = na;
	b->n_roster = nb;
	a->next_facilitator = fa;
	b->next_facilitator = fb;
	a->next_backup = ba;
	b->next_backup = bb;
	for (size_t i = 0; same && i < nb; i++) {
		bool found = false;
		for (size_t j = 0; !found && j < na; j++)
			found = strcmp(rb[i].name, ra[j].name) == 0;
		same = found;
	}
	return same;
}

/* Minutes exported by furikaeri: the week's meeting is replaced whole. */
static void
import_minutes(struct run *r, const char *path, const char *buf, size_t len)
{
	char *err = NULL;
	struct minutes_doc *doc = import_json_minutes(buf, len, path, &err), *old = NULL;
	struct store_lock *lock = NULL;
	enum store_upsert_result result = STORE_UNCHANGED;
	long holder = 0;
	bool replaced;

	if (doc == NULL)
		goto failed;
	lock = store_meeting_lock(r->st, doc->week, &holder, &err);
	if (lock == NULL) {
		if (holder != 0)
			err_set(&err, "%s: the meeting of %s is open in furikaeri (process %ld); "
				"import the minutes after it ends", path, doc->week, holder);
		goto failed;
	}
	old = store_minutes_doc_load(r->st, doc->week, &err);
	if (old == NULL && err != NULL) {
		free(err);
		err = NULL;
	}
	if (old == NULL || !same_meeting(old, doc)) {
		if (store_minutes_doc_save(r->st, doc, &replaced, &err) < 0) {
			err_prefix(&err, "%s", path);
			goto failed;
		}
		result = replaced ? STORE_UPDATED : STORE_ADDED;
	}
	if (result == STORE_ADDED)
		r->counts->added++;
	else if (result == STORE_UPDATED)
		r->counts->updated++;
	else
		r->counts->unchanged++;
	if (r->opt->on_file != NULL)
		r->opt->on_file(path, result, r->opt->ctx);
	goto done;
failed:
	fail(r, err != NULL ? err : path);
done:
	store_lock_free(lock);
	minutes_doc_free(doc);
	minutes_doc_free(old);
	free(err);
}

static long
ms_since(const struct timespec *t0)
{
	struct timespec now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0->tv_sec) * 1000 + (now.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Commits the batch so far; a failed commit loses the batch, so every file
 * in it counts as failed. */
static void
batch_end(struct run *r)
{
	char *err = NULL;

	if (!r->in_batch)
		return;
	r->in_batch = false;
	if (store_commit(r->st, &err) == 0) {
		r->counts->added += r->pending.added;
		r->counts->updated += r->pending.updated;
		r->counts->unchanged += r->pending.unchanged;
	} else {
		r->counts->failed += r->batch_files;
		if (r->opt->on_error != NULL)
			r->opt->on_error(err, r->opt->ctx);
		free(err);
	}
	memset(&r->pending, 0, sizeof(r->pending));
	r->batch_files = 0;
}

/* Opens a batch when none is open; NULL err when it could not. */
static bool
batch_begin(struct run *r, char **err)
{
	if (r->in_batch && (r->batch_files >= BATCH_FILES || ms_since(&r->batch_start) >= BATCH_MS))
		batch_end(r);
	if (r->in_batch)
		return true;
	if (store_begin(r->st, err) < 0)
		return false;
	r->in_batch = true;
	r->batch_files = 0;
	clock_gettime(CLOCK_MONOTONIC, &r->batch_start);
	return true;
}

static void
import_one(struct run *r, const char *path)
{
	char *buf = NULL, *err = NULL, *hash = NULL, *known_id = NULL, *known_hash = NULL;
	char *source = realpath(path, NULL);
	struct postmortem *pm = NULL;
	enum store_upsert_result result;
	size_t len;

	if (source == NULL)
		source = xstrdup(path);
	if (paths_read_file(path, &buf, &len, &err) < 0)
		goto failed;
	if (is_json(path) && import_json_is_minutes(buf, len)) {
		/* a meeting is saved in a transaction of its own */
		batch_end(r);
		import_minutes(r, path, buf, len);
		goto done;
	}
	hash = importer_hash(buf, len);
	if (store_source_lookup(r->st, source, &known_id, &known_hash, &err) < 0)
		goto failed;
	if (known_hash != NULL && strcmp(known_hash, hash) == 0 && r->opt->shift_days == 0) {
		r->counts->unchanged++;
		if (r->opt->on_file != NULL)
			r->opt->on_file(path, STORE_UNCHANGED, r->opt->ctx);
		goto done;
	}
	pm = is_json(path) ? import_json_parse(buf, len, path, &err)
			   : import_md_parse(buf, len, path, r->h, &err);
	if (pm == NULL)
		goto failed;
	bool explicit_id = pm->id != NULL && !pm->id_derived;
	if (pm->id == NULL)
		pm->id = import_id_from_path(path);
	free(pm->source);
	pm->source = xstrdup(source);
	free(pm->hash);
	pm->hash = xstrdup(hash);
	if (r->opt->shift_days != 0)
		postmortem_shift_dates(pm, r->opt->shift_days);
	if (!batch_begin(r, &err) || store_begin(r->st, &err) < 0)
		goto failed;
	if (settle_id(r, pm, known_id, explicit_id, &err) < 0 ||
	    store_postmortem_put(r->st, pm, &result, &err) < 0) {
		store_rollback(r->st);
		goto failed;
	}
	if (store_commit(r->st, &err) < 0)
		goto failed;
	r->batch_files++;
	if (result == STORE_ADDED)
		r->pending.added++;
	else if (result == STORE_UPDATED)
		r->pending.updated++;
	else
		r->pending.unchanged++;
	if (r->opt->on_file != NULL)
		r->opt->on_file(path, result, r->opt->ctx);
	goto done;
failed:
	fail(r, err != NULL ? err : path);
done:
	postmortem_free(pm);
	free(err);
	free(buf);
	free(hash);
	free(known_id);
	free(known_hash);
	free(source);
}

static int
compare_names(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(struct run *r, const char *path, bool explicit);

static const char *
file_kind(mode_t mode)
{
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "a device";
	if (S_ISSOCK(mode))
		return "a socket";
	return "not a file";
}

static void
walk_dir(struct run *r, const char *path, const struct stat *sb)
{
	DIR *dir;
	struct dirent *de;
	char **names = NULL;
	size_t n = 0;

	for (size_t i = 0; i < r->visited.n; i++)
		if (r->visited.dirs[i].dev == sb->st_dev && r->visited.dirs[i].ino == sb->st_ino)
			return;	/* a symlink loop, or a folder reached twice */
	r->visited.dirs = xreallocarray(r->visited.dirs, r->visited.n + 1, sizeof(*r->visited.dirs));
	r->visited.dirs[r->visited.n].dev = sb->st_dev;
	r->visited.dirs[r->visited.n].ino = sb->st_ino;
	r->visited.n++;

	dir = opendir(path);
	if (dir == NULL) {
		char *msg = xasprintf("%s: cannot open the folder: %s", path, strerror(errno));
		fail(r, msg);
		free(msg);
		return;
	}
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		names = xreallocarray(names, n + 1, sizeof(char *));
		names[n++] = xstrdup(de->d_name);
	}
	closedir(dir);
	/* a stable order makes ids chosen for clashing names reproducible */
	qsort(names, n, sizeof(char *), compare_names);
	for (size_t i = 0; i < n; i++) {
		char *child = paths_join(path, names[i]);
		walk(r, child, false);
		free(child);
		free(names[i]);
	}
	free(names);
}

static void
walk(struct run *r, const char *path, bool explicit)
{
	struct stat sb;

	if (stat(path, &sb) < 0) {
		/* a dangling symlink inside a folder is not the user's request */
		if (!explicit && errno == ENOENT)
			return;
		char *msg = xasprintf("%s: %s", path, strerror(errno));
		fail(r, msg);
		free(msg);
		return;
	}
	if (S_ISDIR(sb.st_mode))
		walk_dir(r, path, &sb);
	else if (S_ISREG(sb.st_mode) && (explicit || is_postmortem_file(path)))
		import_one(r, path);
	else if (explicit || is_postmortem_file(path)) {
		/* never opened: a FIFO would block, a device never ends */
		char *msg = xasprintf("%s: not a regular file or folder (%s); skipped", path,
				      file_kind(sb.st_mode));
		fail(r, msg);
		free(msg);
	}
}

int
importer_run(struct store *st, const struct headings *h, char *const *paths, size_t n_paths,
	     const struct importer_options *opt, struct importer_counts *counts)
{
	static const struct importer_options defaults;
	struct run r = {
		.st = st,
		.h = h,
		.opt = opt != NULL ? opt : &defaults,
		.counts = counts,
	};

	memset(counts, 0, sizeof(*counts));
	for (size_t i = 0; i < n_paths; i++)
		walk(&r, paths[i], true);
	batch_end(&r);
	free(r.visited.dirs);
	return counts->failed > 0 ? -1 : 0;
}
