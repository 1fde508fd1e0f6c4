#include "config.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "furikaeri/date.h"
#include "furikaeri/err.h"
#include "furikaeri/headings.h"
#include "furikaeri/import.h"
#include "furikaeri/postmortem.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"
#include "import_md_private.h"

/* Measures: from list items, table rows (by what each column means) and
 * not-adopted text; each one's ticket, owner, due date, status and
 * decision, and a title without them. */

struct span {
	size_t start, end;
};

struct spans {
	struct span s[16];
	size_t n;
};

static void
spans_add(struct spans *sp, size_t start, size_t end)
{
	if (sp->n < sizeof(sp->s) / sizeof(sp->s[0]) && end > start)
		sp->s[sp->n++] = (struct span){ .start = start, .end = end };
}

static bool
removed(const struct spans *sp, size_t i)
{
	for (size_t k = 0; k < sp->n; k++)
		if (i >= sp->s[k].start && i < sp->s[k].end)
			return true;
	return false;
}

static bool
is_word_char(char ch)
{
	return isalnum((unsigned char)ch) || ch == '_';
}

/* "OPS-123" at s: 2..10 capitals/digits, a dash, digits; returns its length. */
static size_t
jira_key_length(const char *s)
{
	size_t n = 0;

	if (!(s[0] >= 'A' && s[0] <= 'Z'))
		return 0;
	while ((s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= '0' && s[n] <= '9') || s[n] == '_')
		n++;
	if (n < 2 || n > 10 || s[n] != '-' || !isdigit((unsigned char)s[n + 1]))
		return 0;
	if ((n == 3 && (strncmp(s, "SEV", 3) == 0 || strncmp(s, "UTF", 3) == 0 ||
			strncmp(s, "ISO", 3) == 0 || strncmp(s, "RFC", 3) == 0 ||
			strncmp(s, "CVE", 3) == 0)))
		return 0;
	size_t m = n + 1;
	while (isdigit((unsigned char)s[m]))
		m++;
	if (is_word_char(s[m]) || s[m] == '-')
		return 0;
	return m;
}

/* A ticket reference from a URL: GitHub issues/pulls and Jira browse links. */
static char *
ticket_from_url(const char *url)
{
	const char *p;

	if ((p = strstr(url, "github.com/")) != NULL) {
		p += strlen("github.com/");
		const char *owner = p, *slash = strchr(owner, '/');
		if (slash == NULL)
			return NULL;
		const char *repo = slash + 1, *slash2 = strchr(repo, '/');
		if (slash2 == NULL)
			return NULL;
		const char *kind = slash2 + 1;
		size_t skip = strncmp(kind, "issues/", 7) == 0 ? 7 : strncmp(kind, "pull/", 5) == 0 ? 5 : 0;
		if (skip == 0 || !isdigit((unsigned char)kind[skip]))
			return NULL;
		size_t nd = strspn(kind + skip, "0123456789");
		return xasprintf("%.*s/%.*s#%.*s", (int)(slash - owner), owner,
				 (int)(slash2 - repo), repo, (int)nd, kind + skip);
	}
	if ((p = strstr(url, "/browse/")) != NULL) {
		p += strlen("/browse/");
		size_t n = jira_key_length(p);
		if (n == 0) {
			n = 0;
			while (p[n] != '\0' && p[n] != '?' && p[n] != '#' && p[n] != '/')
				n++;
			if (n == 0)
				return NULL;
		}
		return xstrndup(p, n);
	}
	return NULL;
}

/* "#123" at s (preceded by a non-word byte); returns its length. */
static size_t
hash_ref_length(const char *s)
{
	if (s[0] != '#' || !isdigit((unsigned char)s[1]))
		return 0;
	size_t n = 1 + strspn(s + 1, "0123456789");
	return is_word_char(s[n]) ? 0 : n;
}

/* "acme/pay#812" starting at i; returns its length. */
static size_t
repo_ref_length(const char *t, size_t i)
{
	size_t n = i, slash = 0;

	while (is_word_char(t[n]) || t[n] == '-' || t[n] == '.' || t[n] == '/') {
		if (t[n] == '/') {
			if (slash != 0)
				return 0;
			slash = n;
		}
		n++;
	}
	if (slash == 0 || slash == i || slash + 1 == n || t[n] != '#')
		return 0;
	size_t h = hash_ref_length(t + n);
	return h > 0 ? n + h - i : 0;
}

static bool
looks_like_url(const char *s, size_t n)
{
	return (n > 7 && strncmp(s, "http://", 7) == 0) || (n > 8 && strncmp(s, "https://", 8) == 0) ||
	       (n > 4 && strncmp(s, "www.", 4) == 0);
}

/* The words that say a ticket follows or a column holds tickets. */
static const char *const ticket_words[] = { "ticket", "tickets", "jira", "bug", "bugs", "issue",
					     "issues", "チケット", "課題" };

static bool
is_ticket_word_at(const char *s, size_t len, size_t at, size_t n)
{
	bool ascii = (unsigned char)s[at] < 0x80;

	return !ascii || ((at == 0 || !is_word_char(s[at - 1])) &&
			  (at + n == len || !is_word_char(s[at + n])));
}

/* Whether the text before at (blanks, ':', '#' and an opening bracket aside)
 * ends in a word that says a ticket follows: "Ticket: OPS-1", "(ticket OPS-1)",
 * "Jira OPS-1", "チケット：OPS-1". */
