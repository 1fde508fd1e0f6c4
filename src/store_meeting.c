#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "furikaeri/date.h"
#include "furikaeri/err.h"
#include "furikaeri/week.h"
#include "furikaeri/store_meeting.h"
#include "furikaeri/xalloc.h"
#include "store_private.h"

void
store_people_free(struct store_people *p)
{
	for (size_t i = 0; i < p->n; i++) {
		free(p->people[i].name);
		free(p->people[i].role);
		free(p->people[i].away_until);
		free(p->people[i].chat_id);
		free(p->people[i].email);
	}
	free(p->people);
	p->people = NULL;
	p->n = 0;
}

int
store_people_list(struct store *st, struct store_people *out, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st,
		"SELECT name, role, away_until, chat_id, email FROM people ORDER BY id", err);
	int rc;

	memset(out, 0, sizeof(*out));
	if (stmt == NULL)
		return -1;
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		out->people = xreallocarray(out->people, out->n + 1, sizeof(*out->people));
		struct store_person *p = &out->people[out->n++];
		p->name = store_column_dup(stmt, 0);
		p->role = store_column_dup(stmt, 1);
		p->away_until = store_column_dup(stmt, 2);
		p->chat_id = store_column_dup(stmt, 3);
		p->email = store_column_dup(stmt, 4);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		store_fail(st, err, "cannot read the roster");
		store_people_free(out);
		return -1;
	}
	return 0;
}

/* The person the unique chat_id index names as taken, for the message. */
static char *
chat_id_holder(struct store *st, const char *chat_id)
{
	sqlite3_stmt *stmt = store_prepare(st, "SELECT name FROM people WHERE chat_id = ?1", NULL);
	char *name = NULL;

	if (stmt == NULL)
		return NULL;
	store_bind_text(stmt, 1, chat_id);
	if (sqlite3_step(stmt) == SQLITE_ROW)
		name = store_column_dup(stmt, 0);
	sqlite3_finalize(stmt);
	return name;
}

static void
chat_id_taken(struct store *st, const char *chat_id, char **err)
{
	char *holder = chat_id_holder(st, chat_id);

	err_set(err, "the chat id %s is already %s's on the roster: one chat account is one "
		"person ('furikaeri roster set %s --chat none' frees it)", chat_id,
		holder ? holder : "someone else", holder ? holder : "NAME");
	free(holder);
}

int
store_person_insert(struct store *st, const struct store_person *p, char **err)
{
	char *now = store_now();
	sqlite3_stmt *stmt = store_prepare(st,
		"INSERT INTO people (name, role, added_at, chat_id, email)"
		" VALUES (?1, ?2, ?3, ?4, ?5)", err);
	int rc;

	if (stmt == NULL) {
		free(now);
		return -1;
	}
	sqlite3_bind_text(stmt, 1, p->name, -1, SQLITE_TRANSIENT);
	store_bind_text(stmt, 2, p->role);
	sqlite3_bind_text(stmt, 3, now, -1, SQLITE_TRANSIENT);
	store_bind_text(stmt, 4, p->chat_id);
	store_bind_text(stmt, 5, p->email);
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	free(now);
	if (rc == SQLITE_CONSTRAINT_UNIQUE) {
		char *holder = p->chat_id ? chat_id_holder(st, p->chat_id) : NULL;

		if (holder != NULL && strcmp(holder, p->name) != 0)
			chat_id_taken(st, p->chat_id, err);
		else
			err_set(err, "%s is already on the roster", p->name);
		free(holder);
		return -1;
	}
	if (rc != SQLITE_DONE) {
		store_fail(st, err, "cannot add to the roster");
		return -1;
	}
	return 0;
}

int
store_person_add(struct store *st, const char *name, const char *role, char **err)
{
	struct store_person p = { .name = (char *)name, .role = (char *)role };

	return store_person_insert(st, &p, err);
}

static int
changed_one(struct store *st, const char *name, char **err)
{
	if (sqlite3_changes(st->db) == 0) {
		err_set(err, "%s is not on the roster; 'furikaeri roster list' shows who is", name);
		return -1;
	}
	return 0;
}

int
store_person_remove(struct store *st, const char *name, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st, "DELETE FROM people WHERE name = ?1", err);

	if (stmt == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_TRANSIENT);
	if (store_step_done(st, stmt, "cannot remove from the roster", err) < 0)
		return -1;
	return changed_one(st, name, err);
}

int
store_person_set_away(struct store *st, const char *name, const char *until, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st,
		"UPDATE people SET away_until = ?2 WHERE name = ?1", err);

	if (stmt == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_TRANSIENT);
	store_bind_text(stmt, 2, until);
	if (store_step_done(st, stmt, "cannot update the roster", err) < 0)
		return -1;
	return changed_one(st, name, err);
}

