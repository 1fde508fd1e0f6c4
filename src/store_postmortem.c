#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "furikaeri/date.h"
#include "furikaeri/err.h"
#include "furikaeri/hash.h"
#include "furikaeri/xalloc.h"
#include "store_private.h"

struct old_measure {
	long long id;
	char *title;
	char *ticket;
	bool from_import;
	bool matched;
};

/* NULL and "" must hash differently, and fields must not run together
 * (hash_field) */
static void
fnv_add(uint64_t *h, const char *s)
{
	*h = hash_field(*h, s);
}

/* Used when the caller has no hash of the source bytes (a postmortem built in
 * code): a hash of every stored field, so that "unchanged" still means it. */
static char *
content_hash(const struct postmortem *pm)
{
	uint64_t h = HASH_INIT;
	size_t n = 0;

	fnv_add(&h, pm->title);
	fnv_add(&h, pm->date);
	fnv_add(&h, pm->time);
	fnv_add(&h, pm->tz);
	fnv_add(&h, pm->severity);
	fnv_add(&h, pm->status);
	for (size_t i = 0; i < pm->n_authors; i++, n++)
		fnv_add(&h, pm->authors[i]);
	fnv_add(&h, "\x02");
	for (size_t i = 0; i < pm->n_tags; i++, n++)
		fnv_add(&h, pm->tags[i]);
	fnv_add(&h, "\x02");
	for (size_t i = 0; i < pm->n_sections; i++, n++) {
		fnv_add(&h, pm->sections[i].key);
		fnv_add(&h, pm->sections[i].heading);
		fnv_add(&h, pm->sections[i].text);
	}
	fnv_add(&h, "\x02");
	for (size_t i = 0; i < pm->n_measures; i++, n++) {
		const struct measure *m = &pm->measures[i];
		fnv_add(&h, m->title);
		fnv_add(&h, m->owner);
		fnv_add(&h, m->due);
		fnv_add(&h, measure_status_name(m->status));
		fnv_add(&h, m->ticket);
		fnv_add(&h, m->ticket_url);
	}
	return xasprintf("fields-%016llx-%zu", (unsigned long long)h, n);
}

/* A marker lets a ticket created from a measure be found again even when the
 * response that named it was lost, so it must never repeat. */
static int
new_marker(struct store *st, char out[36], char **err)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char raw[16];
	ssize_t n = -1;
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		n = read(fd, raw, sizeof(raw));
		close(fd);
	}
	if (n != (ssize_t)sizeof(raw)) {
		err_set(err, "%s: cannot read /dev/urandom to mark a new measure: %s; check that "
			"/dev/urandom exists and is readable", st->path,
			n < 0 ? strerror(errno) : "short read");
		return -1;
	}
	memcpy(out, "fk-", 3);
	for (size_t i = 0; i < sizeof(raw); i++) {
		out[3 + 2 * i] = hex[raw[i] >> 4];
		out[4 + 2 * i] = hex[raw[i] & 0xF];
	}
	out[35] = '\0';
	return 0;
}

static void
old_measures_free(struct old_measure *old, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(old[i].title);
		free(old[i].ticket);
	}
	free(old);
}

static int
old_measures_load(struct store *st, const char *id, struct old_measure **out, size_t *n_out,
		  char **err)
{
	sqlite3_stmt *stmt = store_stmt(st,
		"SELECT id, title, origin = 'import', ticket FROM measures "
		"WHERE postmortem_id = ?1 ORDER BY pos, id", err);
	struct old_measure *old = NULL;
	size_t n = 0;
	int rc;

	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		old = xreallocarray(old, n + 1, sizeof(*old));
		old[n++] = (struct old_measure){
			.id = sqlite3_column_int64(stmt, 0),
			.title = store_column_dup(stmt, 1),
			.from_import = sqlite3_column_int(stmt, 2) != 0,
			.ticket = store_column_dup(stmt, 3),
		};
	}
	if (rc != SQLITE_DONE) {
		store_fail(st, err, "cannot read the measures");
		sqlite3_reset(stmt);
		old_measures_free(old, n);
		return -1;
	}
	sqlite3_reset(stmt);
	*out = old;
	*n_out = n;
	return 0;
}