static bool
ticket_label_before(const char *t, size_t at)
{
	size_t e = at;

	while (e > 0 && (t[e - 1] == ' ' || t[e - 1] == ':' || t[e - 1] == '#' ||
			 t[e - 1] == '(' || t[e - 1] == '['))
		e--;
	for (bool again = true; again;) {
		again = false;
		static const char *const wide[] = { "：", "（", "【", "　" };
		for (size_t k = 0; k < sizeof(wide) / sizeof(wide[0]); k++)
			if (e >= strlen(wide[k]) && strncmp(t + e - strlen(wide[k]), wide[k],
							    strlen(wide[k])) == 0) {
				e -= strlen(wide[k]);
				again = true;
			}
		while (e > 0 && t[e - 1] == ' ') {
			e--;
			again = true;
		}
	}
	for (size_t k = 0; k < sizeof(ticket_words) / sizeof(ticket_words[0]); k++) {
		size_t n = strlen(ticket_words[k]);
		if (e >= n && strncasecmp(t + e - n, ticket_words[k], n) == 0 &&
		    is_ticket_word_at(t, e, e - n, n))
			return true;
	}
	return false;
}

/* Whether a table header names a ticket column: "Ticket", "Jira", "Bug",
 * "Status / Ticket", "チケット". */
bool
imd_header_says_ticket(const char *header)
{
	char *norm = headings_normalise(header);
	size_t len = strlen(norm);
	bool yes = false;

	for (size_t k = 0; k < sizeof(ticket_words) / sizeof(ticket_words[0]) && !yes; k++) {
		size_t n = strlen(ticket_words[k]);
		for (const char *p = norm; !yes && (p = strstr(p, ticket_words[k])) != NULL; p++)
			yes = is_ticket_word_at(norm, len, (size_t)(p - norm), n);
	}
	free(norm);
	return yes;
}

/* A bare KEY-123 in running text is a ticket only when a word such as
 * "ticket" stands before it, its table column names tickets (labelled), or
 * its project is one of [import] jira_projects; anything else (SHA-256,
 * HTTP-503, "OPS-412 add alert" without configured projects) stays text. */
static bool
ticket_key_ok(const struct import_options *o, const char *t, size_t at, size_t n, bool labelled)
{
	size_t dash = 0;

	while (dash < n && t[at + dash] != '-')
		dash++;
	if (labelled || ticket_label_before(t, at))
		return true;
	for (size_t k = 0; o != NULL && k < o->n_jira_projects; k++)
		if (strlen(o->jira_projects[k]) == dash &&
		    strncmp(o->jira_projects[k], t + at, dash) == 0)
			return true;
	return false;
}

/* Full-width punctuation ends a URL: "https://x/issues/215）". */
static size_t
url_length(const char *url)
{
	static const char *const stops[] = { "）", "、", "。", "」", "』", "】", "，", "：",
					      "（", "　" };
	size_t n = 0;

	for (; url[n] != '\0'; n++)
		for (size_t k = 0; (unsigned char)url[n] >= 0x80 && k < sizeof(stops) / sizeof(stops[0]); k++)
			if (strncmp(url + n, stops[k], strlen(stops[k])) == 0)
				return n;
	return n;
}

/* Widens a span over a label that only introduced it ("チケット: URL"). */
static void
spans_add_labelled(struct spans *sp, const char *t, size_t start, size_t end)
{
	static const char *const labels[] = { "チケット", "ticket", "issue", "jira", "link" };
	size_t s = start;

	while (s > 0 && t[s - 1] == ' ')
		s--;
	if (s > 0 && t[s - 1] == ':')
		s--;
	else if (s >= 3 && strncmp(t + s - 3, "：", 3) == 0)
		s -= 3;
	else
		s = start;
	if (s != start) {
		while (s > 0 && t[s - 1] == ' ')
			s--;
		for (size_t k = 0; k < sizeof(labels) / sizeof(labels[0]); k++) {
			size_t n = strlen(labels[k]);
			if (s >= n && strncasecmp(t + s - n, labels[k], n) == 0) {
				start = s - n;
				break;
			}
		}
	}
	spans_add(sp, start, end);
}

/* The ticket a link names (its URL, or a label that is a key); marks the
 * text that only named it. */
static void
ticket_from_link(const char *t, const struct link *l, struct measure *m, struct spans *sp)
{
	size_t ul = url_length(l->href), end = l->end;
	char *href = xstrndup(l->href, ul);
	/* an autolink's text is its URL: cut both at the same place */
	if (ul < strlen(l->href) && end - l->start > ul &&
	    strncmp(t + l->start, href, ul) == 0)
		end = l->start + ul;
	char *label = xstrndup(t + l->start, end - l->start);
	char *ticket = ticket_from_url(href);
	char *tl = text_trim(label);
	size_t kl = jira_key_length(tl), hl = hash_ref_length(tl);
	if (ticket == NULL && ((kl > 0 && kl == strlen(tl)) || (hl > 0 && hl == strlen(tl))))
		ticket = xstrdup(tl);
	if (ticket != NULL) {
		m->ticket = ticket;
		m->ticket_url = href;
		href = NULL;
		/* a label that only repeats the reference is not part of the title */
		if (looks_like_url(tl, strlen(tl)) || (kl > 0 && kl == strlen(tl)) ||
		    (hl > 0 && hl == strlen(tl)) || strcasecmp(tl, "link") == 0 ||
		    strcasecmp(tl, "ticket") == 0 || strcasecmp(tl, "issue") == 0 ||
		    strcasecmp(tl, "pr") == 0 || strcmp(tl, "チケット") == 0 ||
		    strcasecmp(tl, m->ticket) == 0)
			spans_add_labelled(sp, t, l->start, end);
	}
	free(href);
	free(tl);
	free(label);
}