int
store_person_set_chat(struct store *st, const char *name, const char *chat_id, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st,
		/* a username found for another account is not this one's */
		"UPDATE people SET chat_id = ?2,"
		" chat_handle = CASE WHEN chat_id IS ?2 THEN chat_handle END WHERE name = ?1", err);
	int rc;

	if (stmt == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_TRANSIENT);
	store_bind_text(stmt, 2, chat_id);
	rc = sqlite3_step(stmt);
	sqlite3_finalize(stmt);
	if (rc == SQLITE_CONSTRAINT_UNIQUE) {
		chat_id_taken(st, chat_id, err);
		return -1;
	}
	if (rc != SQLITE_DONE) {
		store_fail(st, err, "cannot update the roster");
		return -1;
	}
	return changed_one(st, name, err);
}

int
store_person_set_email(struct store *st, const char *name, const char *email, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st,
		"UPDATE people SET email = ?2 WHERE name = ?1", err);

	if (stmt == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_TRANSIENT);
	store_bind_text(stmt, 2, email);
	if (store_step_done(st, stmt, "cannot update the roster", err) < 0)
		return -1;
	return changed_one(st, name, err);
}

int
store_person_chat_id(struct store *st, const char *name, char **chat_id, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st, "SELECT chat_id FROM people WHERE name = ?1", err);
	int rc;

	*chat_id = NULL;
	if (stmt == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*chat_id = store_column_dup(stmt, 0);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_fail(st, err, "cannot read the roster");
		return -1;
	}
	return 0;
}

int
store_person_set_chat_handle(struct store *st, const char *name, const char *handle, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st, "UPDATE people SET chat_handle = ?2 WHERE name = ?1",
					   err);

	if (stmt == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_TRANSIENT);
	store_bind_text(stmt, 2, handle);
	return store_step_done(st, stmt, "cannot update the roster", err);
}

int
store_person_chat_account(struct store *st, const char *name, char **chat_id, char **handle,
			  char **err)
{
	sqlite3_stmt *stmt = store_prepare(st,
		"SELECT chat_id, chat_handle FROM people WHERE name = ?1", err);
	int rc;

	*chat_id = *handle = NULL;
	if (stmt == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, name, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		*chat_id = store_column_dup(stmt, 0);
		*handle = store_column_dup(stmt, 1);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_fail(st, err, "cannot read the roster");
		return -1;
	}
	return 0;
}

void
store_history_free(struct store_history *h)
{
	for (size_t i = 0; i < h->n; i++) {
		free(h->rows[i].week);
		free(h->rows[i].facilitator);
		free(h->rows[i].backup);
	}
	free(h->rows);
	h->rows = NULL;
	h->n = 0;
}

int
store_history_list(struct store *st, const char *person, struct store_history *out,
		   char **err)
{
	sqlite3_stmt *stmt = store_prepare(st,
		"SELECT week, facilitator, backup FROM meetings"
		" WHERE ?1 IS NULL OR facilitator = ?1 OR backup = ?1 ORDER BY week", err);
	int rc;

	memset(out, 0, sizeof(*out));
	if (stmt == NULL)
		return -1;
	store_bind_text(stmt, 1, person);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		out->rows = xreallocarray(out->rows, out->n + 1, sizeof(*out->rows));
		struct store_history_row *r = &out->rows[out->n++];
		r->week = store_column_dup(stmt, 0);
		r->facilitator = store_column_dup(stmt, 1);
		r->backup = store_column_dup(stmt, 2);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		store_fail(st, err, "cannot read the facilitation history");
		store_history_free(out);
		return -1;
	}
	return 0;
}

void
store_meeting_free(struct store_meeting *m)
{
	if (m == NULL)
		return;
	free(m->week);
	free(m->facilitator);
	free(m->backup);
	free(m->started_at);
	free(m->ended_at);
	free(m);
}

static struct store_meeting *
meeting_query(struct store *st, const char *sql, const char *week, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st, sql, err);
	struct store_meeting *m = NULL;
	int rc;

	if (stmt == NULL)
		return NULL;
	sqlite3_bind_text(stmt, 1, week, -1, SQLITE_TRANSIENT);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW) {
		m = xcalloc(1, sizeof(*m));
		m->id = sqlite3_column_int64(stmt, 0);
		m->week = store_column_dup(stmt, 1);
		m->facilitator = store_column_dup(stmt, 2);
		m->backup = store_column_dup(stmt, 3);
		m->budget_minutes = sqlite3_column_int(stmt, 4);
		m->started_at = store_column_dup(stmt, 5);
		m->ended_at = store_column_dup(stmt, 6);
	} else if (rc != SQLITE_DONE) {
		store_fail(st, err, "cannot read a meeting");
	}
	sqlite3_finalize(stmt);
	return m;
}

struct store_meeting *
store_meeting_get(struct store *st, const char *week, char **err)
{
	return meeting_query(st,
		"SELECT id, week, facilitator, backup, budget_minutes, started_at, ended_at"
		" FROM meetings WHERE week = ?1", week, err);
}

struct store_meeting *
store_meeting_before(struct store *st, const char *week, char **err)
{
	return meeting_query(st,
		"SELECT id, week, facilitator, backup, budget_minutes, started_at, ended_at"
		" FROM meetings WHERE week < ?1 ORDER BY week DESC LIMIT 1", week, err);
}

