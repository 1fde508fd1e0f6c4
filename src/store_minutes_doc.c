#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "furikaeri/deliver.h"
#include "furikaeri/err.h"
#include "furikaeri/roster.h"
#include "furikaeri/store_meeting.h"
#include "furikaeri/store_minutes_doc.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/week.h"
#include "furikaeri/xalloc.h"
#include "store_private.h"

static int
load_items(struct store *st, long long meeting_id, struct minutes_doc *doc, long long **ids,
	   char **err)
{
	sqlite3_stmt *stmt = store_prepare(st,
		"SELECT a.id, a.kind, COALESCE(a.postmortem_id, a.pm_ref), a.title,"
		"  COALESCE(a.pm_source, p.source), COALESCE(a.pm_severity, p.severity),"
		"  COALESCE(a.pm_date, p.date), a.state, a.budget_seconds, a.spent_seconds,"
		"  a.carried_over, a.closed_at"
		" FROM agenda_items a"
		" LEFT JOIN postmortems p ON p.id = COALESCE(a.postmortem_id, a.pm_ref)"
		" WHERE a.meeting_id = ?1 ORDER BY a.pos", err);
	int rc;

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, meeting_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct minutes_item *it = minutes_doc_add_item(doc);
		*ids = xreallocarray(*ids, doc->n_items, sizeof(long long));
		(*ids)[doc->n_items - 1] = sqlite3_column_int64(stmt, 0);
		it->kind = store_column_dup(stmt, 1);
		it->pm_id = store_column_dup(stmt, 2);
		it->title = store_column_dup(stmt, 3);
		it->pm_source = store_column_dup(stmt, 4);
		it->pm_severity = store_column_dup(stmt, 5);
		it->pm_date = store_column_dup(stmt, 6);
		it->state = store_column_dup(stmt, 7);
		it->budget_s = sqlite3_column_int(stmt, 8);
		it->spent_s = sqlite3_column_int(stmt, 9);
		it->carried_over = sqlite3_column_int(stmt, 10) != 0;
		it->closed_at = store_column_dup(stmt, 11);
		/* the session keeps the item open at the end current, for
		 * /reopen; the minutes of a meeting that ended have none open */
		if (doc->ended_at != NULL && strcmp(it->state, "current") == 0) {
			free(it->state);
			it->state = xstrdup("done");
		}
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		store_fail(st, err, "cannot read the agenda");
		return -1;
	}
	return 0;
}

static int
load_entries(struct store *st, long long meeting_id, struct minutes_doc *doc,
	     const long long *item_ids, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st,
		"SELECT m.seq, m.item_id, m.kind, m.body, m.created_at, m.edited_at, m.deleted_at,"
		"  me.marker, me.owner, me.due, me.status, me.agreed_at, me.done_at,"
		"  COALESCE(o.ticket_key, me.ticket), COALESCE(o.ticket_url, me.ticket_url),"
		"  o.state, m.author, me.ticket_state, m.marker"
		" FROM minutes m LEFT JOIN measures me ON me.id = m.measure_id"
		" LEFT JOIN ticket_outbox o ON o.measure_id = m.measure_id"
		" WHERE m.meeting_id = ?1 ORDER BY m.seq", err);
	int rc;

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, meeting_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct minutes_entry *e = minutes_doc_add_entry(doc);
		long long item_id = sqlite3_column_int64(stmt, 1);
		e->seq = sqlite3_column_int(stmt, 0);
		for (size_t i = 0; item_id != 0 && i < doc->n_items; i++)
			if (item_ids[i] == item_id)
				e->item = (long)i;
		e->kind = store_column_dup(stmt, 2);
		e->body = store_column_dup(stmt, 3);
		e->created_at = store_column_dup(stmt, 4);
		e->edited_at = store_column_dup(stmt, 5);
		e->deleted_at = store_column_dup(stmt, 6);
		e->marker = store_column_dup(stmt, 7);
		e->owner = store_column_dup(stmt, 8);
		e->due = store_column_dup(stmt, 9);
		e->status = store_column_dup(stmt, 10);
		e->agreed_at = store_column_dup(stmt, 11);
		e->done_at = store_column_dup(stmt, 12);
		e->ticket = store_column_dup(stmt, 13);
		e->ticket_url = store_column_dup(stmt, 14);
		e->ticket_state = store_outbox_column_word(stmt, 15, 17);
		e->author = store_column_dup(stmt, 16);
		e->entry_marker = store_column_dup(stmt, 18);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		store_fail(st, err, "cannot read the minutes");
		return -1;
	}
	return 0;
}