/* Whether text[at] lies inside one of the fragment's link spans. */
static bool
in_link(const struct fragment *f, size_t at)
{
	for (size_t i = 0; i < f->n_links; i++)
		if (at >= f->links[i].start && at < f->links[i].end)
			return true;
	return false;
}

/* A URL written as plain text at t[at] ("https://..." after a space, a
 * colon or the start), up to the next space: its length, 0 when none.
 * md4c's permissive autolinks make some URLs link spans and leave others
 * text, differently from one version to the next (0.4 links
 * "URL）" whole, 0.5 leaves it text), so a URL is found in both. */
static size_t
bare_url_length(const char *t, size_t at)
{
	size_t n = 0;

	if (at > 0 && (is_word_char(t[at - 1]) || t[at - 1] == '/' || t[at - 1] == '.'))
		return 0;
	if (strncmp(t + at, "http://", 7) != 0 && strncmp(t + at, "https://", 8) != 0)
		return 0;
	while (t[at + n] != '\0' && !isspace((unsigned char)t[at + n]))
		n++;
	/* trailing punctuation ends a sentence, not the URL; so does a ')'
	 * that closes a parenthesis opened before it */
	while (n > 0 && strchr(".,:;!?\"'*_~", t[at + n - 1]) != NULL)
		n--;
	while (n > 0 && t[at + n - 1] == ')' && memchr(t + at, '(', n) == NULL)
		n--;
	return n;
}

/* Finds the ticket of a fragment; marks the text that only named it. */
static void
find_ticket(const struct import_options *o, const struct fragment *f, bool labelled,
	    struct measure *m, struct spans *sp)
{
	const char *t = strbuf_str(&f->text);

	for (size_t i = 0; i < f->n_links && m->ticket == NULL; i++)
		ticket_from_link(t, &f->links[i], m, sp);
	for (size_t i = 0; t[i] != '\0' && m->ticket == NULL; i++) {
		size_t n = in_link(f, i) ? 0 : bare_url_length(t, i);
		if (n > 0) {
			char *url = xstrndup(t + i, n);
			struct link bare = { .href = url, .start = i, .end = i + n };
			ticket_from_link(t, &bare, m, sp);
			free(url);
			i += n - 1;
		}
	}
	for (size_t i = 0; t[i] != '\0' && m->ticket == NULL; i++) {
		if (i > 0 && (is_word_char(t[i - 1]) || t[i - 1] == '-' || t[i - 1] == '/'))
			continue;
		size_t n = jira_key_length(t + i);
		if (n > 0 && !ticket_key_ok(o, t, i, n, labelled))
			n = 0;
		if (n == 0)
			n = hash_ref_length(t + i);
		if (n == 0)
			n = repo_ref_length(t, i);
		if (n > 0) {
			m->ticket = xstrndup(t + i, n);
			size_t from = i;
			/* "Jira OPS-1", "(ticket OPS-1)": the word only introduced it */
			if (i > 0 && t[i - 1] == ' ' && ticket_label_before(t, i)) {
				size_t e = i;
				while (e > 0 && t[e - 1] == ' ')
					e--;
				for (size_t k = 0; k < sizeof(ticket_words) / sizeof(ticket_words[0]); k++) {
					size_t w = strlen(ticket_words[k]);
					if (e >= w && strncasecmp(t + e - w, ticket_words[k], w) == 0 &&
					    is_ticket_word_at(t, e, e - w, w)) {
						from = e - w;
						break;
					}
				}
			}
			spans_add_labelled(sp, t, from, i + n);
		}
	}
}

static bool
ci_at(const char *s, const char *word)
{
	return strncasecmp(s, word, strlen(word)) == 0;
}

static const struct {
	const char *word;
	enum measure_status status;
} status_words[] = {
	{ "won't do", MEASURE_NOT_DOING }, { "wont do", MEASURE_NOT_DOING },
	{ "not doing", MEASURE_NOT_DOING }, { "rejected", MEASURE_NOT_DOING },
	{ "cancelled", MEASURE_NOT_DOING }, { "canceled", MEASURE_NOT_DOING },
	{ "見送り", MEASURE_NOT_DOING }, { "不採用", MEASURE_NOT_DOING },
	{ "却下", MEASURE_NOT_DOING }, { "中止", MEASURE_NOT_DOING },
	{ "not started", MEASURE_OPEN }, { "in progress", MEASURE_OPEN },
	{ "in review", MEASURE_OPEN }, { "todo", MEASURE_OPEN }, { "to do", MEASURE_OPEN },
	{ "open", MEASURE_OPEN }, { "wip", MEASURE_OPEN }, { "pending", MEASURE_OPEN },
	{ "planned", MEASURE_OPEN }, { "blocked", MEASURE_OPEN }, { "未着手", MEASURE_OPEN },
	{ "対応中", MEASURE_OPEN }, { "進行中", MEASURE_OPEN }, { "未対応", MEASURE_OPEN },
	{ "検討中", MEASURE_OPEN }, { "作業中", MEASURE_OPEN }, { "未完了", MEASURE_OPEN },
	{ "done", MEASURE_DONE }, { "closed", MEASURE_DONE }, { "fixed", MEASURE_DONE },
	{ "completed", MEASURE_DONE }, { "complete", MEASURE_DONE }, { "resolved", MEASURE_DONE },
	{ "merged", MEASURE_DONE }, { "shipped", MEASURE_DONE }, { "deployed", MEASURE_DONE },
	{ "完了", MEASURE_DONE }, { "対応済み", MEASURE_DONE }, { "対応済", MEASURE_DONE },
	{ "実施済み", MEASURE_DONE }, { "済み", MEASURE_DONE }, { "済", MEASURE_DONE },
	{ "\xE2\x9C\x85", MEASURE_DONE }, { "\xE2\x9C\x94", MEASURE_DONE },
	{ "\xE2\x98\x91", MEASURE_DONE },
};

