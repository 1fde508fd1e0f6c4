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

#include "furikaeri/archive.h"
#include "furikaeri/err.h"
#include "furikaeri/hash.h"
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

/* Files are imported in batches (store_batch, the rule tracker imports
 * share): a savepoint per file, committed every few hundred files or a
 * quarter of a second, so a failing file still changes nothing and a
 * meeting open elsewhere never waits long for the database. */

/* Bumped whenever the parsers extract more, so re-import reads files again. */
#define IMPORTER_VERSION 3

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
	struct store_batch batch;
	size_t batch_files;	/* stored in the open batch */
	struct importer_counts pending;	/* this batch's, counted once committed */
	const struct headings *h;
	const struct importer_options *opt;
	struct importer_counts *counts;
	struct visited visited;
	struct import_options parse;
	struct headings *own_readiness;
	uint64_t salt;		/* of the data files and options the parse reads */
	char *root;		/* the archive root of the file being read, or NULL */
	char *root_dir;		/* the folder root was found for */
	bool root_known;
	struct store_file_pm *files;	/* postmortems from files, once asked for */
	size_t n_files;
	bool files_loaded;
	bool *claimed;		/* per file postmortem: taken by a file of this run */
};

char *
importer_hash(const char *buf, size_t len)
{
	uint64_t h = hash_bytes(HASH_INIT, buf, len);

	/* the version makes a newer importer read unchanged files again */
	return xasprintf("%d:%016llx-%zu", IMPORTER_VERSION, (unsigned long long)h, len);
}

/* The hash of a file as read with this run's data files: a change to the
 * heading lists, the readiness list or the import options reads it again. */
static char *
salted_hash(const struct run *r, const char *buf, size_t len)
{
	char *plain = importer_hash(buf, len);
	char *h = xasprintf("%s:%016llx", plain, (unsigned long long)r->salt);

	free(plain);
	return h;
}

struct headings *
importer_load_readiness(char **err)
{
	char *data = paths_data_dir(), *config = paths_default_config(NULL);
	char *shipped = paths_join(data, "readiness"), *team = NULL;
	const char *dirs[2] = { shipped };
	size_t n = 1;
	struct headings *h;

	if (config != NULL) {
		char *slash = strrchr(config, '/');
		if (slash != NULL)
			*slash = '\0';
		team = paths_join(config, "readiness");
		dirs[n++] = team;
	}
	h = headings_load(dirs, n, err);
	free(data);
	free(config);
	free(shipped);
	free(team);
	return h;
}

static void
note(struct run *r, const char *path, const char *why, bool skipped)
{
	if (r->opt->on_note != NULL)
		r->opt->on_note(path, why, skipped, r->opt->ctx);
}

/* Every conversion is counted, per encoding, for the summary line. */
static void
count_conversion(struct importer_counts *c, const char *enc)
{
	size_t k = 0;

	c->converted++;
	while (k < c->n_conversions && strcmp(c->conversions[k].note, enc) != 0)
		k++;
	if (k == c->n_conversions) {
		if (k == sizeof(c->conversions) / sizeof(c->conversions[0]))
			return;
		c->conversions[c->n_conversions++] = (struct importer_conversion){ .note = enc };
	}
	c->conversions[k].n++;
}