/* The first not yet matched measure with this title, or NULL. */
static struct old_measure *
old_measures_match(struct old_measure *old, size_t n, const char *title)
{
	for (size_t i = 0; i < n; i++) {
		if (!old[i].matched && strcmp(old[i].title, title) == 0) {
			old[i].matched = true;
			return &old[i];
		}
	}
	return NULL;
}

/* Words of a title, lower case, for telling a reworded measure. */
static size_t
title_words(const char *t, char words[][32], size_t max)
{
	size_t n = 0, len = 0;

	for (const char *p = t;; p++) {
		unsigned char ch = (unsigned char)*p;
		bool word = ch >= 0x80 || (ch >= '0' && ch <= '9') || ((ch | 0x20) >= 'a' && (ch | 0x20) <= 'z');
		if (word && len < 31) {
			words[n][len++] = (char)(ch >= 'A' && ch <= 'Z' ? ch + 32 : ch);
		} else if (!word && len > 0) {
			words[n][len] = '\0';
			len = 0;
			if (++n == max)
				break;
		}
		if (ch == '\0')
			break;
	}
	return n;
}

/* Whether two titles are the same measure reworded: most of their words
 * are shared (Japanese titles: most of their bytes, as one word each). */
bool
store_titles_close(const char *a, const char *b)
{
	char wa[24][32], wb[24][32];
	size_t na = title_words(a, wa, 24), nb = title_words(b, wb, 24), shared = 0;

	if (na == 0 || nb == 0)
		return false;
	if (na == 1 && nb == 1) {
		size_t la = strlen(a), lb = strlen(b), same = 0;
		while (same < la && same < lb && a[same] == b[same])
			same++;
		return same * 2 >= (la > lb ? la : lb);
	}
	for (size_t i = 0; i < na; i++)
		for (size_t j = 0; j < nb; j++)
			if (strcmp(wa[i], wb[j]) == 0) {
				shared++;
				break;
			}
	return shared * 3 >= (na > nb ? na : nb) * 2;
}

/* A reworded measure keeps its identity: matched by its ticket, then by a
 * close title, among the measures no exact title claimed. */
static struct old_measure *
old_measures_match_loose(struct old_measure *old, size_t n, const struct measure *m)
{
	for (size_t i = 0; m->ticket != NULL && i < n; i++) {
		if (!old[i].matched && old[i].ticket != NULL && strcmp(old[i].ticket, m->ticket) == 0) {
			old[i].matched = true;
			return &old[i];
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (!old[i].matched && old[i].from_import && store_titles_close(old[i].title, m->title)) {
			old[i].matched = true;
			return &old[i];
		}
	}
	return NULL;
}

static int
measure_referenced(struct store *st, long long id, bool *referenced, char **err)
{
	sqlite3_stmt *stmt = store_stmt(st,
		"SELECT EXISTS (SELECT 1 FROM ticket_outbox WHERE measure_id = ?1) "
		"OR EXISTS (SELECT 1 FROM minutes WHERE measure_id = ?1)", err);

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	if (sqlite3_step(stmt) != SQLITE_ROW) {
		store_fail(st, err, "cannot check a measure's references");
		sqlite3_reset(stmt);
		return -1;
	}
	*referenced = sqlite3_column_int(stmt, 0) != 0;
	sqlite3_reset(stmt);
	return 0;
}

/* SQL: the measure of the row being updated was proposed in a meeting or
 * is named by an entry of a meeting's minutes. */
#define MEASURE_SET_IN_MEETING \
	"(origin = 'meeting' OR EXISTS (SELECT 1 FROM minutes WHERE measure_id = measures.id))"

static int
measure_update(struct store *st, const struct measure *m, long long pos, const char *now,
	       char **err)
{
	sqlite3_stmt *stmt = store_stmt(st,
		/* the ticket filed and the "done" that sync recorded stay, unless the
		 * file now says otherwise (another ticket, done, not doing); an owner
		 * or due date set in a meeting (the measure was proposed there, or
		 * an entry of minutes names it) is never emptied by a file that has
		 * none: the file only replaces it with a value of its own */
		"UPDATE measures SET pos = ?2, title = ?3, "
		"owner = CASE WHEN ?4 IS NULL AND " MEASURE_SET_IN_MEETING " THEN owner ELSE ?4 END, "
		"due = CASE WHEN ?5 IS NULL AND " MEASURE_SET_IN_MEETING " THEN due ELSE ?5 END, "
		"status = CASE WHEN ?6 = 'open' AND status = 'done' AND ticket IS NOT NULL "
		"  THEN status ELSE ?6 END, "
		"done_at = CASE WHEN ?6 = 'done' OR (?6 = 'open' AND status = 'done' AND ticket IS NOT NULL) "
		"  THEN coalesce(done_at, ?9) END, "
		"ticket_url = CASE WHEN ?7 IS NULL OR ?7 = ticket THEN coalesce(?8, ticket_url) "
		"  ELSE ?8 END, "
		"ticket = coalesce(?7, ticket) "
		"WHERE id = ?1", err);

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, m->id);
	sqlite3_bind_int64(stmt, 2, pos);
	store_bind_text(stmt, 3, m->title);
	store_bind_text(stmt, 4, m->owner);
	store_bind_text(stmt, 5, m->due);
	store_bind_text(stmt, 6, measure_status_name(m->status));
	store_bind_text(stmt, 7, m->ticket);
	store_bind_text(stmt, 8, m->ticket_url);
	store_bind_text(stmt, 9, now);
	return store_step_cached(st, stmt, "cannot update a measure", err);
}