/* The roster at export and the rotation's proposal for the week after. */
static int
load_roster(struct store *st, struct minutes_doc *doc, char **err)
{
	struct store_people people;
	struct store_history hist;
	struct roster *r;
	struct week w;
	char next[WEEK_STRLEN];
	const char *f = NULL, *b = NULL;

	if (store_people_list(st, &people, err) < 0)
		return -1;
	if (store_history_list(st, NULL, &hist, err) < 0) {
		store_people_free(&people);
		return -1;
	}
	r = roster_new();
	for (size_t i = 0; i < people.n; i++) {
		struct minutes_person *p = minutes_doc_add_person(doc);
		p->name = xstrdup(people.people[i].name);
		p->role = xstrdup_or_null(people.people[i].role);
		p->away_until = xstrdup_or_null(people.people[i].away_until);
		roster_add(r, p->name, p->role, p->away_until, NULL);
	}
	for (size_t i = 0; i < hist.n; i++)
		if (hist.rows[i].facilitator != NULL)
			roster_record(r, hist.rows[i].week, hist.rows[i].facilitator,
				      hist.rows[i].backup, NULL);
	if (week_parse(doc->week, &w)) {
		week_format(week_next(w), next);
		roster_propose(r, next, &f, &b, NULL);
	}
	doc->next_facilitator = xstrdup_or_null(f);
	doc->next_backup = xstrdup_or_null(b);
	roster_free(r);
	store_people_free(&people);
	store_history_free(&hist);
	return 0;
}

struct minutes_doc *
store_minutes_doc_load(struct store *st, const char *week, char **err)
{
	struct store_meeting *m;
	struct minutes_doc *doc;
	long long *item_ids = NULL;
	char *e = NULL;

	m = store_meeting_get(st, week, &e);
	if (m == NULL) {
		if (e != NULL)
			err_set(err, "%s", e);
		else
			err_set(err, "%s: there is no meeting in week %s; 'furikaeri history' lists "
				"the weeks that have one", st->path, week);
		free(e);
		return NULL;
	}
	doc = minutes_doc_new();
	doc->week = xstrdup(m->week);
	doc->facilitator = xstrdup_or_null(m->facilitator);
	doc->backup = xstrdup_or_null(m->backup);
	doc->budget_minutes = m->budget_minutes;
	doc->started_at = xstrdup_or_null(m->started_at);
	doc->ended_at = xstrdup_or_null(m->ended_at);
	if (store_attendee_list(st, m->id, &doc->attendees, &doc->n_attendees, err) < 0 ||
	    load_items(st, m->id, doc, &item_ids, err) < 0 ||
	    load_entries(st, m->id, doc, item_ids, err) < 0 ||
	    load_roster(st, doc, err) < 0) {
		minutes_doc_free(doc);
		doc = NULL;
	}
	free(item_ids);
	store_meeting_free(m);
	return doc;
}

static int
save_people(struct store *st, const struct minutes_doc *doc, const char *now, char **err)
{
	for (size_t i = 0; i < doc->n_roster; i++) {
		const struct minutes_person *p = &doc->roster[i];
		sqlite3_stmt *stmt = store_prepare(st,
			"INSERT OR IGNORE INTO people (name, role, away_until, added_at)"
			" VALUES (?1, ?2, ?3, ?4)", err);
		if (stmt == NULL)
			return -1;
		store_bind_text(stmt, 1, p->name);
		store_bind_text(stmt, 2, p->role);
		store_bind_text(stmt, 3, p->away_until);
		store_bind_text(stmt, 4, now);
		if (store_step_done(st, stmt, "cannot add to the roster", err) < 0)
			return -1;
	}
	return 0;
}

static int
save_meeting(struct store *st, const struct minutes_doc *doc, long long *id, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st,
		"INSERT INTO meetings (week, facilitator, backup, budget_minutes, started_at,"
		" ended_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)", err);

	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, doc->week);
	store_bind_text(stmt, 2, doc->facilitator);
	store_bind_text(stmt, 3, doc->backup);
	sqlite3_bind_int(stmt, 4, doc->budget_minutes);
	store_bind_text(stmt, 5, doc->started_at);
	store_bind_text(stmt, 6, doc->ended_at);
	if (store_step_done(st, stmt, "cannot record the meeting", err) < 0)
		return -1;
	*id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