int
store_meeting_create(struct store *st, const char *week, int budget_minutes, long long *id,
		     char **err)
{
	char *now = store_now();
	sqlite3_stmt *stmt = store_prepare(st,
		"INSERT INTO meetings (week, budget_minutes, started_at) VALUES (?1, ?2, ?3)", err);
	int rc;

	if (stmt == NULL) {
		free(now);
		return -1;
	}
	sqlite3_bind_text(stmt, 1, week, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int(stmt, 2, budget_minutes);
	sqlite3_bind_text(stmt, 3, now, -1, SQLITE_TRANSIENT);
	rc = store_step_done(st, stmt, "cannot create the meeting", err);
	free(now);
	if (rc == 0)
		*id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

int
store_meeting_set_people(struct store *st, long long id, const char *facilitator,
			 const char *backup, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st,
		"UPDATE meetings SET facilitator = ?2, backup = ?3 WHERE id = ?1", err);

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	store_bind_text(stmt, 2, facilitator);
	store_bind_text(stmt, 3, backup);
	return store_step_done(st, stmt, "cannot record the facilitator", err);
}

int
store_meeting_set_ended(struct store *st, long long id, bool ended, char **err)
{
	char *now = ended ? store_now() : NULL;
	sqlite3_stmt *stmt = store_prepare(st, "UPDATE meetings SET ended_at = ?2 WHERE id = ?1",
					   err);
	int rc;

	if (stmt == NULL) {
		free(now);
		return -1;
	}
	sqlite3_bind_int64(stmt, 1, id);
	store_bind_text(stmt, 2, now);
	rc = store_step_done(st, stmt, "cannot record the end of the meeting", err);
	free(now);
	return rc;
}

int
store_meeting_ended_at(struct store *st, long long id, char **ended_at, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st, "SELECT ended_at FROM meetings WHERE id = ?1", err);
	int rc;

	*ended_at = NULL;
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, id);
	rc = sqlite3_step(stmt);
	if (rc == SQLITE_ROW)
		*ended_at = store_column_dup(stmt, 0);
	sqlite3_finalize(stmt);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_fail(st, err, "cannot read when the meeting ended");
		return -1;
	}
	return 0;
}

static void
agenda_rows_free(struct store_agenda *a)
{
	for (size_t i = 0; i < a->n; i++) {
		free(a->rows[i].kind);
		free(a->rows[i].pm_id);
		free(a->rows[i].title);
		free(a->rows[i].date);
		free(a->rows[i].state);
	}
	free(a->rows);
	a->rows = NULL;
	a->n = 0;
}

void
store_agenda_free(struct store_agenda *a)
{
	agenda_rows_free(a);
}

/* Reads rows of (id, kind, pm_id, title, date, severity_rank, state,
 * budget, spent, carried_over) into out. */
static int
agenda_rows(struct store *st, sqlite3_stmt *stmt, struct store_agenda *out, const char *what,
	    char **err)
{
	int rc;

	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		out->rows = xreallocarray(out->rows, out->n + 1, sizeof(*out->rows));
		struct store_agenda_row *r = &out->rows[out->n++];
		r->id = sqlite3_column_int64(stmt, 0);
		r->kind = store_column_dup(stmt, 1);
		r->pm_id = store_column_dup(stmt, 2);
		r->title = store_column_dup(stmt, 3);
		r->date = store_column_dup(stmt, 4);
		r->severity_rank = sqlite3_column_int(stmt, 5);
		r->state = store_column_dup(stmt, 6);
		r->budget_s = sqlite3_column_int(stmt, 7);
		r->spent_s = sqlite3_column_int(stmt, 8);
		r->carried_over = sqlite3_column_int(stmt, 9) != 0;
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		store_fail(st, err, what);
		agenda_rows_free(out);
		return -1;
	}
	return 0;
}

int
store_agenda_load(struct store *st, long long meeting_id, struct store_agenda *out, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st,
		"SELECT a.id, a.kind, COALESCE(a.postmortem_id, a.pm_ref), a.title,"
		"  COALESCE(p.date, a.pm_date), COALESCE(p.severity_rank, 0), a.state, a.budget_seconds, a.spent_seconds,"
		"  a.carried_over"
		" FROM agenda_items a"
		" LEFT JOIN postmortems p ON p.id = COALESCE(a.postmortem_id, a.pm_ref)"
		" WHERE a.meeting_id = ?1 ORDER BY a.pos", err);

	memset(out, 0, sizeof(*out));
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, meeting_id);
	return agenda_rows(st, stmt, out, "cannot read the agenda", err);
}