static int
measure_insert(struct store *st, const char *pm_id, struct measure *m, long long pos,
	       const char *now, char **err)
{
	sqlite3_stmt *stmt = store_stmt(st,
		"INSERT INTO measures (postmortem_id, pos, title, owner, due, status, ticket, "
		"ticket_url, origin, marker, created_at, done_at) "
		"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'import', ?9, ?10, "
		"CASE WHEN ?6 = 'done' THEN ?10 END)", err);
	char marker[36];

	if (stmt == NULL || new_marker(st, marker, err) < 0)
		return -1;
	store_bind_text(stmt, 1, pm_id);
	sqlite3_bind_int64(stmt, 2, pos);
	store_bind_text(stmt, 3, m->title);
	store_bind_text(stmt, 4, m->owner);
	store_bind_text(stmt, 5, m->due);
	store_bind_text(stmt, 6, measure_status_name(m->status));
	store_bind_text(stmt, 7, m->ticket);
	store_bind_text(stmt, 8, m->ticket_url);
	store_bind_text(stmt, 9, marker);
	store_bind_text(stmt, 10, now);
	if (store_step_cached(st, stmt, "cannot add a measure", err) < 0)
		return -1;
	m->id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

/* A measure that left the file is deleted, unless the meeting or the ticket
 * outbox still points at it: then it stays, after the current ones. */
static int
measure_retire(struct store *st, const struct old_measure *old, long long pos, char **err)
{
	bool referenced = !old->from_import;
	sqlite3_stmt *stmt;

	if (!referenced && measure_referenced(st, old->id, &referenced, err) < 0)
		return -1;
	if (referenced)
		stmt = store_stmt(st, "UPDATE measures SET pos = ?2 WHERE id = ?1", err);
	else
		stmt = store_stmt(st, "DELETE FROM measures WHERE id = ?1", err);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, old->id);
	if (referenced)
		sqlite3_bind_int64(stmt, 2, pos);
	return store_step_cached(st, stmt, "cannot retire a measure", err);
}