static int
save_attendees(struct store *st, const struct minutes_doc *doc, long long id, const char *now,
	       char **err)
{
	/* one joined_at for all: the row order keeps the doc's order */
	const char *joined = doc->started_at != NULL ? doc->started_at : now;

	for (size_t i = 0; i < doc->n_attendees; i++) {
		sqlite3_stmt *stmt = store_prepare(st,
			"INSERT OR IGNORE INTO attendees (meeting_id, name, joined_at)"
			" VALUES (?1, ?2, ?3)", err);
		if (stmt == NULL)
			return -1;
		sqlite3_bind_int64(stmt, 1, id);
		store_bind_text(stmt, 2, doc->attendees[i]);
		store_bind_text(stmt, 3, joined);
		if (store_step_done(st, stmt, "cannot record an attendee", err) < 0)
			return -1;
	}
	return 0;
}

/* One agenda item of the doc into meeting_id: at pos, or after the last
 * one when pos is negative (a merge adds what this store lacks). */
static int
insert_item(struct store *st, long long meeting_id, int pos, const struct minutes_item *it,
	    const char *what, long long *id, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st,
		"INSERT INTO agenda_items (meeting_id, pos, kind, postmortem_id, title, state,"
		" budget_seconds, spent_seconds, carried_over, pm_ref, pm_source, pm_severity,"
		" pm_date)"
		" VALUES (?1, COALESCE(?2, (SELECT COALESCE(max(pos), -1) + 1 FROM agenda_items"
		"  WHERE meeting_id = ?1)), ?3, (SELECT id FROM postmortems WHERE id = ?4), ?5, ?6,"
		"  ?7, ?8, ?9, ?4, ?10, ?11, ?12)", err);

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, meeting_id);
	if (pos >= 0)
		sqlite3_bind_int(stmt, 2, pos);
	store_bind_text(stmt, 3, it->kind);
	store_bind_text(stmt, 4, it->pm_id);
	store_bind_text(stmt, 5, it->title != NULL ? it->title : "");
	store_bind_text(stmt, 6, it->state != NULL ? it->state : "pending");
	sqlite3_bind_int(stmt, 7, it->budget_s);
	sqlite3_bind_int(stmt, 8, it->spent_s);
	sqlite3_bind_int(stmt, 9, it->carried_over);
	store_bind_text(stmt, 10, it->pm_source);
	store_bind_text(stmt, 11, it->pm_severity);
	store_bind_text(stmt, 12, it->pm_date);
	if (store_step_done(st, stmt, what, err) < 0)
		return -1;
	*id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

static int
save_items(struct store *st, const struct minutes_doc *doc, long long id, long long *ids,
	   char **err)
{
	for (size_t i = 0; i < doc->n_items; i++)
		if (insert_item(st, id, (int)i, &doc->items[i], "cannot record the agenda", &ids[i],
				err) < 0)
			return -1;
	return 0;
}

/* Whether a measure of this store is spoken for in this import: claimed by
 * an earlier entry, or carrying the marker of another entry of the doc. */
static bool
claimed(const struct minutes_doc *doc, const long long *ids, size_t n_ids, long long id,
	const char *marker)
{
	for (size_t i = 0; i < n_ids; i++)
		if (ids[i] == id)
			return true;
	for (size_t i = 0; marker != NULL && i < doc->n_entries; i++)
		if (doc->entries[i].marker != NULL && strcmp(doc->entries[i].marker, marker) == 0)
			return true;
	return false;
}

/* The measure of an entry whose marker this store does not know (another
 * facilitator's minutes, the measure reworded since): among the measures of
 * the item's postmortem not spoken for, the one with the entry's ticket,
 * else one with a close title and no other ticket. Markers are forever:
 * a measure whose ticket is on its way (queued, claimed, unknown) is not
 * matched at all, and one whose create was ever sent keeps its marker
 * (*keep_marker), since the lookup by marker is how its ticket is found.
 * 0 when none. */