int
store_agenda_save(struct store *st, long long meeting_id, struct store_agenda *rows, char **err)
{
	sqlite3_stmt *update = NULL, *insert = NULL, *prune = NULL;
	struct strbuf_ids {
		long long *ids;
		size_t n;
	} kept = { 0 };
	char *now;

	if (store_begin(st, err) < 0)
		return -1;
	now = store_now();
	/* closed_at: set once as an item leaves the floor (done, skipped,
	 * carried), cleared when it is taken up again (/reopen) */
	update = store_prepare(st,
		"UPDATE agenda_items SET pos = ?2, state = ?3, budget_seconds = ?4,"
		" spent_seconds = ?5, title = ?6,"
		" closed_at = CASE WHEN ?3 IN ('done', 'skipped', 'carried')"
		"  THEN COALESCE(closed_at, ?8) END"
		" WHERE id = ?1 AND meeting_id = ?7", err);
	insert = store_prepare(st,
		"INSERT INTO agenda_items (meeting_id, pos, kind, postmortem_id, title, state,"
		" budget_seconds, spent_seconds, carried_over, closed_at)"
		" VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
		"  CASE WHEN ?6 IN ('done', 'skipped', 'carried') THEN ?10 END)", err);
	if (update == NULL || insert == NULL)
		goto fail;
	for (size_t i = 0; i < rows->n; i++) {
		struct store_agenda_row *r = &rows->rows[i];
		sqlite3_stmt *stmt = r->id != 0 ? update : insert;
		if (r->id != 0) {
			sqlite3_bind_int64(update, 1, r->id);
			sqlite3_bind_int(update, 2, (int)i);
			sqlite3_bind_text(update, 3, r->state, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int(update, 4, r->budget_s);
			sqlite3_bind_int(update, 5, r->spent_s);
			sqlite3_bind_text(update, 6, r->title, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int64(update, 7, meeting_id);
			sqlite3_bind_text(update, 8, now, -1, SQLITE_TRANSIENT);
		} else {
			sqlite3_bind_int64(insert, 1, meeting_id);
			sqlite3_bind_int(insert, 2, (int)i);
			sqlite3_bind_text(insert, 3, r->kind, -1, SQLITE_TRANSIENT);
			store_bind_text(insert, 4, r->pm_id);
			sqlite3_bind_text(insert, 5, r->title, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(insert, 6, r->state, -1, SQLITE_TRANSIENT);
			sqlite3_bind_int(insert, 7, r->budget_s);
			sqlite3_bind_int(insert, 8, r->spent_s);
			sqlite3_bind_int(insert, 9, r->carried_over);
			sqlite3_bind_text(insert, 10, now, -1, SQLITE_TRANSIENT);
		}
		if (sqlite3_step(stmt) != SQLITE_DONE) {
			store_fail(st, err, "cannot save the agenda");
			goto fail;
		}
		if (r->id == 0)
			r->id = sqlite3_last_insert_rowid(st->db);
		sqlite3_reset(stmt);
		sqlite3_clear_bindings(stmt);
		kept.ids = xreallocarray(kept.ids, kept.n + 1, sizeof(long long));
		kept.ids[kept.n++] = r->id;
	}
	/* items no longer on the agenda: none today, but keep the table exact */
	prune = store_prepare(st,
		"DELETE FROM agenda_items WHERE meeting_id = ?1 AND pos >= ?2", err);
	if (prune == NULL)
		goto fail;
	sqlite3_bind_int64(prune, 1, meeting_id);
	sqlite3_bind_int(prune, 2, (int)rows->n);
	if (sqlite3_step(prune) != SQLITE_DONE) {
		store_fail(st, err, "cannot save the agenda");
		goto fail;
	}
	sqlite3_finalize(update);
	sqlite3_finalize(insert);
	sqlite3_finalize(prune);
	free(kept.ids);
	free(now);
	return store_commit(st, err);
fail:
	sqlite3_finalize(update);
	sqlite3_finalize(insert);
	sqlite3_finalize(prune);
	free(kept.ids);
	free(now);
	store_rollback(st);
	return -1;
}

void
store_agenda_input_free(struct store_agenda_input *in)
{
	agenda_rows_free(&in->ready);
	agenda_rows_free(&in->carried);
}

int
store_agenda_input(struct store *st, const char *week, const char *since,
		   struct store_agenda_input *out, char **err)
{
	sqlite3_stmt *stmt;

	memset(out, 0, sizeof(*out));
	stmt = store_prepare(st,
		"SELECT 0, 'postmortem', p.id, p.title, p.date, p.severity_rank, 'pending', 0, 0, 0"
		" FROM postmortems p"
		" WHERE p.kind = 'postmortem' AND p.ready = 1 AND p.date IS NOT NULL"
		"   AND p.date >= ?1 AND p.date < ?3"
		"   AND NOT EXISTS (SELECT 1 FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id"
		"                   WHERE a.postmortem_id = p.id AND m.week <> ?2)"
		" ORDER BY p.severity_rank, p.date, p.id", err);
	if (stmt == NULL)
		return -1;
	sqlite3_bind_text(stmt, 1, since, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 2, week, -1, SQLITE_TRANSIENT);
	/* the window ends with the meeting's week: nothing dated later */
	char monday[11], end[WEEK_DATE_STRLEN];
	long days;
	if (date_week_monday(week, monday) == 0 && week_date_parse(monday, &days)) {
		week_date_format(days + 7, end);
		sqlite3_bind_text(stmt, 3, end, -1, SQLITE_TRANSIENT);
	} else {
		sqlite3_bind_text(stmt, 3, "9999-12-31", -1, SQLITE_STATIC);
	}
	if (agenda_rows(st, stmt, &out->ready, "cannot find the ready postmortems", err) < 0)
		return -1;

	stmt = store_prepare(st,
		"SELECT 0, a.kind, p.id, a.title, p.date, COALESCE(p.severity_rank, 6),"
		"  'pending', 0, 0, 1"
		" FROM agenda_items a JOIN meetings m ON m.id = a.meeting_id"
		" LEFT JOIN postmortems p ON p.id = COALESCE(a.postmortem_id, a.pm_ref)"
		" WHERE a.state = 'carried'"
		"   AND m.week = (SELECT max(week) FROM meetings WHERE week < ?1)"
		" ORDER BY a.pos", err);
	if (stmt == NULL) {
		store_agenda_input_free(out);
		return -1;
	}
	sqlite3_bind_text(stmt, 1, week, -1, SQLITE_TRANSIENT);
	if (agenda_rows(st, stmt, &out->carried, "cannot find the carried-over items", err) < 0) {
		store_agenda_input_free(out);
		return -1;
	}
	return 0;
}

int
store_attendee_add(struct store *st, long long meeting_id, const char *name, char **err)
{
	char *now = store_now();
	sqlite3_stmt *stmt = store_prepare(st,
		"INSERT OR IGNORE INTO attendees (meeting_id, name, joined_at) VALUES (?1, ?2, ?3)",
		err);
	int rc;

	if (stmt == NULL) {
		free(now);
		return -1;
	}
	sqlite3_bind_int64(stmt, 1, meeting_id);
	sqlite3_bind_text(stmt, 2, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 3, now, -1, SQLITE_TRANSIENT);
	rc = store_step_done(st, stmt, "cannot record an attendee", err);
	free(now);
	return rc;
}

int
store_attendee_list(struct store *st, long long meeting_id, char ***names, size_t *n, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st,
		"SELECT name FROM attendees WHERE meeting_id = ?1 ORDER BY joined_at, rowid", err);
	int rc;

	*names = NULL;
	*n = 0;
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, meeting_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		*names = xreallocarray(*names, *n + 1, sizeof(char *));
		(*names)[(*n)++] = store_column_dup(stmt, 0);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		store_fail(st, err, "cannot read the attendees");
		for (size_t i = 0; i < *n; i++)
			free((*names)[i]);
		free(*names);
		*names = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void
store_minutes_free(struct store_minutes *m)
{
	for (size_t i = 0; i < m->n; i++) {
		struct store_minute *r = &m->rows[i];
		free(r->kind);
		free(r->body);
		free(r->created_at);
		free(r->edited_at);
		free(r->owner);
		free(r->due);
		free(r->ticket);
		free(r->ticket_state);
		free(r->ticket_url);
		free(r->author);
	}
	free(m->rows);
	m->rows = NULL;
	m->n = 0;
}

int
store_minutes_load(struct store *st, long long meeting_id, struct store_minutes *out,
		   char **err)
{
	sqlite3_stmt *stmt = store_prepare(st,
		"SELECT m.id, COALESCE(m.item_id, 0), m.seq, m.kind, m.body,"
		"  COALESCE(m.measure_id, 0), m.created_at, m.edited_at, m.deleted_at IS NOT NULL,"
		"  me.owner, me.due, me.agreed_at IS NOT NULL,"
		"  COALESCE(o.ticket_key, me.ticket), o.state, m.author,"
		"  COALESCE(o.ticket_url, me.ticket_url), me.ticket_state"
		" FROM minutes m LEFT JOIN measures me ON me.id = m.measure_id"
		" LEFT JOIN ticket_outbox o ON o.measure_id = m.measure_id"
		" WHERE m.meeting_id = ?1 ORDER BY m.seq", err);
	int rc;

	memset(out, 0, sizeof(*out));
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, meeting_id);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		out->rows = xreallocarray(out->rows, out->n + 1, sizeof(*out->rows));
		struct store_minute *r = &out->rows[out->n++];
		memset(r, 0, sizeof(*r));
		r->id = sqlite3_column_int64(stmt, 0);
		r->item_id = sqlite3_column_int64(stmt, 1);
		r->seq = sqlite3_column_int(stmt, 2);
		r->kind = store_column_dup(stmt, 3);
		r->body = store_column_dup(stmt, 4);
		r->measure_id = sqlite3_column_int64(stmt, 5);
		r->created_at = store_column_dup(stmt, 6);
		r->edited_at = store_column_dup(stmt, 7);
		r->deleted = sqlite3_column_int(stmt, 8) != 0;
		r->owner = store_column_dup(stmt, 9);
		r->due = store_column_dup(stmt, 10);
		r->agreed = sqlite3_column_int(stmt, 11) != 0;
		r->ticket = store_column_dup(stmt, 12);
		r->ticket_state = store_outbox_column_word(stmt, 13, 16);
		r->author = store_column_dup(stmt, 14);
		r->ticket_url = store_column_dup(stmt, 15);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		store_fail(st, err, "cannot read the minutes");
		store_minutes_free(out);
		return -1;
	}
	return 0;
}

/* A marker unique to one measure, carried into its ticket so a lost
 * response can be recognised later. */
static int
new_marker(struct store *st, char out[40], char **err)
{
	unsigned char raw[16];
	FILE *f = fopen("/dev/urandom", "rb");

	if (f == NULL || fread(raw, 1, sizeof(raw), f) != sizeof(raw)) {
		if (f != NULL)
			fclose(f);
		err_set(err, "%s: cannot read /dev/urandom for a ticket marker", st->path);
		return -1;
	}
	fclose(f);
	strcpy(out, "fk-");
	for (size_t i = 0; i < sizeof(raw); i++)
		snprintf(out + 3 + 2 * i, 3, "%02x", raw[i]);
	return 0;
}

int
store_minute_add(struct store *st, long long meeting_id, struct store_minute *m, char **err)
{
	sqlite3_stmt *stmt = NULL;
	char marker[40];
	char *now = store_now();

	if (store_begin(st, err) < 0) {
		free(now);
		return -1;
	}
	m->measure_id = 0;
	if (strcmp(m->kind, "action") == 0) {
		if (new_marker(st, marker, err) < 0)
			goto fail;
		stmt = store_prepare(st,
			"INSERT INTO measures (postmortem_id, pos, title, owner, due, status, origin,"
			" marker, created_at)"
			" VALUES ((SELECT postmortem_id FROM agenda_items WHERE id = ?1),"
			"  (SELECT COALESCE(max(pos), -1) + 1 FROM measures WHERE postmortem_id ="
			"   (SELECT postmortem_id FROM agenda_items WHERE id = ?1)),"
			"  ?2, ?3, ?4, 'open', 'meeting', ?5, ?6)", err);
		if (stmt == NULL)
			goto fail;
		if (m->item_id != 0)
			sqlite3_bind_int64(stmt, 1, m->item_id);
		else
			sqlite3_bind_null(stmt, 1);
		sqlite3_bind_text(stmt, 2, m->body, -1, SQLITE_TRANSIENT);
		store_bind_text(stmt, 3, m->owner);
		store_bind_text(stmt, 4, m->due);
		sqlite3_bind_text(stmt, 5, marker, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(stmt, 6, now, -1, SQLITE_TRANSIENT);
		if (store_step_done(st, stmt, "cannot record the action", err) < 0)
			goto fail;
		m->measure_id = sqlite3_last_insert_rowid(st->db);
	}
	stmt = store_prepare(st,
		"INSERT INTO minutes (meeting_id, item_id, seq, kind, body, measure_id, created_at,"
		"  author)"
		" VALUES (?1, ?2, (SELECT COALESCE(max(seq), 0) + 1 FROM minutes WHERE meeting_id = ?1),"
		"  ?3, ?4, ?5, ?6, ?7)", err);
	if (stmt == NULL)
		goto fail;
	sqlite3_bind_int64(stmt, 1, meeting_id);
	if (m->item_id != 0)
		sqlite3_bind_int64(stmt, 2, m->item_id);
	else
		sqlite3_bind_null(stmt, 2);
	sqlite3_bind_text(stmt, 3, m->kind, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 4, m->body, -1, SQLITE_TRANSIENT);
	if (m->measure_id != 0)
		sqlite3_bind_int64(stmt, 5, m->measure_id);
	else
		sqlite3_bind_null(stmt, 5);
	sqlite3_bind_text(stmt, 6, now, -1, SQLITE_TRANSIENT);
	store_bind_text(stmt, 7, m->author);
	if (store_step_done(st, stmt, "cannot record the entry", err) < 0)
		goto fail;
	m->id = sqlite3_last_insert_rowid(st->db);
	if (store_search_index_minute(st, m->id, err) < 0)
		goto fail;
	if (store_commit(st, err) < 0)
		goto fail_committed;
	free(m->created_at);
	m->created_at = now;
	stmt = store_prepare(st, "SELECT seq FROM minutes WHERE id = ?1", err);
	if (stmt != NULL) {
		sqlite3_bind_int64(stmt, 1, m->id);
		if (sqlite3_step(stmt) == SQLITE_ROW)
			m->seq = sqlite3_column_int(stmt, 0);
		sqlite3_finalize(stmt);
	}
	return 0;
fail:
	store_rollback(st);
fail_committed:
	free(now);
	m->id = 0;
	m->measure_id = 0;
	return -1;
}

int
store_minute_edit(struct store *st, struct store_minute *m, char **err)
{
	char *now = store_now();
	sqlite3_stmt *stmt;

	if (store_begin(st, err) < 0) {
		free(now);
		return -1;
	}
	stmt = store_prepare(st, "UPDATE minutes SET body = ?2, edited_at = ?3 WHERE id = ?1",
			     err);
	if (stmt == NULL)
		goto fail;
	sqlite3_bind_int64(stmt, 1, m->id);
	sqlite3_bind_text(stmt, 2, m->body, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(stmt, 3, now, -1, SQLITE_TRANSIENT);
	if (store_step_done(st, stmt, "cannot save the edit", err) < 0)
		goto fail;
	if (m->measure_id != 0) {
		stmt = store_prepare(st,
			"UPDATE measures SET title = ?2, owner = ?3, due = ?4 WHERE id = ?1", err);
		if (stmt == NULL)
			goto fail;
		sqlite3_bind_int64(stmt, 1, m->measure_id);
		sqlite3_bind_text(stmt, 2, m->body, -1, SQLITE_TRANSIENT);
		store_bind_text(stmt, 3, m->owner);
		store_bind_text(stmt, 4, m->due);
		if (store_step_done(st, stmt, "cannot save the edit", err) < 0)
			goto fail;
	}
	if (store_search_index_minute(st, m->id, err) < 0)
		goto fail;
	if (store_commit(st, err) < 0) {
		free(now);
		return -1;
	}
	free(m->edited_at);
	m->edited_at = now;
	return 0;
fail:
	store_rollback(st);
	free(now);
	return -1;
}

int
store_minute_delete(struct store *st, long long minute_id, char **err)
{
	char *now = store_now();
	sqlite3_stmt *stmt = store_prepare(st,
		"UPDATE minutes SET deleted_at = ?2 WHERE id = ?1 AND deleted_at IS NULL", err);
	int rc;

	if (stmt == NULL) {
		free(now);
		return -1;
	}
	sqlite3_bind_int64(stmt, 1, minute_id);
	sqlite3_bind_text(stmt, 2, now, -1, SQLITE_TRANSIENT);
	rc = store_step_done(st, stmt, "cannot delete the entry", err);
	free(now);
	return rc;
}

int
store_minute_undelete(struct store *st, long long minute_id, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st,
		"UPDATE minutes SET deleted_at = NULL WHERE id = ?1 AND deleted_at IS NOT NULL", err);

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, minute_id);
	return store_step_done(st, stmt, "cannot bring the entry back", err);
}

int
store_measure_agree(struct store *st, long long measure_id, char **err)
{
	char *now = store_now();
	sqlite3_stmt *stmt = store_prepare(st,
		"UPDATE measures SET agreed_at = COALESCE(agreed_at, ?2) WHERE id = ?1", err);
	int rc;

	if (stmt == NULL) {
		free(now);
		return -1;
	}
	sqlite3_bind_int64(stmt, 1, measure_id);
	sqlite3_bind_text(stmt, 2, now, -1, SQLITE_TRANSIENT);
	rc = store_step_done(st, stmt, "cannot record the agreement", err);
	free(now);
	return rc;
}

int
store_measure_exists(struct store *st, long long measure_id, bool *found, char **err)
{
	sqlite3_stmt *stmt = store_prepare(st, "SELECT 1 FROM measures WHERE id = ?1", err);
	int rc;

	if (stmt == NULL)
		return -1;
	sqlite3_bind_int64(stmt, 1, measure_id);
	rc = sqlite3_step(stmt);
	*found = rc == SQLITE_ROW;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		store_fail(st, err, "cannot look up the measure");
		sqlite3_finalize(stmt);
		return -1;
	}
	sqlite3_finalize(stmt);
	return 0;
}