/* A status word at s; returns its length or 0. */
static size_t
status_word_at(const char *s, enum measure_status *out)
{
	for (size_t i = 0; i < sizeof(status_words) / sizeof(status_words[0]); i++) {
		const char *w = status_words[i].word;
		size_t n = strlen(w);
		if (!ci_at(s, w))
			continue;
		if (isalpha((unsigned char)w[0]) && is_word_char(s[n]))
			continue;
		*out = status_words[i].status;
		return n;
	}
	return 0;
}

/* The first status word anywhere in a cell ("Done (OPS-123)", "OPS-9 ✅"). */
static bool
status_in_cell(const char *s, enum measure_status *out)
{
	for (size_t i = 0; s[i] != '\0'; i++) {
		if (i > 0 && isalpha((unsigned char)s[i]) && is_word_char(s[i - 1]))
			continue;
		if (status_word_at(s + i, out) > 0)
			return true;
	}
	return false;
}

/* In a list item, a status counts only where it is clearly marked: in
 * brackets ("(done)", "[完了]"), after "Status:", or as a check mark. */
static bool
find_marked_status(const char *t, struct spans *sp, enum measure_status *out)
{
	static const char *const labels[] = { "status:", "status：", "状態:", "状態：",
					       "ステータス:", "ステータス：" };

	for (size_t i = 0; t[i] != '\0'; i++) {
		size_t open = 0, n;
		if (t[i] == '(' || t[i] == '[')
			open = 1;
		else if (strncmp(t + i, "（", 3) == 0 || strncmp(t + i, "【", 3) == 0)
			open = 3;
		for (size_t k = 0; open == 0 && k < sizeof(labels) / sizeof(labels[0]); k++)
			if (ci_at(t + i, labels[k]) && (i == 0 || !is_word_char(t[i - 1])))
				open = strlen(labels[k]);
		size_t j = i + open;
		while (open > 0 && t[j] == ' ')
			j++;
		if (open > 0 && (n = status_word_at(t + j, out)) > 0) {
			size_t end = j + n;
			while (t[end] == ' ')
				end++;
			if (t[end] == ')' || t[end] == ']')
				end++;
			else if (strncmp(t + end, "）", 3) == 0 || strncmp(t + end, "】", 3) == 0)
				end += 3;
			spans_add(sp, i, end);
			return true;
		}
		if (open == 0 && (unsigned char)t[i] == 0xE2 && (n = status_word_at(t + i, out)) > 0) {
			spans_add(sp, i, i + n);
			return true;
		}
		/* the last word of a bracket after a comma: "(Owner: Diego, done)" */
		if (t[i] == ',' || strncmp(t + i, "、", 3) == 0) {
			j = i + (t[i] == ',' ? 1 : 3);
			while (t[j] == ' ')
				j++;
			if ((n = status_word_at(t + j, out)) > 0) {
				size_t end = j + n;
				while (t[end] == ' ')
					end++;
				if (t[end] == ')' || t[end] == ']' || strncmp(t + end, "）", 3) == 0) {
					spans_add(sp, i, end);
					return true;
				}
			}
		}
	}
	return false;
}

/* The end of an inline value such as an owner name. */
static size_t
value_end(const char *t, size_t i)
{
	while (t[i] != '\0' && t[i] != ',' && t[i] != ';' && t[i] != ')' && t[i] != '|' &&
	       strncmp(t + i, "）", 3) != 0 && strncmp(t + i, "、", 3) != 0 &&
	       strncmp(t + i, "，", 3) != 0 && !ci_at(t + i, " due") && !ci_at(t + i, " by ") &&
	       strncmp(t + i, " 期限", 7) != 0 && strncmp(t + i, "期限", 6) != 0 &&
	       !(t[i] == ' ' && t[i + 1] == '-' && t[i + 2] == ' '))
		i++;
	return i;
}

