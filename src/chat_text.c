#include "config.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/chat_text.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"

char *
chat_text_slack_escape(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	for (const char *p = s; *p != '\0'; p++) {
		if (*p == '&')
			strbuf_adds(&sb, "&amp;");
		else if (*p == '<')
			strbuf_adds(&sb, "&lt;");
		else if (*p == '>')
			strbuf_adds(&sb, "&gt;");
		else
			strbuf_addc(&sb, *p);
	}
	return strbuf_detach(&sb);
}

char *
chat_text_mattermost_escape(const char *s)
{
	struct strbuf sb = STRBUF_INIT;

	for (const char *p = s; *p != '\0'; p++) {
		if (strchr("\\`*_{}[]<>()#+-.!|~@", *p) != NULL)
			strbuf_addc(&sb, '\\');
		strbuf_addc(&sb, *p);
	}
	return strbuf_detach(&sb);
}

/* Decodes Slack's three entities in len bytes of s into sb. */
static void
add_unescaped(struct strbuf *sb, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '&' && len - i >= 5 && strncmp(s + i, "&amp;", 5) == 0) {
			strbuf_addc(sb, '&');
			i += 4;
		} else if (s[i] == '&' && len - i >= 4 && strncmp(s + i, "&lt;", 4) == 0) {
			strbuf_addc(sb, '<');
			i += 3;
		} else if (s[i] == '&' && len - i >= 4 && strncmp(s + i, "&gt;", 4) == 0) {
			strbuf_addc(sb, '>');
			i += 3;
		} else {
			strbuf_addc(sb, s[i]);
		}
	}
}

/* One "<...>" of Slack's (inner is what is between the brackets). */
static void
add_slack_special(struct strbuf *sb, const char *inner, size_t len, chat_text_name_fn fn,
		  void *ctx)
{
	const char *bar = memchr(inner, '|', len);
	size_t head = bar ? (size_t)(bar - inner) : len;
	const char *label = bar ? bar + 1 : NULL;
	size_t label_len = bar ? len - head - 1 : 0;

	if (len > 1 && inner[0] == '@') {
		char *id = xstrndup(inner + 1, head - 1);
		char *name = NULL;

		if (label != NULL && label_len > 0) {
			strbuf_addc(sb, '@');
			add_unescaped(sb, label, label_len);
		} else {
			name = fn != NULL ? fn(ctx, id) : NULL;
			strbuf_addf(sb, "@%s", name != NULL ? name : id);
		}
		free(name);
		free(id);
	} else if (len > 1 && inner[0] == '#') {
		strbuf_addc(sb, '#');
		if (label != NULL && label_len > 0)
			add_unescaped(sb, label, label_len);
		else
			strbuf_add(sb, inner + 1, head - 1);
	} else if (len > 1 && inner[0] == '!') {
		if (label != NULL && label_len > 0) {
			if (label[0] != '@')
				strbuf_addc(sb, '@');
			add_unescaped(sb, label, label_len);
		} else {
			const char *caret = memchr(inner, '^', head);

			strbuf_addc(sb, '@');
			strbuf_add(sb, inner + 1, (caret ? (size_t)(caret - inner) : head) - 1);
		}
	} else if (head > 7 && strncmp(inner, "mailto:", 7) == 0) {
		if (label != NULL)
			add_unescaped(sb, label, label_len);
		else
			add_unescaped(sb, inner + 7, head - 7);
	} else {
		if (label != NULL && label_len > 0 &&
		    !(label_len == head && memcmp(label, inner, head) == 0)) {
			add_unescaped(sb, label, label_len);
			strbuf_adds(sb, " (");
			add_unescaped(sb, inner, head);
			strbuf_addc(sb, ')');
		} else {
			add_unescaped(sb, inner, head);
		}
	}
}