struct store_lock {
	int fd;
	char *path;
};

struct store_lock *
store_meeting_lock(struct store *st, const char *week, long *holder, char **err)
{
	/* keyed on the database's real path: a symlink or another spelling
	 * of the same file finds the same lock */
	char *real = realpath(st->path, NULL);
	char *path = xasprintf("%s.%s.lock", real != NULL ? real : st->path, week);
	struct flock fl = { .l_type = F_WRLCK, .l_whence = SEEK_SET };

	free(real);
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

	*holder = 0;
	if (fd < 0) {
		err_set(err, "%s: cannot create the meeting lock: %s", path, strerror(errno));
		free(path);
		return NULL;
	}
	if (fcntl(fd, F_SETLK, &fl) < 0) {
		if (errno == EACCES || errno == EAGAIN) {
			struct flock probe = { .l_type = F_WRLCK, .l_whence = SEEK_SET };
			*holder = fcntl(fd, F_GETLK, &probe) == 0 && probe.l_type != F_UNLCK
				  ? (long)probe.l_pid : 1;
		} else {
			err_set(err, "%s: cannot lock the meeting: %s", path, strerror(errno));
		}
		close(fd);
		free(path);
		return NULL;
	}
	struct store_lock *lock = xmalloc(sizeof(*lock));
	lock->fd = fd;
	lock->path = path;
	return lock;
}