static int
match_unmarked(struct store *st, const struct minutes_doc *doc, const struct minutes_entry *e,
	       long long item_id, const long long *ids, size_t n_ids, long long *measure_id,
	       bool *keep_marker, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st,
		"SELECT me.id, me.title, me.ticket, me.marker, o.id IS NOT NULL, o.state,"
		"  o.sent_at IS NOT NULL OR coalesce(o.attempts, 0) > 0"
		" FROM measures me LEFT JOIN ticket_outbox o ON o.measure_id = me.id"
		" WHERE me.postmortem_id = (SELECT postmortem_id FROM agenda_items WHERE id = ?1)"
		" ORDER BY me.pos, me.id", err);
	long long by_ticket = 0, by_title = 0;
	bool keep_ticket = false, keep_title = false;
	int rc;

	*measure_id = 0;
	*keep_marker = false;
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, item_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(stmt, 0);
		const char *title = (const char *)sqlite3_column_text(stmt, 1);
		const char *ticket = (const char *)sqlite3_column_text(stmt, 2);
		const char *marker = (const char *)sqlite3_column_text(stmt, 3);
		bool has_row = sqlite3_column_int(stmt, 4) != 0;
		enum deliver_state state = DELIVER_QUEUED;
		/* a state this furikaeri cannot read counts as on its way */
		bool known = has_row &&
			     deliver_state_parse((const char *)sqlite3_column_text(stmt, 5), &state);
		bool sent = sqlite3_column_int(stmt, 6) != 0;

		if (claimed(doc, ids, n_ids, id, marker))
			continue;
		if (has_row && (!known || deliver_state_pending(state)))
			continue;
		if (by_ticket == 0 && e->ticket != NULL && ticket != NULL &&
		    strcmp(ticket, e->ticket) == 0) {
			by_ticket = id;
			keep_ticket = sent;
		}
		if (by_title == 0 && title != NULL && e->body != NULL &&
		    (ticket == NULL || e->ticket == NULL || strcmp(ticket, e->ticket) == 0) &&
		    store_titles_close(title, e->body)) {
			by_title = id;
			keep_title = sent;
		}
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		store_fail(st, err, "cannot look up a reworded measure");
		return -1;
	}
	*measure_id = by_ticket != 0 ? by_ticket : by_title;
	*keep_marker = by_ticket != 0 ? keep_ticket : keep_title;
	return 0;
}

/* The measure of an action: the one with the same marker when this store
 * has it, else (another facilitator's minutes) the same measure found by
 * ticket, then by a close title, which takes the entry's marker so that its
 * ticket is found by it and the minutes export as they were imported,
 * unless a create of its own was ever sent (match_unmarked); else a new
 * one. The measure is updated to what the minutes say. */
static int
save_measure(struct store *st, const struct minutes_doc *doc, const struct minutes_entry *e,
	     long long item_id, const long long *ids, size_t n_ids, long long *measure_id,
	     char **err)
{
	sqlite3_stmt *stmt = store_prepare(st, "SELECT id FROM measures WHERE marker = ?1", err);
	bool adopt = false, keep_marker = false;
	int rc;

	*measure_id = 0;
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, e->marker);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*measure_id = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_fail(st, err, "cannot look up a measure");
		return -1;
	}
	if (*measure_id == 0 && item_id != 0) {
		if (match_unmarked(st, doc, e, item_id, ids, n_ids, measure_id, &keep_marker,
				   err) < 0)
			return -1;
		adopt = *measure_id != 0 && !keep_marker;
	}
	if (*measure_id != 0)
		stmt = store_prepare(st,
			/* what the store knows is never emptied by minutes that lack it,
			 * and a measure done or dropped here is not reopened */
			"UPDATE measures SET title = ?2, owner = coalesce(?3, owner),"
			" due = coalesce(?4, due),"
			" status = CASE WHEN ?5 = 'open' THEN status ELSE ?5 END,"
			" agreed_at = coalesce(?6, agreed_at), done_at = coalesce(?7, done_at),"
			" ticket = coalesce(?8, ticket), ticket_url = coalesce(?9, ticket_url),"
			" ticket_state = coalesce(?10, ticket_state), marker = coalesce(?11, marker)"
			" WHERE id = ?1", err);
	else
		stmt = store_prepare(st,
			"INSERT INTO measures (postmortem_id, pos, title, owner, due, status, origin,"
			" marker, created_at, agreed_at, done_at, ticket, ticket_url, ticket_state)"
			" VALUES ((SELECT postmortem_id FROM agenda_items WHERE id = ?1),"
			"  (SELECT COALESCE(max(pos), -1) + 1 FROM measures WHERE postmortem_id ="
			"   (SELECT postmortem_id FROM agenda_items WHERE id = ?1)),"
			"  ?2, ?3, ?4, ?5, 'meeting', ?11, ?12, ?6, ?7, ?8, ?9, ?10)", err);
	if (stmt == NULL)
		return -1;
	if (*measure_id != 0)
		sqlite3_bind_int64(stmt, 1, *measure_id);
	else if (item_id != 0)
		sqlite3_bind_int64(stmt, 1, item_id);
	else
		sqlite3_bind_null(stmt, 1);
	store_bind_text(stmt, 2, e->body);
	store_bind_text(stmt, 3, e->owner);
	store_bind_text(stmt, 4, e->due);
	store_bind_text(stmt, 5, e->status != NULL ? e->status : "open");
	store_bind_text(stmt, 6, e->agreed_at);
	store_bind_text(stmt, 7, e->done_at);
	store_bind_text(stmt, 8, e->ticket);
	store_bind_text(stmt, 9, e->ticket_url);
	store_bind_text(stmt, 10, e->ticket_state);
	if (*measure_id == 0) {
		store_bind_text(stmt, 11, e->marker);
		store_bind_text(stmt, 12, e->created_at);
	} else if (adopt) {
		store_bind_text(stmt, 11, e->marker);
	}
	if (store_step_done(st, stmt, "cannot record a measure", err) < 0)
		return -1;
	if (*measure_id == 0)
		*measure_id = sqlite3_last_insert_rowid(st->db);
	return 0;
}

