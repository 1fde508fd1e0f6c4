#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "furikaeri/postmortem.h"
#include "furikaeri/store.h"
#include "furikaeri/xalloc.h"
#include "session_private.h"

/* /find: the postmortem and minutes of every item that can be opened, in
 * agenda order. */

static bool
contains(const char *hay, const char *needle)
{
	/* ASCII letters match either case; other characters as they are */
	return hay != NULL && strcasestr(hay, needle) != NULL;
}

static bool
postmortem_has(const struct postmortem *pm, const char *text)
{
	if (contains(pm->title, text) || contains(pm->id, text))
		return true;
	for (size_t i = 0; i < pm->n_sections; i++)
		if (contains(pm->sections[i].text, text))
			return true;
	for (size_t i = 0; i < pm->n_measures; i++)
		if (contains(pm->measures[i].title, text))
			return true;
	return false;
}

static void
add_match(struct session *s, size_t item, int seq)
{
	s->matches = xreallocarray(s->matches, s->n_matches + 1, sizeof(*s->matches));
	s->matches[s->n_matches++] = (struct session_match){ .item = item, .seq = seq };
}

void
session_find_clear(struct session *s)
{
	free(s->find);
	free(s->matches);
	s->find = NULL;
	s->matches = NULL;
	s->n_matches = s->match_at = 0;
}

static void
show_match(struct session *s, struct session_reply *r)
{
	const struct session_match *m = &s->matches[s->match_at];
	const struct agenda_item *it = agenda_item(s->agenda, m->item);
	size_t prev = agenda_current(s->agenda);
	char *closed = NULL;

	if (prev != m->item) {
		bool was_done = prev != AGENDA_NONE &&
				agenda_item(s->agenda, prev)->state == AGENDA_DONE;
		session_go(s, m->item, r);
		if (r->error)
			return;
		/* jumping forward closes the item left: said, as /go says it */
		if (prev != AGENDA_NONE && !was_done &&
		    agenda_item(s->agenda, prev)->state == AGENDA_DONE)
			closed = xasprintf("item %zu is left as done (/go %zu reopens it); ",
					   prev + 1, prev + 1);
	}
	r->find_seq = m->seq;
	r->find = true;
	r->redraw |= SESSION_DRAW_ALL;
	if (m->seq > 0)
		session_reply(r, false, "%s\"%s\" %zu/%zu: entry %d of item %zu (%s); n, N or F3, "
			      "F4 for the others", closed != NULL ? closed : "", s->find,
			      s->match_at + 1, s->n_matches, m->seq, m->item + 1, it->title);
	else
		session_reply(r, false, "%s\"%s\" %zu/%zu: the postmortem of item %zu (%s); n, N "
			      "or F3, F4 for the others", closed != NULL ? closed : "", s->find,
			      s->match_at + 1, s->n_matches, m->item + 1, it->title);
	free(closed);
}

void
session_find_run(struct session *s, const char *text, struct session_reply *r)
{
	size_t cur = agenda_current(s->agenda);

	session_find_clear(s);
	s->find = xstrdup(text);
	for (size_t i = 0; i < agenda_count(s->agenda); i++) {
		const struct agenda_item *it = agenda_item(s->agenda, i);
		/* a skipped or carried item cannot be opened, so it has no match */
		if (it->state == AGENDA_SKIPPED || it->state == AGENDA_CARRIED)
			continue;
		if (it->pm_id != NULL) {
			struct postmortem *pm = store_postmortem_get(s->st, it->pm_id, NULL);
			if (pm != NULL && postmortem_has(pm, text))
				add_match(s, i, 0);
			postmortem_free(pm);
		}
		for (size_t j = 0; j < s->minutes.n; j++) {
			const struct store_minute *m = &s->minutes.rows[j];
			if (m->item_id == it->ref && !m->deleted && contains(m->body, text))
				add_match(s, i, m->seq);
		}
	}
	if (s->n_matches == 0) {
		session_reply(r, true, "\"%s\" is in no postmortem and no entry of this meeting", text);
		session_find_clear(s);
		return;
	}
	/* the first match from the current item on */
	s->match_at = 0;
	for (size_t i = 0; i < s->n_matches; i++)
		if (cur != AGENDA_NONE && s->matches[i].item >= cur) {
			s->match_at = i;
			break;
		}
	show_match(s, r);
}

void
session_find_step(struct session *s, int direction, struct session_reply *r)
{
	if (s->n_matches == 0) {
		session_reply(r, true, "nothing to go to: /find TEXT first");
		return;
	}
	s->match_at = direction > 0 ? (s->match_at + 1) % s->n_matches
				    : (s->match_at + s->n_matches - 1) % s->n_matches;
	show_match(s, r);
}

const char *
session_find_text(const struct session *s)
{
	return s->find;
}