static int
measures_put(struct store *st, struct postmortem *pm, bool exists, const char *now, char **err)
{
	struct old_measure *old = NULL;
	size_t n_old = 0;
	long long pos = 0;
	int rc = -1;

	if (exists && old_measures_load(st, pm->id, &old, &n_old, err) < 0)
		return -1;
	struct old_measure **found = xcalloc(pm->n_measures + 1, sizeof(*found));
	for (size_t i = 0; i < pm->n_measures; i++)
		found[i] = old_measures_match(old, n_old, pm->measures[i].title);
	for (size_t i = 0; i < pm->n_measures; i++)
		if (found[i] == NULL)
			found[i] = old_measures_match_loose(old, n_old, &pm->measures[i]);
	for (size_t i = 0; i < pm->n_measures; i++, pos++) {
		struct measure *m = &pm->measures[i];
		struct old_measure *o = found[i];

		if (o != NULL) {
			m->id = o->id;
			if (measure_update(st, m, pos, now, err) < 0)
				goto out;
		} else if (measure_insert(st, pm->id, m, pos, now, err) < 0) {
			goto out;
		}
	}
	for (size_t i = 0; i < n_old; i++)
		if (!old[i].matched && measure_retire(st, &old[i], pos++, err) < 0)
			goto out;
	rc = 0;
out:
	free(found);
	old_measures_free(old, n_old);
	return rc;
}

static int
measures_fill_ids(struct store *st, struct postmortem *pm, char **err)
{
	struct old_measure *old = NULL;
	size_t n_old = 0;

	if (old_measures_load(st, pm->id, &old, &n_old, err) < 0)
		return -1;
	for (size_t i = 0; i < pm->n_measures; i++) {
		struct old_measure *o = old_measures_match(old, n_old, pm->measures[i].title);
		pm->measures[i].id = o != NULL ? o->id : 0;
	}
	old_measures_free(old, n_old);
	return 0;
}

/* Inserts (id, position, value) rows for a list such as authors or tags. */
static int
put_list(struct store *st, const char *sql, const char *id, char *const *list, size_t n,
	 const char *what, char **err)
{
	for (size_t i = 0; i < n; i++) {
		sqlite3_stmt *stmt = store_stmt(st, sql, err);
		if (stmt == NULL)
			return -1;
		store_bind_text(stmt, 1, id);
		sqlite3_bind_int64(stmt, 2, (sqlite3_int64)i);
		store_bind_text(stmt, 3, list[i]);
		if (store_step_cached(st, stmt, what, err) < 0)
			return -1;
	}
	return 0;
}

static int
lists_put(struct store *st, const struct postmortem *pm, bool exists, char **err)
{
	static const char *const deletes[] = {
		"DELETE FROM postmortem_authors WHERE postmortem_id = ?1",
		"DELETE FROM postmortem_tags WHERE postmortem_id = ?1",
		"DELETE FROM sections WHERE postmortem_id = ?1",
	};
	sqlite3_stmt *stmt;

	for (size_t i = 0; exists && i < sizeof(deletes) / sizeof(deletes[0]); i++) {
		if ((stmt = store_stmt(st, deletes[i], err)) == NULL)
			return -1;
		store_bind_text(stmt, 1, pm->id);
		if (store_step_cached(st, stmt, "cannot replace a postmortem", err) < 0)
			return -1;
	}
	if (put_list(st, "INSERT INTO postmortem_authors (postmortem_id, pos, name) "
		     "VALUES (?1, ?2, ?3)", pm->id, pm->authors, pm->n_authors,
		     "cannot store an author", err) < 0 ||
	    put_list(st, "INSERT INTO postmortem_tags (postmortem_id, pos, tag) "
		     "VALUES (?1, ?2, ?3)", pm->id, pm->tags, pm->n_tags,
		     "cannot store a tag", err) < 0)
		return -1;
	for (size_t i = 0; i < pm->n_sections; i++) {
		const struct section *s = &pm->sections[i];
		stmt = store_stmt(st, "INSERT INTO sections (postmortem_id, pos, key, heading, body) "
				  "VALUES (?1, ?2, ?3, ?4, ?5)", err);
		if (stmt == NULL)
			return -1;
		store_bind_text(stmt, 1, pm->id);
		sqlite3_bind_int64(stmt, 2, (sqlite3_int64)i);
		store_bind_text(stmt, 3, s->key);
		store_bind_text(stmt, 4, s->heading != NULL ? s->heading : s->key);
		store_bind_text(stmt, 5, s->text != NULL ? s->text : "");
		if (store_step_cached(st, stmt, "cannot store a section", err) < 0)
			return -1;
	}
	return 0;
}