/* Writes entry e as a new row of the meeting under seq, with its measure
 * when it is an action; marker is stored when the entry needs one of its
 * own (NULL: derived from what it is stored as). */
static int
insert_entry(struct store *st, const struct minutes_doc *doc, const struct minutes_entry *e,
	     long long meeting_id, long long item_id, int seq, const char *marker,
	     long long *measures, size_t *n_measures, char **err)
{
	long long measure_id = 0;
	sqlite3_stmt *stmt;

	if (e->marker != NULL) {
		if (save_measure(st, doc, e, item_id, measures, *n_measures, &measure_id, err) < 0)
			return -1;
		measures[(*n_measures)++] = measure_id;
	}
	stmt = store_prepare(st,
		"INSERT INTO minutes (meeting_id, item_id, seq, kind, body, measure_id,"
		" created_at, edited_at, deleted_at, author, marker)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)", err);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, meeting_id);
	if (item_id != 0)
		sqlite3_bind_int64(stmt, 2, item_id);
	else
		sqlite3_bind_null(stmt, 2);
	sqlite3_bind_int(stmt, 3, seq);
	store_bind_text(stmt, 4, e->kind);
	store_bind_text(stmt, 5, e->body);
	if (measure_id != 0)
		sqlite3_bind_int64(stmt, 6, measure_id);
	else
		sqlite3_bind_null(stmt, 6);
	store_bind_text(stmt, 7, e->created_at);
	store_bind_text(stmt, 8, e->edited_at);
	store_bind_text(stmt, 9, e->deleted_at);
	store_bind_text(stmt, 10, e->author);
	store_bind_text(stmt, 11, marker);
	if (store_step_done(st, stmt, "cannot record an entry of the minutes", err) < 0)
		return -1;
	return store_search_index_minute(st, sqlite3_last_insert_rowid(st->db), err);
}

static long long
file_item_id(const struct minutes_doc *doc, const struct minutes_entry *e,
	     const long long *item_ids)
{
	return e->item >= 0 && (size_t)e->item < doc->n_items ? item_ids[e->item] : 0;
}

/* A week this store has no meeting of: the doc as it is. */
static int
save_new(struct store *st, const struct minutes_doc *doc, const char *now, char **err)
{
	long long id = 0, *item_ids = xcalloc(doc->n_items + 1, sizeof(long long));
	long long *measures = xcalloc(doc->n_entries + 1, sizeof(long long));
	size_t n_measures = 0;
	int rc = -1;

	if (save_meeting(st, doc, &id, err) < 0 || save_attendees(st, doc, id, now, err) < 0 ||
	    save_items(st, doc, id, item_ids, err) < 0)
		goto out;
	for (size_t i = 0; i < doc->n_entries; i++) {
		const struct minutes_entry *e = &doc->entries[i];
		if (insert_entry(st, doc, e, id, file_item_id(doc, e, item_ids), e->seq,
				 e->entry_marker, measures, &n_measures, err) < 0)
			goto out;
	}
	rc = 0;
out:
	free(item_ids);
	free(measures);
	return rc;
}

/* One entry of this store's meeting, as a merge compares it. */
struct local_entry {
	long long id;
	long long measure_id;
	long long item_id;
	int seq;
	char *identity;
	struct minutes_entry e;	/* kind, body, times, author, measure fields */
	bool matched;
};

static void
local_entries_free(struct local_entry *l, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct minutes_entry *e = &l[i].e;
		free(l[i].identity);
		free(e->entry_marker);
		free(e->kind);
		free(e->body);
		free(e->created_at);
		free(e->edited_at);
		free(e->deleted_at);
		free(e->author);
		free(e->marker);
		free(e->owner);
		free(e->due);
		free(e->status);
		free(e->ticket);
	}
	free(l);
}