static void
warn_all(struct run *r, const struct postmortem *pm)
{
	/* a template's placeholders are not mistakes */
	if (pm->is_template)
		return;
	for (size_t i = 0; i < pm->n_warnings && r->opt->on_warning != NULL; i++)
		r->opt->on_warning(pm->warnings[i], r->opt->ctx);
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

static bool
blank(const char *buf, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (buf[i] != ' ' && buf[i] != '\t' && buf[i] != '\n' && buf[i] != '\r')
			return false;
	return true;
}

/* A folder's README describes the folder; it is not a postmortem. */
static bool
is_postmortem_file(const char *path)
{
	const char *slash = strrchr(path, '/');
	const char *name = slash != NULL ? slash + 1 : path;
	const char *dot = strrchr(name, '.');

	return dot != NULL && (text_casecmp(dot, ".md") == 0 || text_casecmp(dot, ".markdown") == 0 ||
			       text_casecmp(dot, ".json") == 0);
}

static void
load_files(struct run *r)
{
	struct store_file_pm *files = NULL;
	size_t n = 0;
	char *err = NULL;

	if (r->files_loaded)
		return;
	r->files_loaded = true;
	/* without the list, no move is found and nothing is retired */
	if (store_file_postmortems(r->st, &files, &n, &err) < 0) {
		fail(r, err);
		free(err);
	}
	r->files = files;
	r->n_files = n;
	r->claimed = xcalloc(n + 1, sizeof(bool));
}

/* Where a stored source is on this machine: as it is when absolute, else
 * under root (owned; NULL when that cannot be told). */
static char *
source_path(const char *source, const char *root)
{
	if (source[0] == '/')
		return xstrdup(source);
	return root != NULL ? paths_join(root, source) : NULL;
}

/* Whether the file a postmortem was imported from is gone. */
static bool
file_gone(const char *source, const char *root)
{
	char *where = source_path(source, root);
	bool gone = where != NULL && access(where, F_OK) != 0;

	free(where);
	return gone;
}

/* A file at a path the store does not know, without an id of its own: the
 * postmortem of a file that is gone and had the same bytes (hash), else the
 * same title and date (title not NULL), was moved here (git mv): its id
 * (owned), so its history, measures, markers and tickets follow it. */
static char *
moved_from(struct run *r, const char *source, const char *hash, const char *title,
	   const char *date)
{
	load_files(r);
	for (size_t i = 0; i < r->n_files; i++) {
		const struct store_file_pm *f = &r->files[i];
		bool same = title == NULL ? f->hash != NULL && strcmp(f->hash, hash) == 0
					  : f->title != NULL && strcmp(f->title, title) == 0 &&
					    f->date != NULL && date != NULL && strcmp(f->date, date) == 0;

		if (!same || r->claimed[i] || strcmp(f->source, source) == 0 ||
		    !file_gone(f->source, r->root))
			continue;
		r->claimed[i] = true;
		return xstrdup(f->id);
	}
	return NULL;
}

/* After a folder was walked: every postmortem imported from a file under
 * it whose file is gone is retired and reported, never kept on the agenda
 * silently nor deleted. */
static void
retire_gone(struct run *r, const char *dir)
{
	char *abs = realpath(dir, NULL), *child, *root;
	size_t n;

	if (abs == NULL)
		return;
	child = paths_join(abs, "x");
	root = archive_root(child, r->opt->archive_root);
	n = strlen(abs);
	load_files(r);
	for (size_t i = 0; i < r->n_files; i++) {
		const struct store_file_pm *f = &r->files[i];
		char *where = source_path(f->source, root), *err = NULL, *msg;
		bool changed = false;

		if (!f->retired && !r->claimed[i] && where != NULL && strncmp(where, abs, n) == 0 &&
		    where[n] == '/' && access(where, F_OK) != 0) {
			if (store_postmortem_retire(r->st, f->id, &changed, &err) < 0) {
				fail(r, err);
			} else if (changed) {
				r->counts->retired++;
				msg = xasprintf("%s: the file is gone; %s is retired: off the agenda and "
						"the lists, kept in the store, and back when the file "
						"is imported again", f->source, f->id);
				if (r->opt->on_warning != NULL)
					r->opt->on_warning(msg, r->opt->ctx);
				free(msg);
			}
			free(err);
		}
		free(where);
	}
	free(root);
	free(child);
	free(abs);
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
			char *where = other[0] != '/' && r->root != NULL ? paths_join(r->root, other)
									 : xstrdup(other);
			bool gone = access(where, F_OK) != 0;
			free(where);
			if (gone)
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

/* Minutes exported by furikaeri: merged into the week's meeting. */
static void
import_minutes(struct run *r, const char *path, const char *buf, size_t len)
{
	char *err = NULL;
	struct minutes_doc *doc = import_json_minutes(buf, len, path, &err), *old = NULL;
	struct store_lock *lock = NULL;
	enum store_upsert_result result = STORE_UNCHANGED;
	long holder = 0;

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
		if (store_minutes_doc_save(r->st, doc, r->opt->replace_minutes, &result, &err) < 0) {
			err_prefix(&err, "%s", path);
			goto failed;
		}
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

/* Commits the batch so far; a failed commit loses the batch, so every file
 * in it counts as failed. */
static void
batch_end(struct run *r)
{
	char *err = NULL;

	if (!r->batch.open)
		return;
	if (store_batch_end(&r->batch, &err) == 0) {
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

/* Stores one postmortem read from path (in the open batch). */
static int
store_one(struct run *r, struct postmortem *pm, const char *known_id, bool explicit_id,
	  enum store_upsert_result *result, char **err)
{
	if (store_batch_due(&r->batch))
		batch_end(r);
	if (store_batch_begin(&r->batch, err) < 0)
		return -1;
	/* a file whose id changed is the same postmortem, renamed */
	if (known_id != NULL && explicit_id && strcmp(known_id, pm->id) != 0) {
		char *other = NULL;
		if (store_id_source(r->st, pm->id, &other, err) < 0) {
			store_rollback(r->st);
			return -1;
		}
		if (other == NULL && store_postmortem_rename(r->st, known_id, pm->id, err) < 0) {
			store_rollback(r->st);
			return -1;
		}
		free(other);
	}
	if (settle_id(r, pm, known_id, explicit_id, err) < 0 ||
	    store_postmortem_put(r->st, pm, result, err) < 0) {
		store_rollback(r->st);
		return -1;
	}
	return store_commit(r->st, err);
}

static void
count(struct run *r, const char *path, const struct postmortem *pm,
      enum store_upsert_result result)
{
	r->batch_files++;
	if (pm->is_template) {
		r->counts->templates++;
		note(r, path, pm->template_why, false);
	} else if (result == STORE_ADDED) {
		r->pending.added++;
	} else if (result == STORE_UPDATED) {
		r->pending.updated++;
	} else {
		r->pending.unchanged++;
	}
	if (pm->date == NULL && !pm->is_template)
		r->counts->undated++;
	if (r->opt->on_file != NULL)
		r->opt->on_file(path, result, r->opt->ctx);
}

/* The ids of a JSON array's elements that have none of their own, by
 * content, not by place: the id of the element stored before with the same
 * title, else the one its place had if no element took it, else the first
 * free file-N. An element added or removed elsewhere renames none. */
static void
array_ids(struct run *r, const char *path, const char *source, struct postmortem **pms,
	  size_t n)
{
	char **ids = NULL, **titles = NULL, *err = NULL, *base = import_id_from_path(path);
	size_t n_old = 0;
	bool *taken;

	if (!r->opt->check && store_source_postmortems(r->st, source, &ids, &titles, &n_old,
							&err) < 0) {
		free(err);
		n_old = 0;
	}
	taken = xcalloc(n_old + 1, sizeof(bool));
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; pms[i]->id == NULL && pms[i]->title != NULL && k < n_old; k++)
			if (!taken[k] && strcmp(titles[k], pms[i]->title) == 0) {
				pms[i]->id = xstrdup(ids[k]);
				taken[k] = true;
			}
	for (size_t i = 0; i < n; i++) {
		for (size_t m = i + 1; pms[i]->id == NULL; m++) {
			char *id = xasprintf("%s-%zu", base, m);
			bool used = false;
			for (size_t k = 0; !used && k < n_old; k++)
				used = strcmp(ids[k], id) == 0 && (taken[k] || m != i + 1);
			for (size_t j = 0; !used && j < n; j++)
				used = pms[j]->id != NULL && strcmp(pms[j]->id, id) == 0;
			if (used) {
				free(id);
				continue;
			}
			for (size_t k = 0; k < n_old; k++)
				taken[k] = taken[k] || strcmp(ids[k], id) == 0;
			pms[i]->id = id;
		}
	}
	free(taken);
	free(base);
	store_ids_free(ids, n_old);
	store_ids_free(titles, n_old);
}

/* A JSON file holding an array: each element on its own, named file:[i]. */
static void
import_array(struct run *r, const char *path, const char *source, const char *buf, size_t len,
	     const char *hash, bool statuspage)
{
	struct postmortem **pms = NULL;
	size_t n = 0;
	char *err = NULL;
	bool *explicit;

	if ((statuspage ? import_statuspage_parse_all(buf, len, path, &r->parse, &pms, &n, &err)
			: import_json_parse_all(buf, len, path, &pms, &n, &err)) < 0) {
		fail(r, err);
		free(err);
		return;
	}
	explicit = xcalloc(n + 1, sizeof(bool));
	for (size_t i = 0; i < n; i++)
		explicit[i] = pms[i]->id != NULL && !pms[i]->id_derived;
	array_ids(r, path, source, pms, n);
	for (size_t i = 0; i < n; i++) {
		struct postmortem *pm = pms[i];
		enum store_upsert_result result;
		bool explicit_id = explicit[i];
		size_t dup = i;

		/* the same id twice would make each import store the other */
		for (size_t j = 0; explicit_id && j < i && dup == i; j++)
			if (explicit[j] && strcmp(pms[j]->id, pm->id) == 0)
				dup = j;
		if (dup != i) {
			char *msg = xasprintf("%s:[%zu]: the id '%s' is already the id of [%zu] in "
					      "this file; give each element an id of its own", path,
					      i, pm->id, dup);
			fail(r, msg);
			free(msg);
			continue;
		}
		free(pm->source);
		pm->source = xstrdup(source);
		free(pm->hash);
		pm->hash = xasprintf("%s:[%zu]", hash, i);
		if (r->opt->shift_days != 0)
			postmortem_shift_dates(pm, r->opt->shift_days);
		headings_settle_readiness(r->parse.readiness, pm);
		if (pm->date != NULL)
			pm->date_from = statuspage ? "Statuspage" : "JSON";
		if (pm->date == NULL)
			postmortem_warn(pm, "%s:[%zu]: no date; add \"date\": \"YYYY-MM-DD\": until "
					"then it is on no agenda", path, i);
		warn_all(r, pm);
		if (r->opt->check) {
			if (r->opt->on_parsed != NULL)
				r->opt->on_parsed(path, pm, r->opt->ctx);
			continue;
		}
		if (store_one(r, pm, NULL, explicit_id, &result, &err) < 0) {
			char *msg = xasprintf("%s:[%zu]: %s", path, i, err != NULL ? err : "failed");
			fail(r, msg);
			free(msg);
			free(err);
			err = NULL;
			continue;
		}
		count(r, path, pm, result);
	}
	free(explicit);
	import_json_free_all(pms, n);
}

static bool
json_array_text(const char *buf, size_t len)
{
	size_t i = 0;

	while (i < len && (buf[i] == ' ' || buf[i] == '\n' || buf[i] == '\r' || buf[i] == '\t'))
		i++;
	return i < len && buf[i] == '[';
}

/* The archive root of a file (cached per folder: a folder's files share it). */
static void
find_root(struct run *r, const char *abs)
{
	const char *slash = strrchr(abs, '/');
	size_t n = slash != NULL ? (size_t)(slash - abs) : 0;

	if (r->root_known && r->root_dir != NULL && strlen(r->root_dir) == n &&
	    strncmp(r->root_dir, abs, n) == 0)
		return;
	free(r->root);
	free(r->root_dir);
	r->root = archive_root(abs, r->opt->archive_root);
	r->root_dir = xstrndup(abs, n);
	r->root_known = true;
}

static void
import_one(struct run *r, const char *path)
{
	char *raw = NULL, *buf = NULL, *err = NULL, *hash = NULL, *known_id = NULL;
	char *known_hash = NULL;
	char *abs = realpath(path, NULL), *source;
	struct postmortem *pm = NULL;
	enum store_upsert_result result = STORE_UNCHANGED;
	const char *why, *enc = NULL;
	size_t len;

	if (abs == NULL)
		abs = xstrdup(path);
	/* stored relative to the archive's root, so every machine names it alike */
	find_root(r, abs);
	source = xstrdup(r->root != NULL ? archive_inside(abs, r->root) : abs);
	if ((why = import_not_postmortem_name(path)) != NULL) {
		r->counts->skipped++;
		note(r, path, why, true);
		goto done;
	}
	if (paths_read_file(path, &raw, &len, &err) < 0)
		goto failed;
	if (import_decode(raw, len, path, &buf, &len, &enc, &err) < 0)
		goto failed;
	if (enc != NULL) {
		count_conversion(r->counts, enc);
		note(r, path, enc, false);
	}
	if (blank(buf, len)) {
		/* nothing written yet: not a postmortem titled after its file */
		r->counts->skipped++;
		note(r, path, "an empty file: nothing to import", true);
		goto done;
	}
	if (is_json(path) && import_json_is_minutes(buf, len)) {
		if (r->opt->check) {
			note(r, path, "minutes exported by furikaeri: not checked", true);
			goto done;
		}
		/* a meeting is saved in a transaction of its own */
		batch_end(r);
		import_minutes(r, path, buf, len);
		goto done;
	}
	if (is_json(path) && import_statuspage_is(buf, len)) {
		hash = salted_hash(r, buf, len);
		import_array(r, path, source, buf, len, hash, true);
		goto done;
	}
	if (is_json(path) && (why = import_json_not_postmortem(buf, len)) != NULL) {
		r->counts->skipped++;
		note(r, path, why, true);
		goto done;
	}
	hash = salted_hash(r, buf, len);
	if (is_json(path) && json_array_text(buf, len)) {
		import_array(r, path, source, buf, len, hash, false);
		goto done;
	}
	if (!r->opt->check && store_source_lookup(r->st, source, &known_id, &known_hash, &err) < 0)
		goto failed;
	/* a store from before relative sources knows the file by its full path */
	if (!r->opt->check && known_id == NULL && strcmp(source, abs) != 0) {
		if (store_source_lookup(r->st, abs, &known_id, &known_hash, &err) < 0)
			goto failed;
		/* stored again, under its new name, even when its bytes are the same */
		free(known_hash);
		known_hash = NULL;
	}
	if (!r->opt->check && known_hash != NULL && strcmp(known_hash, hash) == 0 &&
	    r->opt->shift_days == 0) {
		r->counts->unchanged++;
		if (r->opt->on_file != NULL)
			r->opt->on_file(path, STORE_UNCHANGED, r->opt->ctx);
		goto done;
	}
	/* a file moved here (git mv) is the postmortem it was */
	if (!r->opt->check && known_id == NULL)
		known_id = moved_from(r, source, hash, NULL, NULL);
	pm = is_json(path) ? import_json_parse(buf, len, path, &err)
			   : import_md_parse_opts(buf, len, path, &r->parse, &err);
	if (pm == NULL)
		goto failed;
	bool explicit_id = pm->id != NULL && !pm->id_derived;
	/* ... moved and edited: the same title and date */
	if (!r->opt->check && known_id == NULL && !explicit_id && pm->title != NULL)
		known_id = moved_from(r, source, hash, pm->title, pm->date);
	if (pm->id == NULL)
		pm->id = import_id_from_path(path);
	if (is_json(path) && pm->date != NULL)
		pm->date_from = "JSON";
	if (is_json(path) && pm->date == NULL)
		postmortem_warn(pm, "%s: no date; add \"date\": \"YYYY-MM-DD\": until then it is "
				"on no agenda", path);
	free(pm->source);
	pm->source = xstrdup(source);
	free(pm->hash);
	pm->hash = xstrdup(hash);
	if (r->opt->shift_days != 0)
		postmortem_shift_dates(pm, r->opt->shift_days);
	headings_settle_readiness(r->parse.readiness, pm);
	warn_all(r, pm);
	if (r->opt->check) {
		if (r->opt->on_parsed != NULL)
			r->opt->on_parsed(path, pm, r->opt->ctx);
		goto done;
	}
	if (store_one(r, pm, known_id, explicit_id, &result, &err) < 0)
		goto failed;
	count(r, path, pm, result);
	goto done;
failed:
	fail(r, err != NULL ? err : path);
done:
	postmortem_free(pm);
	free(err);
	free(raw);
	free(buf);
	free(hash);
	free(known_id);
	free(known_hash);
	free(source);
	free(abs);
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
	/* a stable order makes ids chosen for clashing names reproducible
	 * (an empty folder has no names to sort: qsort wants an array) */
	if (n > 1)
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
		.batch = { .st = st },
		.h = h,
		.opt = opt != NULL ? opt : &defaults,
		.counts = counts,
	};

	memset(counts, 0, sizeof(*counts));
	r.parse = r.opt->parse;
	if (r.parse.headings == NULL)
		r.parse.headings = h;
	if (r.parse.readiness == NULL) {
		char *err = NULL;
		r.own_readiness = importer_load_readiness(&err);
		if (r.own_readiness == NULL) {
			fail(&r, err);
			free(err);
			return -1;
		}
		r.parse.readiness = r.own_readiness;
	}
	r.salt = headings_fingerprint(r.parse.headings) * 31u +
		 headings_fingerprint(r.parse.readiness) + (uint64_t)r.parse.date_order;
	for (size_t i = 0; i < r.parse.n_jira_projects; i++)
		r.salt = hash_bytes(r.salt, r.parse.jira_projects[i],
				    strlen(r.parse.jira_projects[i]));
	for (size_t i = 0; i < n_paths; i++)
		walk(&r, paths[i], true);
	batch_end(&r);
	/* a folder imported whole says which of its files are gone */
	for (size_t i = 0; i < n_paths && !r.opt->check; i++) {
		struct stat sb;
		if (stat(paths[i], &sb) == 0 && S_ISDIR(sb.st_mode))
			retire_gone(&r, paths[i]);
	}
	free(r.visited.dirs);
	store_file_pms_free(r.files, r.n_files);
	free(r.claimed);
	free(r.root);
	free(r.root_dir);
	headings_free(r.own_readiness);
	return counts->failed > 0 ? -1 : 0;
}