void
store_lock_free(struct store_lock *lock)
{
	if (lock == NULL)
		return;
	/* closing drops the lock; the file stays so no one races on unlink */
	close(lock->fd);
	free(lock->path);
	free(lock);
}

void
store_measures_free(struct store_measures *m)
{
	for (size_t i = 0; i < m->n; i++) {
		struct store_measure_row *r = &m->rows[i];
		free(r->title);
		free(r->owner);
		free(r->due);
		free(r->status);
		free(r->ticket);
		free(r->ticket_url);
		free(r->ticket_state);
		free(r->pm_id);
		free(r->pm_title);
		free(r->origin);
		free(r->created_at);
		free(r->agreed_at);
		free(r->done_at);
	}
	free(m->rows);
	m->rows = NULL;
	m->n = 0;
}

#define MEASURES_SELECT \
	"SELECT me.id, me.title, me.owner, me.due, me.status," \
	"  COALESCE(o.ticket_key, me.ticket), COALESCE(o.ticket_url, me.ticket_url)," \
	"  o.state," \
	"  me.postmortem_id, p.title, me.origin, me.created_at, me.agreed_at, me.done_at," \
	"  me.ticket_state" \
	" FROM measures me LEFT JOIN postmortems p ON p.id = me.postmortem_id" \
	" LEFT JOIN ticket_outbox o ON o.measure_id = me.id"