static int
load_local(struct store *st, long long meeting_id, const char *week, struct local_entry **out,
	   size_t *n_out, int *max_seq, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st,
		"SELECT m.id, COALESCE(m.measure_id, 0), COALESCE(m.item_id, 0), m.seq, m.kind,"
		"  m.body, m.created_at, m.edited_at, m.deleted_at, m.author, m.marker,"
		"  me.marker, me.owner, me.due, me.status, me.ticket"
		" FROM minutes m LEFT JOIN measures me ON me.id = m.measure_id"
		" WHERE m.meeting_id = ?1 ORDER BY m.seq", err);
	struct local_entry *l = NULL;
	size_t n = 0;
	int rc;

	*max_seq = 0;
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, meeting_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		struct local_entry *x;
		l = xreallocarray(l, n + 1, sizeof(*l));
		x = &l[n++];
		*x = (struct local_entry){
			.id = sqlite3_column_int64(stmt, 0),
			.measure_id = sqlite3_column_int64(stmt, 1),
			.item_id = sqlite3_column_int64(stmt, 2),
			.seq = sqlite3_column_int(stmt, 3),
		};
		x->e.seq = x->seq;
		x->e.kind = store_column_dup(stmt, 4);
		x->e.body = store_column_dup(stmt, 5);
		x->e.created_at = store_column_dup(stmt, 6);
		x->e.edited_at = store_column_dup(stmt, 7);
		x->e.deleted_at = store_column_dup(stmt, 8);
		x->e.author = store_column_dup(stmt, 9);
		x->e.entry_marker = store_column_dup(stmt, 10);
		x->e.marker = store_column_dup(stmt, 11);
		x->e.owner = store_column_dup(stmt, 12);
		x->e.due = store_column_dup(stmt, 13);
		x->e.status = store_column_dup(stmt, 14);
		x->e.ticket = store_column_dup(stmt, 15);
		x->identity = minutes_entry_identity(week, &x->e);
		if (x->seq > *max_seq)
			*max_seq = x->seq;
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		store_fail(st, err, "cannot read the minutes to merge");
		local_entries_free(l, n);
		return -1;
	}
	*out = l;
	*n_out = n;
	return 0;
}

static bool
same_text(const char *a, const char *b)
{
	return (a == NULL && b == NULL) || (a != NULL && b != NULL && strcmp(a, b) == 0);
}

/* When an entry last changed: deleted, edited, else written. */
static const char *
changed_at(const struct minutes_entry *e)
{
	const char *t = e->created_at != NULL ? e->created_at : "";

	if (e->edited_at != NULL && strcmp(e->edited_at, t) > 0)
		t = e->edited_at;
	if (e->deleted_at != NULL && strcmp(e->deleted_at, t) > 0)
		t = e->deleted_at;
	return t;
}

/* Whether the file's action says something of its measure the store lacks. */
static bool
measure_news(const struct minutes_entry *f, const struct minutes_entry *l)
{
	return f->marker != NULL &&
	       (!same_text(f->marker, l->marker) || (f->owner != NULL && !same_text(f->owner, l->owner)) ||
		(f->due != NULL && !same_text(f->due, l->due)) ||
		(f->ticket != NULL && !same_text(f->ticket, l->ticket)) ||
		(f->status != NULL && strcmp(f->status, "open") != 0 &&
		 !same_text(f->status, l->status)));
}

static int
update_entry(struct store *st, const struct local_entry *l, const struct minutes_entry *f,
	     long long item_id, long long measure_id, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st,
		"UPDATE minutes SET body = ?2, edited_at = ?3, deleted_at = ?4,"
		" author = coalesce(?5, author), item_id = coalesce(?6, item_id),"
		" measure_id = coalesce(?7, measure_id) WHERE id = ?1", err);

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, l->id);
	store_bind_text(stmt, 2, f->body);
	store_bind_text(stmt, 3, f->edited_at);
	store_bind_text(stmt, 4, f->deleted_at);
	store_bind_text(stmt, 5, f->author);
	if (item_id != 0)
		sqlite3_bind_int64(stmt, 6, item_id);
	else
		sqlite3_bind_null(stmt, 6);
	if (measure_id != 0)
		sqlite3_bind_int64(stmt, 7, measure_id);
	else
		sqlite3_bind_null(stmt, 7);
	if (store_step_done(st, stmt, "cannot merge an entry of the minutes", err) < 0)
		return -1;
	return store_search_index_minute(st, l->id, err);
}

/* The local item for each of the doc's items: the same postmortem, or the
 * same kind and title; an item this store lacks is added after its own. */