static void
find_owner(const char *t, struct measure *m, struct spans *sp)
{
	size_t n = strlen(t);

	static const char *const labels[] = { "owner:", "owner：", "assignee:", "assignee：",
					       "担当者:", "担当者：", "担当:", "担当：",
					       "responsible:" };

	for (size_t i = 0; t[i] != '\0' && m->owner == NULL; i++) {
		for (size_t k = 0; k < sizeof(labels) / sizeof(labels[0]); k++) {
			if (!ci_at(t + i, labels[k]) || (i > 0 && is_word_char(t[i - 1])))
				continue;
			size_t v = i + strlen(labels[k]);
			while (t[v] == ' ')
				v++;
			size_t e = value_end(t, v);
			char *raw = xstrndup(t + v, e - v);
			char *name = text_trim(raw);
			if (name[0] == '@')
				memmove(name, name + 1, strlen(name));
			if (name[0] != '\0') {
				m->owner = name;
				spans_add(sp, i, e);
			} else {
				free(name);
			}
			free(raw);
			break;
		}
	}
	for (size_t i = 0; t[i] != '\0' && m->owner == NULL; i++) {
		if (t[i] != '@' || (i > 0 && is_word_char(t[i - 1])))
			continue;
		size_t e = i + 1;
		while (t[e] != '\0' && (is_word_char(t[e]) || t[e] == '-' || t[e] == '.' ||
					(unsigned char)t[e] >= 0x80) &&
		       strncmp(t + e, "、", 3) != 0 && strncmp(t + e, "）", 3) != 0 &&
		       strncmp(t + e, "　", 3) != 0)
			e++;
		while (e > i + 1 && t[e - 1] == '.')
			e--;
		if (e > i + 1) {
			m->owner = xstrndup(t + i + 1, e - i - 1);
			spans_add(sp, i, e);
		}
	}
	if (m->owner != NULL)
		return;
	/* "(Aoi)" or "(Aoi Tanaka)" closing the item: conservative, Latin names only */
	while (n > 0 && (t[n - 1] == ' ' || removed(sp, n - 1)))
		n--;
	if (n < 4 || t[n - 1] != ')')
		return;
	size_t open = n - 1;
	while (open > 0 && t[open] != '(')
		open--;
	if (t[open] != '(')
		return;
	size_t words = 0, len = n - 1 - (open + 1);
	bool ok = len >= 2 && len <= 30;
	for (size_t i = open + 1; ok && i < n - 1; i++) {
		if (i == open + 1 || t[i - 1] == ' ') {
			ok = t[i] >= 'A' && t[i] <= 'Z';
			words++;
		} else if (t[i] != ' ' && !(t[i] >= 'a' && t[i] <= 'z')) {
			ok = false;
		}
	}
	enum measure_status ignored;
	if (ok && words <= 2 && status_word_at(t + open + 1, &ignored) == 0) {
		m->owner = xstrndup(t + open + 1, len);
		spans_add(sp, open, n);
	}
}

static void
set_due(struct measure *m, const struct date_parts *d)
{
	char ymd[11];

	date_format_ymd(d, ymd);
	free(m->due);
	m->due = xstrdup(ymd);
}

static void
find_due(const char *t, struct measure *m, struct spans *sp)
{
	static const char *const labels[] = { "due date", "due by", "due", "deadline", "by",
					       "until", "期限", "期日", "締め切り", "〆切" };
	struct date_parts d;

	for (size_t i = 0; t[i] != '\0' && m->due == NULL; i++) {
		for (size_t k = 0; k < sizeof(labels) / sizeof(labels[0]); k++) {
			bool latin = isalpha((unsigned char)labels[k][0]);
			if (!ci_at(t + i, labels[k]) || (latin && i > 0 && is_word_char(t[i - 1])))
				continue;
			size_t v = i + strlen(labels[k]);
			if (latin && is_word_char(t[v]))
				continue;
			while (t[v] == ' ' || t[v] == ':')
				v++;
			if (strncmp(t + v, "：", 3) == 0)
				v += 3;
			while (t[v] == ' ')
				v++;
			size_t n = date_parse_prefix(t + v, &d);
			if (n == 0)
				continue;
			set_due(m, &d);
			spans_add(sp, i, v + n);
			break;
		}
	}
}

/* Copies t without the marked spans, tidying the brackets and commas that
 * the removals leave behind ("Add alert (owner: @aoi, OPS-1)" -> "Add alert"). */
static char *
clean_title(const char *t, const struct spans *sp)
{
	struct strbuf sb = STRBUF_INIT;
	bool space = false;

	for (size_t i = 0; t[i] != '\0'; i++) {
		char ch = t[i];
		if (removed(sp, i))
			continue;
		if (ch == ' ' || ch == '\t' || ch == '\n') {
			space = sb.len > 0;
			continue;
		}
		char prev = sb.len > 0 ? sb.buf[sb.len - 1] : '\0';
		if ((ch == ',' || ch == ';') && (prev == '(' || prev == '[' || prev == ',' || prev == ';'))
			continue;
		if (ch == ')' || ch == ']') {
			while (sb.len > 0 && (sb.buf[sb.len - 1] == ',' || sb.buf[sb.len - 1] == ';' ||
					      sb.buf[sb.len - 1] == ' '))
				sb.len--;
			prev = sb.len > 0 ? sb.buf[sb.len - 1] : '\0';
			if ((ch == ')' && prev == '(') || (ch == ']' && prev == '[')) {
				sb.len--;
				while (sb.len > 0 && sb.buf[sb.len - 1] == ' ')
					sb.len--;
				sb.buf[sb.len] = '\0';
				space = sb.len > 0;
				continue;
			}
			if (sb.buf != NULL)
				sb.buf[sb.len] = '\0';
			space = false;
		}
		if (space && prev != '(' && prev != '[' && ch != ')' && ch != ']' && ch != ',')
			strbuf_addc(&sb, ' ');
		space = false;
		strbuf_addc(&sb, ch);
	}
	/* what removals leave inside full-width brackets: "（、、）" */
	static const char *const tidy[][2] = {
		{ "（ ", "（" }, { " ）", "）" }, { "（、", "（" }, { "、）", "）" }, { "、、", "、" },
		{ "（，", "（" }, { "，）", "）" }, { "（,", "（" }, { ",）", "）" }, { "、 ", "、" },
		{ "（）", "" }, { "【】", "" }, { "「」", "" }, { "()", "" },
	};
	for (bool again = sb.buf != NULL; again;) {
		again = false;
		for (size_t k = 0; k < sizeof(tidy) / sizeof(tidy[0]); k++) {
			char *p;
			while ((p = strstr(sb.buf, tidy[k][0])) != NULL) {
				size_t n = strlen(tidy[k][0]), m = strlen(tidy[k][1]);
				memcpy(p, tidy[k][1], m);
				memmove(p + m, p + n, strlen(p + n) + 1);
				sb.len -= n - m;
				again = true;
			}
		}
	}
	char *s = strbuf_detach(&sb);
	/* separators left dangling at either end */
	static const char *const seps[] = { " ", "-", ":", "|", ",", "/", ";", "\xE2\x80\x94",
					     "\xE2\x80\x93", "、", "：", "。", "・", "\xE3\x80\x80" };
	static const char *const openers[] = { "(", "[", "（", "【" };
	size_t start = 0, end = strlen(s);
	for (bool again = true; again;) {
		again = false;
		for (size_t k = 0; k < sizeof(openers) / sizeof(openers[0]); k++) {
			size_t n = strlen(openers[k]);
			if (end - start >= n && memcmp(s + end - n, openers[k], n) == 0) {
				end -= n;
				again = true;
			}
		}
		for (size_t k = 0; k < sizeof(seps) / sizeof(seps[0]); k++) {
			size_t n = strlen(seps[k]);
			if (end - start >= n && memcmp(s + end - n, seps[k], n) == 0) {
				end -= n;
				again = true;
			}
			if (end - start >= n && memcmp(s + start, seps[k], n) == 0) {
				start += n;
				again = true;
			}
		}
	}
	char *out = xstrndup(s + start, end - start);
	free(s);
	return out;
}