static int
row_put(struct store *st, const struct postmortem *pm, bool exists, const char *hash,
	const char *now, char **err)
{
	sqlite3_stmt *stmt;

	if (exists)
		stmt = store_stmt(st,
			"UPDATE postmortems SET source = ?2, content_hash = ?3, title = ?4, "
			"date = ?5, time = ?6, tz = ?7, severity = ?8, severity_rank = ?9, "
			"status = ?10, updated_at = ?11, kind = ?12, ready = ?13 WHERE id = ?1", err);
	else
		stmt = store_stmt(st,
			"INSERT INTO postmortems (id, source, content_hash, title, date, time, tz, "
			"severity, severity_rank, status, imported_at, updated_at, kind, ready) "
			"VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?11, ?12, ?13)", err);
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, pm->id);
	store_bind_text(stmt, 2, pm->source != NULL ? pm->source : "");
	store_bind_text(stmt, 3, hash);
	store_bind_text(stmt, 4, pm->title);
	store_bind_text(stmt, 5, pm->date);
	store_bind_text(stmt, 6, pm->time);
	store_bind_text(stmt, 7, pm->tz);
	store_bind_text(stmt, 8, pm->severity);
	sqlite3_bind_int(stmt, 9, postmortem_severity_rank(pm->severity));
	store_bind_text(stmt, 10, pm->status);
	store_bind_text(stmt, 11, now);
	store_bind_text(stmt, 12, pm->is_template ? "template" : "postmortem");
	sqlite3_bind_int(stmt, 13, !pm->not_ready);
	return store_step_cached(st, stmt, "cannot store a postmortem", err);
}

/* Reads what is stored under pm->id: whether it exists and whether the
 * stored hash and source say nothing changed. */
static int
row_compare(struct store *st, const struct postmortem *pm, const char *hash, bool *exists,
	    bool *unchanged, char **err)
{
	sqlite3_stmt *stmt = store_stmt(st,
		"SELECT content_hash, source FROM postmortems WHERE id = ?1", err);
	int rc;

	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, pm->id);
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_fail(st, err, "cannot read a postmortem");
		sqlite3_reset(stmt);
		return -1;
	}
	*exists = rc == SQLITE_ROW;
	*unchanged = *exists &&
		strcmp((const char *)sqlite3_column_text(stmt, 0), hash) == 0 &&
		strcmp((const char *)sqlite3_column_text(stmt, 1),
		       pm->source != NULL ? pm->source : "") == 0;
	sqlite3_reset(stmt);
	return 0;
}

int
store_postmortem_put(struct store *st, struct postmortem *pm, enum store_upsert_result *result,
		     char **err)
{
	bool exists = false, unchanged = false;
	char *hash, *now;
	int rc = -1;

	if (pm->id == NULL || pm->id[0] == '\0' || pm->title == NULL) {
		err_set(err, "%s: a postmortem from %s has no %s and cannot be stored; give it one",
			st->path, pm->source != NULL ? pm->source : "(no file)",
			pm->title == NULL ? "title" : "id");
		return -1;
	}
	hash = pm->hash != NULL ? xstrdup(pm->hash) : content_hash(pm);
	now = store_now();
	if (store_begin(st, err) < 0)
		goto out;
	if (row_compare(st, pm, hash, &exists, &unchanged, err) < 0)
		goto fail;
	if (unchanged) {
		if (measures_fill_ids(st, pm, err) < 0)
			goto fail;
	} else if (row_put(st, pm, exists, hash, now, err) < 0 ||
		   lists_put(st, pm, exists, err) < 0 ||
		   measures_put(st, pm, exists, now, err) < 0 ||
		   store_search_index_postmortem(st, pm->id, pm->is_template ? NULL : pm, err) < 0) {
		goto fail;
	}
	if (store_commit(st, err) < 0)
		goto out;
	if (result != NULL)
		*result = unchanged ? STORE_UNCHANGED : exists ? STORE_UPDATED : STORE_ADDED;
	rc = 0;
	goto out;
fail:
	err_prefix(err, "%s", pm->source != NULL ? pm->source : pm->id);
	store_rollback(st);
out:
	free(hash);
	free(now);
	return rc;
}