#define MEASURES_WHERE \
	"   (?1 = 0 OR me.status = 'open')" \
	"   AND (?2 = 0 OR me.origin = 'import' OR me.agreed_at IS NOT NULL)" \
	"   AND (?3 IS NULL OR me.owner = ?3 COLLATE NOCASE)" \
	"   AND (?4 IS NULL OR (me.agreed_at IS NOT NULL AND me.agreed_at < ?4)" \
	"        OR (me.origin = 'import' AND p.kind = 'postmortem' AND p.date < ?6" \
	"            AND p.date >= date(?4, '-' || ?9 || ' days')))" \
	"   AND (p.id IS NULL OR p.kind = 'postmortem')" \
	"   AND (?5 IS NULL OR (me.due IS NOT NULL AND me.due < ?5))" \
	"   AND (?7 = 0 OR NOT EXISTS (SELECT 1 FROM minutes mi" \
	"        WHERE mi.measure_id = me.id AND mi.deleted_at IS NOT NULL))" \
	" ORDER BY COALESCE(me.agreed_at, me.created_at), me.id"

int
store_measures_list(struct store *st, const struct store_measure_filter *f,
		    struct store_measures *out, char **err)
{
	/* With a date (a meeting's follow-ups), only the measures agreed
	 * before it and those of the postmortems in its window can match:
	 * those are found first (the window through the postmortems' date
	 * index), and the rest of the filter runs on them alone rather than
	 * joining every measure of the archive to its postmortem (the first
	 * frame's largest cost: 103M of 117M instructions at 10k
	 * postmortems). The filter is the same, so the rows are too. */
	sqlite3_stmt *stmt = store_prepare(st, f->before != NULL ?
		MEASURES_SELECT
		" WHERE me.id IN (SELECT a.id FROM measures a WHERE a.agreed_at < ?4"
		"   UNION ALL SELECT b.id FROM postmortems pb"
		"   JOIN measures b ON b.postmortem_id = pb.id"
		"   WHERE pb.date < ?6 AND pb.date >= date(?4, '-' || ?9 || ' days'))"
		"   AND" MEASURES_WHERE :
		MEASURES_SELECT " WHERE" MEASURES_WHERE, err);
	int rc;