/* Reads "Owner: ...", "Due: ...", "Status: ..." lines nested under an item. */
static void
read_extra(const char *extra, struct measure *m)
{
	const char *p = extra;

	while (*p != '\0') {
		size_t n = strcspn(p, "\n");
		char *line = xstrndup(p, n);
		struct spans sp = { .n = 0 };
		const char *l = line;
		if (strncmp(l, "- ", 2) == 0)
			l += 2;
		if (m->owner == NULL)
			find_owner(l, m, &sp);
		if (m->due == NULL)
			find_due(l, m, &sp);
		enum measure_status st;
		if (m->status == MEASURE_OPEN && find_marked_status(l, &sp, &st))
			m->status = st;
		free(line);
		p += n;
		if (*p == '\n')
			p++;
	}
}

/* True when most of the text is struck through: "~~add alert~~" means done. */
static bool
mostly_struck(const struct fragment *f)
{
	size_t visible = 0;

	for (size_t i = 0; i < f->text.len; i++)
		if (f->text.buf[i] != ' ')
			visible++;
	return f->struck > 0 && f->struck * 2 >= visible;
}

struct measure *
imd_measure_from_item(const struct import_options *o, struct postmortem *pm, const struct row *r,
		  bool not_doing)
{
	const struct fragment *f = &r->cells[0];
	const char *t = strbuf_str(&f->text);
	struct measure tmp = { .status = MEASURE_OPEN };
	struct spans sp = { .n = 0 };
	enum measure_status st;

	find_ticket(o, f, false, &tmp, &sp);
	if (find_marked_status(t, &sp, &st))
		tmp.status = st;
	find_due(t, &tmp, &sp);
	find_owner(t, &tmp, &sp);
	read_extra(strbuf_str(&r->extra), &tmp);
	if (r->task == 1 || mostly_struck(f))
		tmp.status = MEASURE_DONE;
	if (not_doing)
		tmp.status = MEASURE_NOT_DOING;
	char *title = clean_title(t, &sp);
	/* a bullet that is only an issue's address is that measure */
	if (title[0] == '\0' && tmp.ticket != NULL) {
		free(title);
		title = xstrdup(tmp.ticket);
	}
	if (title[0] == '\0') {
		free(title);
		free(tmp.owner);
		free(tmp.due);
		free(tmp.ticket);
		free(tmp.ticket_url);
		return NULL;
	}
	struct measure *m = postmortem_add_measure(pm, title);
	free(title);
	m->owner = tmp.owner;
	m->due = tmp.due;
	m->status = tmp.status;
	m->ticket = tmp.ticket;
	m->ticket_url = tmp.ticket_url;
	return m;
}

static const struct {
	const char *name;	/* as headings_normalise() leaves it */
	enum column col;
} column_names[] = {
	{ "action", COL_ACTION }, { "actions", COL_ACTION }, { "action item", COL_ACTION },
	{ "item", COL_ACTION }, { "measure", COL_ACTION }, { "task", COL_ACTION },
	{ "title", COL_ACTION }, { "description", COL_ACTION }, { "what", COL_ACTION },
	{ "対策", COL_ACTION }, { "内容", COL_ACTION }, { "タスク", COL_ACTION },
	{ "項目", COL_ACTION }, { "アクション", COL_ACTION }, { "再発防止策", COL_ACTION },
	{ "対策内容", COL_ACTION },
	{ "owner", COL_OWNER }, { "assignee", COL_OWNER }, { "who", COL_OWNER },
	{ "responsible", COL_OWNER }, { "担当", COL_OWNER }, { "担当者", COL_OWNER },
	{ "due", COL_DUE }, { "due date", COL_DUE }, { "deadline", COL_DUE }, { "when", COL_DUE },
	{ "target date", COL_DUE }, { "期限", COL_DUE }, { "期日", COL_DUE },
	{ "eta", COL_DUE }, { "期限日", COL_DUE }, { "完了予定", COL_DUE },
	{ "完了予定日", COL_DUE }, { "予定日", COL_DUE },
	{ "decision", COL_DECISION }, { "adopted", COL_DECISION }, { "adoption", COL_DECISION },
	{ "accepted", COL_DECISION }, { "採否", COL_DECISION }, { "採用", COL_DECISION },
	{ "採用可否", COL_DECISION }, { "判断", COL_DECISION }, { "対応要否", COL_DECISION },
	{ "status", COL_STATUS }, { "state", COL_STATUS }, { "状態", COL_STATUS },
	{ "ステータス", COL_STATUS }, { "進捗", COL_STATUS },
	{ "ticket", COL_TICKET }, { "issue", COL_TICKET }, { "link", COL_TICKET },
	{ "jira", COL_TICKET }, { "tracking", COL_TICKET }, { "チケット", COL_TICKET },
	{ "ticket status", COL_STATUS }, { "status ticket", COL_STATUS },
	{ "リンク", COL_TICKET }, { "課題", COL_TICKET },
};