static int
merge_items(struct store *st, const struct minutes_doc *doc, long long meeting_id,
	    long long *ids, bool *changed, char **err)
{
	for (size_t i = 0; i < doc->n_items; i++) {
		const struct minutes_item *it = &doc->items[i];
		sqlite3_stmt *stmt = store_prepare(st,
			"SELECT id FROM agenda_items WHERE meeting_id = ?1 AND kind = ?2 AND"
			" (CASE WHEN ?3 IS NOT NULL THEN COALESCE(postmortem_id, pm_ref) = ?3"
			"  ELSE COALESCE(postmortem_id, pm_ref) IS NULL AND title = ?4 END)"
			" ORDER BY pos LIMIT 1", err);
		int rc;

		if (stmt == NULL)
			return -1;
		sqlite3_bind_int64(stmt, 1, meeting_id);
		store_bind_text(stmt, 2, it->kind);
		store_bind_text(stmt, 3, it->pm_id);
		store_bind_text(stmt, 4, it->title != NULL ? it->title : "");
		rc = sqlite3_step(stmt);
		ids[i] = rc == SQLITE_ROW ? sqlite3_column_int64(stmt, 0) : 0;
		sqlite3_finalize(stmt);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
			store_fail(st, err, "cannot read the agenda to merge");
			return -1;
		}
		if (ids[i] != 0)
			continue;
		if (insert_item(st, meeting_id, -1, it, "cannot merge the agenda", &ids[i], err) < 0)
			return -1;
		*changed = true;
	}
	return 0;
}

/* The meeting's facilitator, backup and times: what this store lacks. */
static int
merge_meeting(struct store *st, const struct minutes_doc *doc, long long id, const char *now,
	      bool *changed, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st,
		"UPDATE meetings SET facilitator = coalesce(facilitator, ?2),"
		" backup = coalesce(backup, ?3), started_at = coalesce(started_at, ?4),"
		" ended_at = coalesce(ended_at, ?5) WHERE id = ?1 AND"
		" ((facilitator IS NULL AND ?2 IS NOT NULL) OR (backup IS NULL AND ?3 IS NOT NULL)"
		"  OR (started_at IS NULL AND ?4 IS NOT NULL) OR (ended_at IS NULL AND ?5 IS NOT NULL))",
		err);
	int before = sqlite3_total_changes(st->db);

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	store_bind_text(stmt, 2, doc->facilitator);
	store_bind_text(stmt, 3, doc->backup);
	store_bind_text(stmt, 4, doc->started_at);
	store_bind_text(stmt, 5, doc->ended_at);
	if (store_step_done(st, stmt, "cannot merge the meeting", err) < 0 ||
	    save_attendees(st, doc, id, now, err) < 0)
		return -1;
	if (sqlite3_total_changes(st->db) != before)
		*changed = true;
	return 0;
}

/* Adds what the conflict would lose to the report. */
static void
report_conflict(struct strbuf *lost, const struct local_entry *l, const struct minutes_entry *f)
{
	const char *text = l->e.body != NULL ? l->e.body : "";
	size_t len = strlen(text), n = len > 60 ? 60 : len;

	/* xstrndup copies n bytes: never past the text, nor into a character */
	while (n > 0 && n < len && ((unsigned char)text[n] & 0xC0) == 0x80)
		n--;
	char *body = xstrndup(text, n);

	strbuf_addf(lost, "%sentry %d (%s) %s here at %s, and %s in the file at %s: \"%s%s\"",
		    lost->len > 0 ? "; " : "", l->seq, l->e.kind,
		    l->e.deleted_at != NULL ? "deleted" : "edited", changed_at(&l->e),
		    f->deleted_at != NULL ? "deleted" : "edited", changed_at(f), body,
		    n < len ? "..." : "");
	free(body);
}

/* Merges the doc into the week's meeting this store holds, entry by
 * entry by identity: a new entry is added (under a free seq, keeping its
 * identity as its marker), a local entry the file lacks stays, and an
 * entry both have takes the newer side: the file's when this store never
 * edited it, this store's when the file never did, and when both edited
 * it, the later, except that an older version from the file is a conflict,
 * reported in *lost (nothing is written) unless replace takes the file's. */