int
store_postmortem_rename(struct store *st, const char *old_id, const char *new_id, char **err)
{
	static const char *const moves[] = {
		"INSERT INTO postmortems (id, source, content_hash, title, date, time, tz, severity, "
		"  severity_rank, status, imported_at, updated_at, kind, ready) "
		"SELECT ?2, source, '', title, date, time, tz, severity, severity_rank, status, "
		"  imported_at, updated_at, kind, ready FROM postmortems WHERE id = ?1",
		"UPDATE postmortem_authors SET postmortem_id = ?2 WHERE postmortem_id = ?1",
		"UPDATE postmortem_tags SET postmortem_id = ?2 WHERE postmortem_id = ?1",
		"UPDATE sections SET postmortem_id = ?2 WHERE postmortem_id = ?1",
		"UPDATE measures SET postmortem_id = ?2 WHERE postmortem_id = ?1",
		"UPDATE agenda_items SET postmortem_id = ?2 WHERE postmortem_id = ?1",
		"UPDATE agenda_items SET pm_ref = ?2 WHERE pm_ref = ?1",
		"DELETE FROM postmortems WHERE id = ?1",
	};

	if (store_begin(st, err) < 0)
		return -1;
	for (size_t i = 0; i < sizeof(moves) / sizeof(moves[0]); i++) {
		sqlite3_stmt *stmt = store_stmt(st, moves[i], err);
		if (stmt == NULL)
			goto fail;
		store_bind_text(stmt, 1, old_id);
		store_bind_text(stmt, 2, new_id);
		if (store_step_cached(st, stmt, "cannot rename a postmortem", err) < 0)
			goto fail;
	}
	if (store_search_index_postmortem(st, old_id, NULL, err) < 0)
		goto fail;
	return store_commit(st, err);
fail:
	store_rollback(st);
	return -1;
}

int
store_postmortem_delete(struct store *st, const char *id, char **err)
{
	sqlite3_stmt *stmt;

	if (store_begin(st, err) < 0)
		return -1;
	stmt = store_stmt(st, "DELETE FROM postmortems WHERE id = ?1", err);
	if (stmt == NULL)
		goto fail;
	store_bind_text(stmt, 1, id);
	if (store_step_cached(st, stmt, "cannot delete a postmortem", err) < 0 ||
	    store_search_index_postmortem(st, id, NULL, err) < 0)
		goto fail;
	return store_commit(st, err);
fail:
	store_rollback(st);
	return -1;
}

char *
store_postmortem_id_for_source(struct store *st, const char *source, char **err)
{
	sqlite3_stmt *stmt = store_stmt(st,
		"SELECT id FROM postmortems WHERE source = ?1 ORDER BY updated_at DESC, id LIMIT 1",
		err);
	char *id = NULL;
	int rc;

	if (stmt == NULL)
		return NULL;
	store_bind_text(stmt, 1, source);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		id = store_column_dup(stmt, 0);
	else if (rc != SQLITE_DONE)
		store_fail(st, err, "cannot look up a source file");
	sqlite3_reset(stmt);
	return id;
}

int
store_source_postmortems(struct store *st, const char *source, char ***ids, char ***titles,
			 size_t *n, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st,
		"SELECT id, title FROM postmortems WHERE source = ?1 ORDER BY id", err);
	int rc;

	*ids = *titles = NULL;
	*n = 0;
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, source);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		*ids = xreallocarray(*ids, *n + 1, sizeof(char *));
		*titles = xreallocarray(*titles, *n + 1, sizeof(char *));
		(*ids)[*n] = store_column_dup(stmt, 0);
		(*titles)[(*n)++] = store_column_dup(stmt, 1);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		store_ids_free(*ids, *n);
		store_ids_free(*titles, *n);
		*ids = *titles = NULL;
		*n = 0;
		store_fail(st, err, "cannot list a file's postmortems");
		return -1;
	}
	return 0;
}