enum column
imd_column_of(const char *header)
{
	char *norm = headings_normalise(header);
	enum column c = COL_OTHER;

	for (size_t i = 0; i < sizeof(column_names) / sizeof(column_names[0]); i++)
		if (strcmp(norm, column_names[i].name) == 0)
			c = column_names[i].col;
	free(norm);
	return c;
}


/* Whether a decision cell says the measure was decided against: "not
 * adopted", "rejected", "no", 見送り, 不採用... (compared as
 * headings_normalise() leaves it: lower case, punctuation as blanks). */
static bool
decided_against(const char *cell)
{
	static const char *const words[] = {
		"no", "not adopted", "rejected", "declined", "dropped", "wont do", "won t do",
		"not doing", "not accepted", "見送り", "見送る", "不採用", "却下", "対応しない",
		"実施しない", "不要",
	};
	char *norm = headings_normalise(cell);
	bool against = false;

	for (size_t i = 0; !against && i < sizeof(words) / sizeof(words[0]); i++)
		against = strcmp(norm, words[i]) == 0;
	free(norm);
	return against;
}

void
imd_measure_from_row(const struct import_options *o, struct postmortem *pm, const struct row *r,
		 const enum column *cols, const bool *ticket_cols, size_t n_cols, bool not_doing)
{
	long action = -1;

	for (size_t i = 0; i < r->n_cells && i < n_cols; i++)
		if (cols[i] == COL_ACTION && action < 0)
			action = (long)i;
	for (size_t i = 0; i < r->n_cells && i < n_cols && action < 0; i++)
		if (cols[i] == COL_OTHER)
			action = (long)i;
	if (action < 0)
		action = 0;
	if ((size_t)action >= r->n_cells)
		return;
	/* a decision column says, row by row, what was not adopted */
	for (size_t i = 0; i < r->n_cells && i < n_cols && !not_doing; i++) {
		if (cols[i] == COL_DECISION) {
			char *v = text_trim(strbuf_str(&r->cells[i].text));
			not_doing = decided_against(v);
			free(v);
		}
	}

	struct row one = { .cells = &r->cells[action], .n_cells = 1, .task = -1 };
	struct measure *m = imd_measure_from_item(o, pm, &one, not_doing);
	if (m == NULL)
		return;
	for (size_t i = 0; i < r->n_cells && i < n_cols; i++) {
		const struct fragment *f = &r->cells[i];
		char *v = text_trim(strbuf_str(&f->text));
		struct date_parts d;
		size_t at;
		enum measure_status st;
		struct spans sp = { .n = 0 };
		switch (cols[i]) {
		case COL_OWNER:
			if (v[0] != '\0' && strcmp(v, "-") != 0) {
				free(m->owner);
				m->owner = xstrdup(v[0] == '@' ? v + 1 : v);
			}
			break;
		case COL_DUE:
			if (date_find(v, &d, &at) > 0)
				set_due(m, &d);
			break;
		case COL_STATUS:
			if (!not_doing && status_in_cell(v, &st))
				m->status = st;
			if (mostly_struck(f) && !not_doing)
				m->status = MEASURE_DONE;
			if (m->ticket == NULL)
				find_ticket(o, f, ticket_cols[i], m, &sp);
			break;
		case COL_TICKET:
			if (m->ticket == NULL)
				find_ticket(o, f, ticket_cols[i], m, &sp);
			if (!not_doing && status_in_cell(v, &st))
				m->status = st;
			break;
		default:
			break;
		}
		free(v);
	}
	for (size_t i = 0; i < r->n_cells && m->ticket == NULL; i++) {
		struct spans sp = { .n = 0 };
		if ((long)i != action)
			find_ticket(o, &r->cells[i], i < n_cols && ticket_cols[i], m, &sp);
	}
}

static bool
ends_sentence(const char *s, size_t n)
{
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return (n >= 1 && (s[n - 1] == '.' || s[n - 1] == '!' || s[n - 1] == '?')) ||
	       (n >= 3 && (memcmp(s + n - 3, "。", 3) == 0 || memcmp(s + n - 3, "！", 3) == 0));
}

static void
not_doing_item(const struct import_options *o, struct postmortem *pm, const char *s, size_t n)
{
	char *part = xstrndup(s, n);
	char *t = text_trim(part);
	size_t tl = strlen(t);

	for (char *q = t; *q != '\0'; q++)	/* a wrapped line goes on */
		if (*q == '\n')
			*q = ' ';
	if (tl >= 3 && strcmp(t + tl - 3, "。") == 0)
		t[tl - 3] = '\0';
	if (t[0] != '\0') {
		struct fragment f = { .text = STRBUF_INIT };
		strbuf_adds(&f.text, t);
		struct row one = { .cells = &f, .n_cells = 1, .task = -1 };
		imd_measure_from_item(o, pm, &one, true);
		strbuf_release(&f.text);
	}
	free(t);
	free(part);
}