char *
chat_text_from_slack(const char *s, chat_text_name_fn fn, void *ctx)
{
	struct strbuf sb = STRBUF_INIT;
	char *out;
	const char *p = s;

	while (*p != '\0') {
		const char *lt = strchr(p, '<');
		const char *gt;

		if (lt == NULL || (gt = strchr(lt + 1, '>')) == NULL) {
			add_unescaped(&sb, p, strlen(p));
			break;
		}
		add_unescaped(&sb, p, (size_t)(lt - p));
		add_slack_special(&sb, lt + 1, (size_t)(gt - lt - 1), fn, ctx);
		p = gt + 1;
	}
	out = text_sanitize(strbuf_str(&sb), true);
	strbuf_release(&sb);
	return out;
}

/* "[text](url)" at p: its parts, or false when p does not start one. */
static bool
md_link(const char *p, const char **text, size_t *text_len, const char **url, size_t *url_len)
{
	const char *close, *end;

	if (*p != '[')
		return false;
	close = strstr(p + 1, "](");
	if (close == NULL || memchr(p + 1, '\n', (size_t)(close - p - 1)) != NULL)
		return false;
	end = strchr(close + 2, ')');
	if (end == NULL || end == close + 2 || memchr(close + 2, ' ', (size_t)(end - close - 2)))
		return false;
	*text = p + 1;
	*text_len = (size_t)(close - p - 1);
	*url = close + 2;
	*url_len = (size_t)(end - close - 2);
	return true;
}

static void
add_md_unescaped(struct strbuf *sb, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 1 < len && strchr("\\`*_{}[]<>()#+-.!|~@", s[i + 1]))
			i++;
		strbuf_addc(sb, s[i]);
	}
}

char *
chat_text_from_mattermost(const char *s)
{
	struct strbuf sb = STRBUF_INIT;
	char *out;

	for (const char *p = s; *p != '\0';) {
		const char *text, *url;
		size_t tl, ul;

		if (*p == '\\' && p[1] != '\0' && strchr("\\`*_{}[]<>()#+-.!|~@", p[1])) {
			strbuf_addc(&sb, p[1]);
			p += 2;
		} else if (md_link(p, &text, &tl, &url, &ul)) {
			if (tl == ul && memcmp(text, url, tl) == 0) {
				strbuf_add(&sb, url, ul);
			} else {
				add_md_unescaped(&sb, text, tl);
				strbuf_adds(&sb, " (");
				strbuf_add(&sb, url, ul);
				strbuf_addc(&sb, ')');
			}
			p = url + ul + 1;
		} else {
			strbuf_addc(&sb, *p++);
		}
	}
	out = text_sanitize(strbuf_str(&sb), true);
	strbuf_release(&sb);
	return out;
}

static void
add_line(struct strbuf *sb, const char *label, const char *value)
{
	if (value == NULL || value[0] == '\0')
		return;
	strbuf_addf(sb, "%s%s%s\n", label ? label : "", label ? ": " : "", value);
}

char *
chat_text_root(const struct chat_root *r)
{
	struct strbuf sb = STRBUF_INIT;
	const char *parts[] = { r->severity, r->date };

	strbuf_addf(&sb, "%s%s%s", r->pm_id ? r->pm_id : "", r->pm_id && r->title ? " " : "",
		    r->title ? r->title : "");
	for (size_t i = 0; i < 2; i++)
		if (parts[i] != NULL && parts[i][0] != '\0')
			strbuf_addf(&sb, " \xc2\xb7 %s", parts[i]);
	strbuf_addc(&sb, '\n');
	if (r->summary != NULL && r->summary[0] != '\0')
		strbuf_addf(&sb, "\n%s\n\n", r->summary);
	add_line(&sb, "Impact", r->impact);
	add_line(&sb, "Postmortem", r->link);
	if (r->n_measures > 0)
		strbuf_adds(&sb, "Measures:\n");
	for (size_t i = 0; i < r->n_measures; i++) {
		const struct chat_root_measure *m = &r->measures[i];

		strbuf_addf(&sb, "\xe2\x80\xa2 %s", m->title ? m->title : "");
		if (m->ticket != NULL)
			strbuf_addf(&sb, " (%s%s%s)", m->ticket, m->state ? ", " : "",
				    m->state ? m->state : "");
		else if (m->state != NULL)
			strbuf_addf(&sb, " (%s)", m->state);
		strbuf_addc(&sb, '\n');
	}
	add_line(&sb, "Ask", r->question);
	strbuf_adds(&sb, "Reply in this thread; start with action:, q:, decide: or link: "
		    "(対策: 質問: 決定:) to give the entry its kind.");
	return strbuf_detach(&sb);
}