static int
merge(struct store *st, const struct minutes_doc *doc, long long id, bool replace,
      const char *now, bool *changed, struct strbuf *lost, char **err)
{
	long long *item_ids = xcalloc(doc->n_items + 1, sizeof(long long));
	long long *measures = xcalloc(doc->n_entries + 1, sizeof(long long));
	size_t n_measures = 0, n_local = 0, n_added = 0;
	struct local_entry *local = NULL;
	int max_seq = 0, rc = -1, *added = xcalloc(doc->n_entries + 1, sizeof(int));

	if (merge_meeting(st, doc, id, now, changed, err) < 0 ||
	    merge_items(st, doc, id, item_ids, changed, err) < 0 ||
	    load_local(st, id, doc->week, &local, &n_local, &max_seq, err) < 0)
		goto out;
	for (size_t i = 0; i < doc->n_entries; i++) {
		const struct minutes_entry *f = &doc->entries[i];
		char *ident = minutes_entry_identity(doc->week, f);
		struct local_entry *l = NULL;
		long long item_id = file_item_id(doc, f, item_ids), measure_id = 0;
		bool seq_free = true, take;

		for (size_t k = 0; k < n_local; k++) {
			if (l == NULL && !local[k].matched && strcmp(local[k].identity, ident) == 0)
				l = &local[k];
			seq_free = seq_free && local[k].seq != f->seq;
		}
		for (size_t k = 0; k < n_added; k++)
			seq_free = seq_free && added[k] != f->seq;
		if (l == NULL) {
			int seq = seq_free ? f->seq : ++max_seq;
			int r = insert_entry(st, doc, f, id, item_id, seq,
					     seq == f->seq ? f->entry_marker : ident, measures,
					     &n_measures, err);
			if (seq > max_seq)
				max_seq = seq;
			added[n_added++] = seq;
			free(ident);
			if (r < 0)
				goto out;
			*changed = true;
			continue;
		}
		free(ident);
		l->matched = true;
		bool same = same_text(f->kind, l->e.kind) && same_text(f->body, l->e.body) &&
			    same_text(f->edited_at, l->e.edited_at) &&
			    same_text(f->deleted_at, l->e.deleted_at);
		bool here_edited = l->e.edited_at != NULL || l->e.deleted_at != NULL;
		bool file_edited = f->edited_at != NULL || f->deleted_at != NULL;
		if (same)
			take = measure_news(f, &l->e);
		else if (!here_edited)
			take = true;
		else if (!file_edited)
			take = false;	/* the file is older: this store's edit stays */
		else if (strcmp(changed_at(f), changed_at(&l->e)) > 0)
			take = true;
		else {
			take = replace;
			if (!replace)
				report_conflict(lost, l, f);
		}
		if (!take)
			continue;
		if (f->marker != NULL) {
			if (save_measure(st, doc, f, item_id != 0 ? item_id : l->item_id, measures,
					 n_measures, &measure_id, err) < 0)
				goto out;
			measures[n_measures++] = measure_id;
		}
		if (update_entry(st, l, f, item_id, measure_id, err) < 0)
			goto out;
		*changed = true;
	}
	rc = 0;
out:
	local_entries_free(local, n_local);
	free(added);
	free(item_ids);
	free(measures);
	return rc;
}

int
store_minutes_doc_save(struct store *st, const struct minutes_doc *doc, bool replace,
		       enum store_upsert_result *result, char **err)
{
	struct strbuf lost = STRBUF_INIT;
	struct week w;
	sqlite3_stmt *stmt;
	char *now;
	long long id = 0;
	bool changed = false;
	int rc = -1, found;

	if (doc->week == NULL || !week_parse(doc->week, &w)) {
		err_set(err, "%s: minutes of week \"%s\": not a week such as 2026-W49", st->path,
			doc->week != NULL ? doc->week : "");
		return -1;
	}
	if (store_begin(st, err) < 0)
		return -1;
	now = store_now();
	stmt = store_prepare(st, "SELECT id FROM meetings WHERE week = ?1", err);
	if (stmt == NULL)
		goto fail;
	store_bind_text(stmt, 1, doc->week);
	found = sqlite3_step(stmt);
	if (found == SQLITE_ROW)
		id = sqlite3_column_int64(stmt, 0);
	sqlite3_finalize(stmt);
	if (found != SQLITE_ROW && found != SQLITE_DONE) {
		store_fail(st, err, "cannot read the meeting");
		goto fail;
	}
	if (save_people(st, doc, now, err) < 0)
		goto fail;
	if (id == 0 ? save_new(st, doc, now, err) < 0
		    : merge(st, doc, id, replace, now, &changed, &lost, err) < 0)
		goto fail;
	if (lost.len > 0) {
		err_set(err, "this store's minutes of %s are newer than the file's in what both "
			"edited; importing the file would lose this store's version of %s. "
			"Nothing was imported; give --replace to take the file's version",
			doc->week, strbuf_str(&lost));
		goto fail;
	}
	if (store_commit(st, err) == 0) {
		rc = 0;
		*result = id == 0 ? STORE_ADDED : changed ? STORE_UPDATED : STORE_UNCHANGED;
	}
	goto out;
fail:
	store_rollback(st);
out:
	strbuf_release(&lost);
	free(now);
	return rc;
}