int
store_file_postmortems(struct store *st, struct store_file_pm **out, size_t *n, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st,
		"SELECT id, source, content_hash, title, date, kind = 'retired' FROM postmortems"
		" WHERE kind IN ('postmortem', 'template', 'retired') AND source NOT LIKE 'http%'"
		" ORDER BY id", err);
	int rc;

	*out = NULL;
	*n = 0;
	if (stmt == NULL)
		return -1;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		*out = xreallocarray(*out, *n + 1, sizeof(**out));
		(*out)[(*n)++] = (struct store_file_pm){
			.id = store_column_dup(stmt, 0),
			.source = store_column_dup(stmt, 1),
			.hash = store_column_dup(stmt, 2),
			.title = store_column_dup(stmt, 3),
			.date = store_column_dup(stmt, 4),
			.retired = sqlite3_column_int(stmt, 5) != 0,
		};
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		store_file_pms_free(*out, *n);
		*out = NULL;
		*n = 0;
		store_fail(st, err, "cannot list the postmortems imported from files");
		return -1;
	}
	return 0;
}

void
store_file_pms_free(struct store_file_pm *pms, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(pms[i].id);
		free(pms[i].source);
		free(pms[i].hash);
		free(pms[i].title);
		free(pms[i].date);
	}
	free(pms);
}

int
store_postmortem_retire(struct store *st, const char *id, bool *changed, char **err)
{
	/* kind takes it off every agenda and list; the emptied hash makes the
	 * file, when it comes back unchanged, be read and stored again */
	sqlite3_stmt *stmt = store_prepare(st,
		"UPDATE postmortems SET kind = 'retired', content_hash = ''"
		" WHERE id = ?1 AND kind <> 'retired'", err);

	*changed = false;
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, id);
	if (store_step_done(st, stmt, "cannot retire a postmortem", err) < 0)
		return -1;
	*changed = sqlite3_changes(st->db) > 0;
	return 0;
}

void
store_ids_free(char **ids, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
}

static void
list_append(char ***list, size_t *n, char *owned)
{
	*list = xreallocarray(*list, *n + 1, sizeof(char *));
	(*list)[(*n)++] = owned;
}