char *
chat_text_escape(enum chat_text_markup m, const char *plain)
{
	return m == CHAT_TEXT_SLACK ? chat_text_slack_escape(plain)
				    : chat_text_mattermost_escape(plain);
}

/* Only an id or a username of these characters becomes a mention: the
 * roster's text must not write markup of its own. */
static bool
mention_safe(const char *s)
{
	return s != NULL && s[0] != '\0' &&
	       strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-") ==
	       strlen(s);
}

char *
chat_text_mention(enum chat_text_markup m, const struct chat_text_person *p)
{
	if (m == CHAT_TEXT_SLACK && mention_safe(p->chat_id))
		return xasprintf("<@%s>", p->chat_id);
	if (m == CHAT_TEXT_MATTERMOST && p->chat_id != NULL && mention_safe(p->handle))
		return xasprintf("@%s", p->handle);
	return chat_text_escape(m, p->name != NULL ? p->name : "");
}

static void
add_escaped(struct strbuf *sb, enum chat_text_markup m, const char *plain)
{
	char *e = chat_text_escape(m, plain);

	strbuf_adds(sb, e);
	free(e);
}

static void
add_mention(struct strbuf *sb, enum chat_text_markup m, const struct chat_text_person *p)
{
	char *e = chat_text_mention(m, p);

	strbuf_adds(sb, e);
	free(e);
}

/* A link as the service shows it: Slack wants & < > as entities, a
 * Mattermost URL is left as it is so that it stays a link. */
static void
add_url(struct strbuf *sb, enum chat_text_markup m, const char *url)
{
	if (m == CHAT_TEXT_SLACK)
		add_escaped(sb, m, url);
	else
		strbuf_adds(sb, url);
}

char *
chat_text_wrapup(const struct chat_wrapup *w, enum chat_text_markup m)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_adds(&sb, "Wrap-up");
	if (w->week != NULL) {
		strbuf_addc(&sb, ' ');
		add_escaped(&sb, m, w->week);
	}
	strbuf_addc(&sb, '\n');
	if (w->n_decisions > 0)
		strbuf_adds(&sb, "Decisions:\n");
	for (size_t i = 0; i < w->n_decisions; i++) {
		strbuf_adds(&sb, "\xe2\x80\xa2 ");
		add_escaped(&sb, m, w->decisions[i]);
		strbuf_addc(&sb, '\n');
	}
	if (w->n_actions > 0)
		strbuf_adds(&sb, "Agreed measures:\n");
	for (size_t i = 0; i < w->n_actions; i++) {
		const struct chat_wrapup_action *a = &w->actions[i];

		strbuf_adds(&sb, "\xe2\x80\xa2 ");
		add_escaped(&sb, m, a->title ? a->title : "");
		if (a->owner.name != NULL) {
			strbuf_adds(&sb, " owner ");
			add_mention(&sb, m, &a->owner);
		}
		if (a->due != NULL) {
			strbuf_adds(&sb, " due ");
			add_escaped(&sb, m, a->due);
		}
		if (a->ticket != NULL) {
			strbuf_addc(&sb, ' ');
			add_escaped(&sb, m, a->ticket);
		}
		if (a->url != NULL) {
			strbuf_addc(&sb, ' ');
			add_url(&sb, m, a->url);
		}
		strbuf_addc(&sb, '\n');
	}
	if (w->n_carried > 0)
		strbuf_adds(&sb, "Not discussed, carried to next week:\n");
	for (size_t i = 0; i < w->n_carried; i++) {
		strbuf_adds(&sb, "\xe2\x80\xa2 ");
		add_escaped(&sb, m, w->carried[i]);
		strbuf_addc(&sb, '\n');
	}
	if (w->next_facilitator.name != NULL) {
		strbuf_adds(&sb, "Next week: ");
		add_mention(&sb, m, &w->next_facilitator);
		strbuf_adds(&sb, " facilitates");
		if (w->next_backup.name != NULL) {
			strbuf_adds(&sb, " (backup ");
			add_mention(&sb, m, &w->next_backup);
			strbuf_addc(&sb, ')');
		}
		strbuf_addc(&sb, '\n');
	}
	if (w->minutes_url != NULL && w->minutes_url[0] != '\0') {
		strbuf_adds(&sb, "Minutes: ");
		add_url(&sb, m, w->minutes_url);
	}
	strbuf_rtrim(&sb);
	return strbuf_detach(&sb);
}