/* A not-adopted list written as text: each paragraph is one measure, kept
 * whole however many sentences it has (the reason is part of it). Lines
 * of one paragraph are items of their own only when each ends a sentence
 * or none does and each is short: a list written without markers, not a
 * wrapped paragraph. */
void
imd_not_doing_from_text(const struct import_options *o, struct postmortem *pm, const char *text)
{
	const char *p = text;

	while (*p != '\0') {
		const char *end = strstr(p, "\n\n");
		size_t n = end != NULL ? (size_t)(end - p) : strlen(p);
		size_t lines = 1, ended = 0, longest = 0;
		bool one_each;

		for (const char *l = p; l < p + n;) {
			const char *nl = memchr(l, '\n', (size_t)(p + n - l));
			size_t ln = nl != NULL ? (size_t)(nl - l) : (size_t)(p + n - l);

			ended += ends_sentence(l, ln);
			if (ln > longest)
				longest = ln;
			if (nl == NULL)
				break;
			lines++;
			l = nl + 1;
		}
		one_each = lines > 1 && (ended == lines || (ended == 0 && longest <= 60));
		if (one_each) {
			for (const char *l = p; l < p + n;) {
				const char *nl = memchr(l, '\n', (size_t)(p + n - l));
				size_t ln = nl != NULL ? (size_t)(nl - l) : (size_t)(p + n - l);

				not_doing_item(o, pm, l, ln);
				l += ln + (nl != NULL);
			}
		} else {
			not_doing_item(o, pm, p, n);
		}
		p += n;
		while (*p == '\n')
			p++;
	}
}

/* Whether one of words stands in s (ASCII case-insensitive; Japanese as
 * written). */
static bool
mentions(const char *s, const char *const *words)
{
	for (; *words != NULL; words++)
		if (strcasestr(s, *words) != NULL)
			return true;
	return false;
}

/* The sentences of text, one at a time: to ". ", "。" or the end of a line.
 * Returns the next one (owned) and moves *p past it, or NULL at the end. */
static char *
next_sentence(const char **p)
{
	const char *s = *p;
	size_t n = 0;

	while (*s == ' ' || *s == '\n')
		s++;
	if (*s == '\0')
		return NULL;
	while (s[n] != '\0' && s[n] != '\n') {
		if ((s[n] == '.' && (s[n + 1] == ' ' || s[n + 1] == '\n' || s[n + 1] == '\0')) ||
		    strncmp(s + n, "。", 3) == 0) {
			n += s[n] == '.' ? 1 : 3;
			break;
		}
		n++;
	}
	*p = s + n;
	return xstrndup(s, n);
}

static void
drop_period(char *sentence)
{
	size_t sl = strlen(sentence);

	if (sl > 0 && sentence[sl - 1] == '.')
		sentence[sl - 1] = '\0';
}

/* "We considered X but decided against it" in a section's prose: a
 * measure that was weighed and not adopted, kept as the sentence says it.
 * Both halves must be there: a thing considered, and a no. */
void
imd_not_doing_from_prose(const struct import_options *o, struct postmortem *pm, const char *text)
{
	static const char *const weighed[] = {
		"considered", "discussed", "looked at", "evaluated", "we debated", "an option",
		"検討", "案も出", "案が出", "議論", NULL,
	};
	static const char *const refused[] = {
		"rejected", "decided against", "decided not to", "ruled out", "chose not to",
		"did not adopt", "not adopted", "was dropped", "見送", "採用しな", "不採用",
		"行わない", "取り上げない", NULL,
	};
	char *sentence;

	while ((sentence = next_sentence(&text)) != NULL) {
		if (mentions(sentence, weighed) && mentions(sentence, refused)) {
			drop_period(sentence);
			not_doing_item(o, pm, sentence, strlen(sentence));
		}
		free(sentence);
	}
}

/* Prevention told in prose ("Going forward we will add jitter to ...",
 * "今後は…を追加します"): each such sentence a measure, for a file whose
 * measures are nowhere else. A sentence that says it was weighed and not
 * adopted is not one. */
size_t
imd_measures_from_prose(const struct import_options *o, struct postmortem *pm, const char *text)
{
	static const char *const intent[] = {
		"we will ", "we'll ", "we are going to", "we plan to", "we intend to",
		"going forward", "in the future", "to prevent", "to avoid a recurrence",
		"we need to", "we should ", "今後", "再発防止", "予定です", "していきます",
		"してまいります", NULL,
	};
	static const char *const refused[] = {
		"rejected", "decided against", "decided not to", "ruled out", "見送", "行わない",
		NULL,
	};
	size_t added = 0;
	char *sentence;

	while ((sentence = next_sentence(&text)) != NULL) {
		if (mentions(sentence, intent) && !mentions(sentence, refused)) {
			struct fragment f = { .text = STRBUF_INIT };
			size_t sl;

			drop_period(sentence);
			sl = strlen(sentence);
			if (sl >= 3 && strcmp(sentence + sl - 3, "。") == 0)
				sentence[sl - 3] = '\0';
			strbuf_adds(&f.text, sentence);
			struct row one = { .cells = &f, .n_cells = 1, .task = -1 };
			added += imd_measure_from_item(o, pm, &one, false) != NULL;
			strbuf_release(&f.text);
		}
		free(sentence);
	}
	return added;
}