/* Loads one column of strings for a postmortem, in order. */
static int
strings_load(struct store *st, const char *sql, const char *id, char ***list, size_t *n,
	     char **err)
{
	sqlite3_stmt *stmt = store_stmt(st, sql, err);
	int rc;

	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		list_append(list, n, store_column_dup(stmt, 0));
	if (rc != SQLITE_DONE)
		store_fail(st, err, "cannot read a postmortem");
	sqlite3_reset(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int
sections_load(struct store *st, struct postmortem *pm, char **err)
{
	sqlite3_stmt *stmt = store_stmt(st,
		"SELECT key, heading, body FROM sections WHERE postmortem_id = ?1 ORDER BY pos",
		err);
	int rc;

	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, pm->id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		pm->sections = xreallocarray(pm->sections, pm->n_sections + 1,
					     sizeof(struct section));
		pm->sections[pm->n_sections++] = (struct section){
			.key = store_column_dup(stmt, 0),
			.heading = store_column_dup(stmt, 1),
			.text = store_column_dup(stmt, 2),
		};
	}
	if (rc != SQLITE_DONE)
		store_fail(st, err, "cannot read the sections");
	sqlite3_reset(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

static int
measures_load(struct store *st, struct postmortem *pm, char **err)
{
	sqlite3_stmt *stmt = store_stmt(st,
		"SELECT id, title, owner, due, status, ticket, ticket_url FROM measures "
		"WHERE postmortem_id = ?1 ORDER BY pos, id", err);
	int rc;

	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, pm->id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct measure *m = postmortem_add_measure(pm,
			(const char *)sqlite3_column_text(stmt, 1));
		m->id = sqlite3_column_int64(stmt, 0);
		m->owner = store_column_dup(stmt, 2);
		m->due = store_column_dup(stmt, 3);
		if (!measure_status_parse((const char *)sqlite3_column_text(stmt, 4), &m->status))
			m->status = MEASURE_OPEN;
		m->ticket = store_column_dup(stmt, 5);
		m->ticket_url = store_column_dup(stmt, 6);
	}
	if (rc != SQLITE_DONE)
		store_fail(st, err, "cannot read the measures");
	sqlite3_reset(stmt);
	return rc == SQLITE_DONE ? 0 : -1;
}

struct postmortem *
store_postmortem_get(struct store *st, const char *id, char **err)
{
	sqlite3_stmt *stmt = store_stmt(st,
		"SELECT id, title, date, time, tz, severity, status, source, content_hash "
		"FROM postmortems WHERE id = ?1", err);
	struct postmortem *pm;
	int rc;

	if (stmt == NULL)
		return NULL;
	store_bind_text(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc != SQLITE_ROW) {
		if (rc != SQLITE_DONE)
			store_fail(st, err, "cannot read a postmortem");
		sqlite3_reset(stmt);
		return NULL;
	}
	pm = postmortem_new();
	pm->id = store_column_dup(stmt, 0);
	pm->title = store_column_dup(stmt, 1);
	pm->date = store_column_dup(stmt, 2);
	pm->time = store_column_dup(stmt, 3);
	pm->tz = store_column_dup(stmt, 4);
	pm->severity = store_column_dup(stmt, 5);
	pm->status = store_column_dup(stmt, 6);
	pm->source = store_column_dup(stmt, 7);
	pm->hash = store_column_dup(stmt, 8);
	sqlite3_reset(stmt);
	if (strings_load(st, "SELECT name FROM postmortem_authors WHERE postmortem_id = ?1 "
			 "ORDER BY pos", pm->id, &pm->authors, &pm->n_authors, err) < 0 ||
	    strings_load(st, "SELECT tag FROM postmortem_tags WHERE postmortem_id = ?1 "
			 "ORDER BY pos", pm->id, &pm->tags, &pm->n_tags, err) < 0 ||
	    sections_load(st, pm, err) < 0 || measures_load(st, pm, err) < 0) {
		postmortem_free(pm);
		return NULL;
	}
	return pm;
}

int
store_postmortem_list(struct store *st, const struct store_filter *filter,
		      struct store_rows *out, char **err)
{
	const char *since = filter != NULL ? filter->since : NULL;
	const char *until = filter != NULL ? filter->until : NULL;
	sqlite3_stmt *stmt;
	int rc;

	*out = (struct store_rows){ 0 };
	if ((since != NULL && !date_iso_valid(since)) || (until != NULL && !date_iso_valid(until))) {
		err_set(err, "\"%s\" is not a date; give it as YYYY-MM-DD, e.g. 2026-12-01",
			since != NULL && !date_iso_valid(since) ? since : until);
		return -1;
	}
	stmt = store_stmt(st,
		"SELECT id, title, date, severity, status FROM postmortems "
		"WHERE (?1 IS NULL OR date >= ?1) AND (?2 IS NULL OR date <= ?2) "
		"AND kind = CASE WHEN ?3 THEN 'template' ELSE 'postmortem' END "
		"ORDER BY date IS NULL, date DESC, time DESC, id", err);
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, since);
	store_bind_text(stmt, 2, until);
	sqlite3_bind_int(stmt, 3, filter != NULL && filter->templates);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		out->rows = xreallocarray(out->rows, out->n + 1, sizeof(struct store_row));
		out->rows[out->n++] = (struct store_row){
			.id = store_column_dup(stmt, 0),
			.title = store_column_dup(stmt, 1),
			.date = store_column_dup(stmt, 2),
			.severity = store_column_dup(stmt, 3),
			.status = store_column_dup(stmt, 4),
		};
	}
	if (rc != SQLITE_DONE) {
		store_fail(st, err, "cannot list the postmortems");
		sqlite3_reset(stmt);
		store_rows_free(out);
		return -1;
	}
	sqlite3_reset(stmt);
	return 0;
}

void
store_rows_free(struct store_rows *rows)
{
	if (rows == NULL)
		return;
	for (size_t i = 0; i < rows->n; i++) {
		struct store_row *r = &rows->rows[i];
		free(r->id);
		free(r->title);
		free(r->date);
		free(r->severity);
		free(r->status);
		free(r->snippet);
		free(r->match);
	}
	free(rows->rows);
	rows->rows = NULL;
	rows->n = 0;
}