char *
chat_text_opening(const struct chat_opening *o, enum chat_text_markup m)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_adds(&sb, "Postmortem review");
	if (o->week != NULL) {
		strbuf_addc(&sb, ' ');
		add_escaped(&sb, m, o->week);
	}
	strbuf_adds(&sb, " starts now, facilitated by ");
	add_mention(&sb, m, &o->facilitator);
	if (o->backup.name != NULL) {
		strbuf_adds(&sb, " (backup ");
		add_mention(&sb, m, &o->backup);
		strbuf_addc(&sb, ')');
	}
	strbuf_addf(&sb, ".\nAgenda (%d min):\n", o->total_minutes);
	for (size_t i = 0; i < o->n_items; i++) {
		const struct chat_opening_item *it = &o->items[i];

		strbuf_addf(&sb, "%zu. ", i + 1);
		add_escaped(&sb, m, it->title ? it->title : "");
		if (it->if_time)
			strbuf_adds(&sb, " \xc2\xb7 if time permits\n");
		else
			strbuf_addf(&sb, " \xc2\xb7 %d min\n", it->minutes);
	}
	strbuf_adds(&sb, "Each item gets its own thread here as it opens: reply in it and your "
		    "words go into the minutes.");
	return strbuf_detach(&sb);
}

char *
chat_text_reminder(const struct chat_reminder *r, enum chat_text_markup m)
{
	struct strbuf sb = STRBUF_INIT;

	strbuf_adds(&sb, "Reminder: ");
	add_mention(&sb, m, &r->owner);
	strbuf_adds(&sb, ", \"");
	add_escaped(&sb, m, r->title ? r->title : "");
	strbuf_adds(&sb, "\" ");
	if (r->days_left < 0)
		strbuf_addf(&sb, "is overdue by %ld day%s (due ", -r->days_left,
			    r->days_left == -1 ? "" : "s");
	else if (r->days_left == 0)
		strbuf_adds(&sb, "is due today (");
	else
		strbuf_addf(&sb, "is due in %ld day%s (", r->days_left,
			    r->days_left == 1 ? "" : "s");
	add_escaped(&sb, m, r->due ? r->due : "");
	strbuf_adds(&sb, ").");
	if (r->ticket != NULL) {
		strbuf_adds(&sb, " Ticket ");
		add_escaped(&sb, m, r->ticket);
		if (r->url != NULL) {
			strbuf_addc(&sb, ' ');
			add_url(&sb, m, r->url);
		}
	}
	if (r->week != NULL) {
		strbuf_adds(&sb, " Agreed in ");
		add_escaped(&sb, m, r->week);
		strbuf_addc(&sb, '.');
	}
	return strbuf_detach(&sb);
}