	memset(out, 0, sizeof(*out));
	if (stmt == NULL)
		return -1;
	sqlite3_bind_int(stmt, 1, f->open_only);
	sqlite3_bind_int(stmt, 2, f->agreed_only);
	store_bind_text(stmt, 3, f->owner);
	store_bind_text(stmt, 4, f->before);
	store_bind_text(stmt, 5, f->due_before);
	store_bind_text(stmt, 6, f->pm_before != NULL ? f->pm_before : f->before);
	sqlite3_bind_int(stmt, 7, f->live_only);
	sqlite3_bind_int(stmt, 9, f->pm_days > 0 ? f->pm_days : 90);
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
		out->rows = xreallocarray(out->rows, out->n + 1, sizeof(*out->rows));
		struct store_measure_row *r = &out->rows[out->n++];
		r->id = sqlite3_column_int64(stmt, 0);
		r->title = store_column_dup(stmt, 1);
		r->owner = store_column_dup(stmt, 2);
		r->due = store_column_dup(stmt, 3);
		r->status = store_column_dup(stmt, 4);
		r->ticket = store_column_dup(stmt, 5);
		r->ticket_url = store_column_dup(stmt, 6);
		r->ticket_state = store_outbox_column_word(stmt, 7, 14);
		r->pm_id = store_column_dup(stmt, 8);
		r->pm_title = store_column_dup(stmt, 9);
		r->origin = store_column_dup(stmt, 10);
		r->created_at = store_column_dup(stmt, 11);
		r->agreed_at = store_column_dup(stmt, 12);
		r->done_at = store_column_dup(stmt, 13);
	}
	sqlite3_finalize(stmt);
	if (rc != SQLITE_DONE) {
		store_fail(st, err, "cannot read the measures");
		store_measures_free(out);
		return -1;
	}
	return 0;
}
