#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <md4c.h>
#include <yaml.h>

#include "furikaeri/md_adf_write.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/xalloc.h"

/* Deeper Markdown nesting than this goes into the deepest node kept. */
#define W_MAX_DEPTH 48
#define W_MD_DEPTH 256

struct w {
	json_t *stack[W_MAX_DEPTH];	/* open nodes, doc at 0 (borrowed from their parent) */
	bool implicit[W_MAX_DEPTH];	/* a paragraph the converter opened for loose text */
	int top;
	int md_depth;			/* md4c's open blocks */
	bool pushed[256];		/* whether md4c's block at each depth has a node */
	json_t *marks;			/* the open spans' marks, innermost last */
	int code_span;			/* inside `code` */
	struct strbuf raw;		/* a code or HTML block's text */
	bool in_raw;
	const char *title;		/* the front matter's title, or NULL */
	bool title_dropped;
	int ids;			/* localId counter for task lists */
};

static json_t *
node(const char *type)
{
	return json_pack("{s:s, s:[]}", "type", type, "content");
}

static const char *
type_of(json_t *n)
{
	const char *t = json_string_value(json_object_get(n, "type"));

	return t != NULL ? t : "";
}

static bool
is(json_t *n, const char *type)
{
	return strcmp(type_of(n), type) == 0;
}

static json_t *
content(json_t *n)
{
	return json_object_get(n, "content");
}

/* Nodes that hold blocks, so loose text in them needs a paragraph. */
static bool
holds_blocks(json_t *n)
{
	return is(n, "doc") || is(n, "blockquote") || is(n, "listItem") || is(n, "taskItem") ||
	       is(n, "tableCell") || is(n, "tableHeader");
}

static json_t *
top(struct w *w)
{
	return w->stack[w->top];
}

static void
push(struct w *w, json_t *n, bool implicit)
{
	json_array_append_new(content(top(w)), n);
	w->stack[++w->top] = n;
	w->implicit[w->top] = implicit;
}

/* Closes the node on top; a node left empty where ADF wants content gets
 * an empty paragraph. */
static void
pop(struct w *w)
{
	json_t *n = top(w);

	if (w->top == 0)
		return;
	if ((is(n, "listItem") || is(n, "tableCell") || is(n, "tableHeader") ||
	     is(n, "blockquote")) && json_array_size(content(n)) == 0)
		json_array_append_new(content(n), node("paragraph"));
	/* ADF's list item starts with a paragraph (or code): "- - x" gets an empty one */
	if (is(n, "listItem") && !is(json_array_get(content(n), 0), "paragraph") &&
	    !is(json_array_get(content(n), 0), "codeBlock"))
		json_array_insert_new(content(n), 0, node("paragraph"));
	/* a quote or a list item holds no heading in ADF: its words, bold */
	if (is(n, "heading") && w->top > 0 &&
	    (is(w->stack[w->top - 1], "blockquote") || is(w->stack[w->top - 1], "listItem") ||
	     is(w->stack[w->top - 1], "taskItem"))) {
		json_t *m;
		size_t i;
		json_object_set_new(n, "type", json_string("paragraph"));
		json_object_del(n, "attrs");
		json_array_foreach(content(n), i, m) {
			if (!is(m, "text"))
				continue;
			json_t *marks = json_object_get(m, "marks");
			bool code = false, strong = false;
			json_t *x;
			size_t k;
			json_array_foreach(marks, k, x) {
				code = code || is(x, "code");
				strong = strong || is(x, "strong");
			}
			if (code || strong)
				continue;
			if (marks == NULL)
				json_object_set_new(m, "marks", marks = json_array());
			json_array_append_new(marks, json_pack("{s:s}", "type", "strong"));
		}
	}
	w->top--;
}

static void
close_implicit(struct w *w)
{
	if (w->top > 0 && w->implicit[w->top])
		pop(w);
}

/* The node inline content goes into, opening a paragraph where needed. */
static json_t *
inline_target(struct w *w)
{
	if (holds_blocks(top(w)) && w->top + 1 < W_MAX_DEPTH)
		push(w, node("paragraph"), true);
	return top(w);
}

static void
add_inline(struct w *w, json_t *n)
{
	json_array_append_new(content(inline_target(w)), n);
}

/* Text with the open marks; next to text with the same marks it joins it. */
static void
add_text(struct w *w, const char *s, size_t len)
{
	json_t *marks = json_array(), *m, *c, *last;
	size_t i;

	if (len == 0) {
		json_decref(marks);
		return;
	}
	json_array_foreach(w->marks, i, m) {
		/* ADF allows code with a link only; a span without a mark has "" */
		if (is(m, "") || (w->code_span > 0 && !is(m, "code") && !is(m, "link")))
			continue;
		json_array_append_new(marks, json_deep_copy(m));
	}
	c = content(inline_target(w));
	last = json_array_get(c, json_array_size(c) - 1);
	json_t *lm = last != NULL ? json_object_get(last, "marks") : NULL;
	if (last != NULL && is(last, "text") &&
	    (lm != NULL ? json_equal(lm, marks) : json_array_size(marks) == 0)) {
		struct strbuf sb = STRBUF_INIT;
		strbuf_adds(&sb, json_string_value(json_object_get(last, "text")));
		strbuf_add(&sb, s, len);
		json_object_set_new(last, "text", json_stringn(strbuf_str(&sb), sb.len));
		strbuf_release(&sb);
		json_decref(marks);
		return;
	}
	json_t *t = json_pack("{s:s, s:s%}", "type", "text", "text", s, len);
	if (json_array_size(marks) > 0)
		json_object_set_new(t, "marks", marks);
	else
		json_decref(marks);
	add_inline(w, t);
}

static void
add_strs(struct w *w, const char *s)
{
	add_text(w, s, strlen(s));
}

/* An entity's character ("&amp;" -> "&"); an unknown one stays as written. */
static void
add_entity(struct w *w, const char *s, size_t len)
{
	static const struct { const char *name, *text; } named[] = {
		{ "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" },
		{ "&apos;", "'" }, { "&nbsp;", "\xc2\xa0" }, { "&copy;", "\xc2\xa9" },
		{ "&mdash;", "\xe2\x80\x94" }, { "&ndash;", "\xe2\x80\x93" },
		{ "&hellip;", "\xe2\x80\xa6" }, { "&rarr;", "\xe2\x86\x92" },
	};
	char buf[8];
	unsigned long cp;
	char *end;

	for (size_t i = 0; i < sizeof(named) / sizeof(named[0]); i++)
		if (strlen(named[i].name) == len && memcmp(named[i].name, s, len) == 0) {
			add_strs(w, named[i].text);
			return;
		}
	if (len > 3 && s[1] == '#') {
		char *num = xstrndup(s + 2, len - 3);
		cp = (num[0] == 'x' || num[0] == 'X') ? strtoul(num + 1, &end, 16)
						       : strtoul(num, &end, 10);
		bool ok = *end == '\0' && cp > 0 && cp <= 0x10FFFF && !(cp >= 0xD800 && cp <= 0xDFFF);
		free(num);
		if (ok) {
			size_t n = 0;
			if (cp < 0x80) {
				buf[n++] = (char)cp;
			} else if (cp < 0x800) {
				buf[n++] = (char)(0xC0 | (cp >> 6));
				buf[n++] = (char)(0x80 | (cp & 0x3F));
			} else if (cp < 0x10000) {
				buf[n++] = (char)(0xE0 | (cp >> 12));
				buf[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
				buf[n++] = (char)(0x80 | (cp & 0x3F));
			} else {
				buf[n++] = (char)(0xF0 | (cp >> 18));
				buf[n++] = (char)(0x80 | ((cp >> 12) & 0x3F));
				buf[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
				buf[n++] = (char)(0x80 | (cp & 0x3F));
			}
			add_text(w, buf, n);
			return;
		}
	}
	add_text(w, s, len);
}

/* The plain text of inline nodes (a heading's, to compare with the title). */
static void
plain(json_t *n, struct strbuf *sb)
{
	json_t *c;
	size_t i;

	if (json_is_string(json_object_get(n, "text")))
		strbuf_adds(sb, json_string_value(json_object_get(n, "text")));
	json_array_foreach(content(n), i, c)
		plain(c, sb);
}

static bool
is_comment(const char *s)
{
	size_t n = strlen(s);

	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\r'))
		n--;
	return strncmp(s, "<!--", 4) == 0 && n >= 7 && memcmp(s + n - 3, "-->", 3) == 0;
}

/* Text lines as a paragraph with line breaks (an HTML block that is not a comment). */
static void
add_lines(struct w *w, const char *text)
{
	const char *p = text;
	bool first = true;

	while (*p != '\0') {
		size_t n = strcspn(p, "\n");
		if (!first)
			add_inline(w, json_pack("{s:s}", "type", "hardBreak"));
		add_text(w, p, n);
		first = false;
		p += n;
		if (*p == '\n')
			p++;
	}
	close_implicit(w);
}

static char *
attr_text(const MD_ATTRIBUTE *a)
{
	return a->text != NULL ? xstrndup(a->text, a->size) : xstrdup("");
}

static int
enter_block(MD_BLOCKTYPE type, void *detail, void *data)
{
	struct w *w = data;
	json_t *n = NULL;

	if (type == MD_BLOCK_DOC)
		return 0;
	if (++w->md_depth < W_MD_DEPTH)
		w->pushed[w->md_depth] = false;
	if (w->top + 2 >= W_MAX_DEPTH)
		return 0;
	close_implicit(w);
	switch (type) {
	case MD_BLOCK_QUOTE:
		n = node("blockquote");
		break;
	case MD_BLOCK_UL:
		n = node("bulletList");
		break;
	case MD_BLOCK_OL: {
		const MD_BLOCK_OL_DETAIL *d = detail;
		n = node("orderedList");
		if (d->start != 1)
			json_object_set_new(n, "attrs", json_pack("{s:i}", "order", (int)d->start));
		break;
	}
	case MD_BLOCK_LI: {
		const MD_BLOCK_LI_DETAIL *d = detail;
		if (d->is_task) {
			char id[32];
			snprintf(id, sizeof(id), "task-%d", ++w->ids);
			n = node("taskItem");
			json_object_set_new(n, "attrs", json_pack("{s:s, s:s}", "localId", id, "state",
								  d->task_mark == ' ' ? "TODO" : "DONE"));
		} else {
			n = node("listItem");
		}
		break;
	}
	case MD_BLOCK_HR:
		json_array_append_new(content(top(w)), json_pack("{s:s}", "type", "rule"));
		return 0;
	case MD_BLOCK_H: {
		const MD_BLOCK_H_DETAIL *d = detail;
		n = node("heading");
		json_object_set_new(n, "attrs", json_pack("{s:i}", "level", (int)d->level));
		break;
	}
	case MD_BLOCK_CODE: {
		const MD_BLOCK_CODE_DETAIL *d = detail;
		char *lang = attr_text(&d->lang);
		n = node("codeBlock");
		if (lang[0] != '\0')
			json_object_set_new(n, "attrs", json_pack("{s:s}", "language", lang));
		free(lang);
		strbuf_reset(&w->raw);
		w->in_raw = true;
		break;
	}
	case MD_BLOCK_HTML:
		strbuf_reset(&w->raw);
		w->in_raw = true;	/* written when it ends */
		return 0;
	case MD_BLOCK_P:
		n = node("paragraph");
		break;
	case MD_BLOCK_TABLE:
		n = node("table");
		json_object_set_new(n, "attrs", json_pack("{s:b, s:s}", "isNumberColumnEnabled", 0,
							  "layout", "default"));
		break;
	case MD_BLOCK_THEAD:
	case MD_BLOCK_TBODY:
		return 0;	/* rows go straight into the table */
	case MD_BLOCK_TR:
		n = node("tableRow");
		break;
	case MD_BLOCK_TH:
		n = node("tableHeader");
		break;
	case MD_BLOCK_TD:
		n = node("tableCell");
		break;
	default:
		return 0;
	}
	push(w, n, false);
	if (w->md_depth < W_MD_DEPTH)
		w->pushed[w->md_depth] = true;
	return 0;
}

/* A list whose items are all tasks is a task list; a task item's blocks
 * become its inline content (line breaks between), nested task lists
 * following it in the list as ADF nests them. */
static void
settle_list(struct w *w, json_t *list)
{
	json_t *items = content(list), *fixed = json_array(), *item;
	size_t i, tasks = 0;

	json_array_foreach(items, i, item)
		tasks += is(item, "taskItem");
	if (tasks == 0) {
		json_decref(fixed);
		return;
	}
	json_array_foreach(items, i, item) {
		json_t *inl = json_array(), *after = json_array(), *b;
		size_t k;
		bool task = is(item, "taskItem");

		if (task && tasks < json_array_size(items)) {
			/* a list of tasks and plain items: a plain list, the box as text */
			const char *state = json_string_value(
				json_object_get(json_object_get(item, "attrs"), "state"));
			json_t *li = node("listItem");
			json_t *c = content(item), *first = json_array_get(c, 0);
			json_t *box = json_pack("{s:s, s:s}", "type", "text", "text",
						state != NULL && strcmp(state, "DONE") == 0 ? "[x] "
											      : "[ ] ");
			if (first != NULL && is(first, "paragraph"))
				json_array_insert_new(content(first), 0, box);
			else
				json_array_insert_new(c, 0, json_pack("{s:s, s:[o]}", "type", "paragraph",
								      "content", box));
			json_object_set(li, "content", c);
			json_array_append_new(fixed, li);
			json_decref(inl);
			json_decref(after);
			continue;
		}
		if (!task) {
			/* a plain item among tasks: a task not ticked */
			char id[32];
			snprintf(id, sizeof(id), "task-%d", ++w->ids);
			json_object_set_new(item, "type", json_string("taskItem"));
			json_object_set_new(item, "attrs", json_pack("{s:s, s:s}", "localId", id,
								     "state", "TODO"));
		}
		json_array_foreach(content(item), k, b) {
			if (is(b, "taskList")) {
				json_array_append(after, b);
				continue;
			}
			if (json_array_size(inl) > 0)
				json_array_append_new(inl, json_pack("{s:s}", "type", "hardBreak"));
			if (is(b, "paragraph") || is(b, "heading")) {
				json_array_extend(inl, content(b));
			} else {
				struct strbuf sb = STRBUF_INIT;
				plain(b, &sb);
				if (sb.len > 0)
					json_array_append_new(inl, json_pack("{s:s, s:s}", "type",
									     "text", "text",
									     strbuf_str(&sb)));
				strbuf_release(&sb);
			}
		}
		json_object_set_new(item, "content", inl);
		json_array_append(fixed, item);
		json_array_extend(fixed, after);
		json_decref(after);
	}
	if (tasks == json_array_size(items)) {
		char id[32];
		snprintf(id, sizeof(id), "list-%d", ++w->ids);
		json_object_set_new(list, "type", json_string("taskList"));
		json_object_set_new(list, "attrs", json_pack("{s:s}", "localId", id));
	}
	json_object_set_new(list, "content", fixed);
}

static int
leave_block(MD_BLOCKTYPE type, void *detail, void *data)
{
	struct w *w = data;
	json_t *n;

	(void)detail;
	if (type == MD_BLOCK_DOC)
		return 0;
	if (type == MD_BLOCK_HTML && w->in_raw) {
		w->in_raw = false;
		if (!is_comment(strbuf_str(&w->raw))) {
			strbuf_rtrim(&w->raw);
			add_lines(w, strbuf_str(&w->raw));
		}
	}
	bool had = w->md_depth < W_MD_DEPTH && w->pushed[w->md_depth];
	w->md_depth--;
	if (!had) {
		if (type == MD_BLOCK_CODE)
			w->in_raw = false;
		return 0;
	}
	close_implicit(w);
	n = top(w);
	if (type == MD_BLOCK_CODE) {
		w->in_raw = false;
		while (w->raw.len > 0 && strbuf_str(&w->raw)[w->raw.len - 1] == '\n')
			w->raw.len--;
		if (w->raw.len > 0)
			json_array_append_new(content(n), json_pack("{s:s, s:s%}", "type", "text",
								    "text", strbuf_str(&w->raw),
								    w->raw.len));
	}
	if (type == MD_BLOCK_UL || type == MD_BLOCK_OL)
		settle_list(w, n);
	pop(w);
	if (type == MD_BLOCK_H && w->title != NULL && !w->title_dropped &&
	    json_integer_value(json_object_get(json_object_get(n, "attrs"), "level")) == 1) {
		struct strbuf sb = STRBUF_INIT;
		plain(n, &sb);
		if (strcmp(strbuf_str(&sb), w->title) == 0) {
			json_t *c = content(top(w));
			json_array_remove(c, json_array_size(c) - 1);
			w->title_dropped = true;
		}
		strbuf_release(&sb);
	}
	return 0;
}

static int
enter_span(MD_SPANTYPE type, void *detail, void *data)
{
	struct w *w = data;
	json_t *m = NULL;

	switch (type) {
	case MD_SPAN_EM:
		m = json_pack("{s:s}", "type", "em");
		break;
	case MD_SPAN_STRONG:
		m = json_pack("{s:s}", "type", "strong");
		break;
	case MD_SPAN_DEL:
		m = json_pack("{s:s}", "type", "strike");
		break;
	case MD_SPAN_U:
		m = json_pack("{s:s}", "type", "underline");
		break;
	case MD_SPAN_CODE:
		m = json_pack("{s:s}", "type", "code");
		w->code_span++;
		break;
	case MD_SPAN_A: {
		const MD_SPAN_A_DETAIL *d = detail;
		char *href = attr_text(&d->href);
		m = json_pack("{s:s, s:{s:s}}", "type", "link", "attrs", "href", href);
		free(href);
		break;
	}
	case MD_SPAN_IMG: {
		/* the image's alt text, linked to it */
		const MD_SPAN_IMG_DETAIL *d = detail;
		char *src = attr_text(&d->src);
		m = json_pack("{s:s, s:{s:s}}", "type", "link", "attrs", "href", src);
		free(src);
		break;
	}
	default:
		m = json_pack("{s:s}", "type", "");	/* popped with its span */
		break;
	}
	json_array_append_new(w->marks, m);
	return 0;
}

static int
leave_span(MD_SPANTYPE type, void *detail, void *data)
{
	struct w *w = data;

	(void)detail;
	if (type == MD_SPAN_CODE)
		w->code_span--;
	json_array_remove(w->marks, json_array_size(w->marks) - 1);
	return 0;
}

static int
on_text(MD_TEXTTYPE type, const MD_CHAR *text, MD_SIZE size, void *data)
{
	struct w *w = data;

	if (w->in_raw) {
		strbuf_add(&w->raw, text, size);
		return 0;
	}
	switch (type) {
	case MD_TEXT_BR:
		add_inline(w, json_pack("{s:s}", "type", "hardBreak"));
		break;
	case MD_TEXT_SOFTBR:
		/* the line a person wrote stays a line (a "Date: ..." block reads back) */
		if (w->code_span > 0)
			add_strs(w, " ");
		else
			add_inline(w, json_pack("{s:s}", "type", "hardBreak"));
		break;
	case MD_TEXT_NULLCHAR:
		add_strs(w, "\xef\xbf\xbd");
		break;
	case MD_TEXT_ENTITY:
		add_entity(w, text, size);
		break;
	case MD_TEXT_HTML:
		if (!(size >= 7 && memcmp(text, "<!--", 4) == 0 &&
		      memcmp(text + size - 3, "-->", 3) == 0))
			add_text(w, text, size);
		break;
	default:
		add_text(w, text, size);
		break;
	}
	return 0;
}

/* A scalar's or a list's text ("a, b"); a mapping's is empty. Owned. */
static char *
yaml_text(yaml_document_t *doc, yaml_node_t *v)
{
	struct strbuf sb = STRBUF_INIT;
	yaml_node_item_t *it;

	if (v->type == YAML_SCALAR_NODE) {
		strbuf_add(&sb, (const char *)v->data.scalar.value, v->data.scalar.length);
	} else if (v->type == YAML_SEQUENCE_NODE) {
		for (it = v->data.sequence.items.start; it < v->data.sequence.items.top; it++) {
			yaml_node_t *e = yaml_document_get_node(doc, *it);
			if (e == NULL || e->type != YAML_SCALAR_NODE)
				continue;
			if (sb.len > 0)
				strbuf_adds(&sb, ", ");
			strbuf_add(&sb, (const char *)e->data.scalar.value, e->data.scalar.length);
		}
	}
	return strbuf_detach(&sb);
}

static json_t *
cell(const char *type, const char *text)
{
	json_t *p = node("paragraph");

	if (text[0] != '\0')
		json_array_append_new(content(p), json_pack("{s:s, s:s}", "type", "text", "text",
							    text));
	return json_pack("{s:s, s:[o]}", "type", type, "content", p);
}

/* The front matter as a key/value table; *title is set to its title
 * (owned). Returns NULL when yaml is not a YAML mapping. */
static json_t *
front_table(const char *yaml, size_t len, char **title)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root;
	yaml_node_pair_t *pair;
	json_t *table = NULL;

	*title = NULL;
	if (!yaml_parser_initialize(&parser))
		return NULL;
	yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, len);
	if (!yaml_parser_load(&parser, &doc)) {
		yaml_parser_delete(&parser);
		return NULL;
	}
	root = yaml_document_get_root_node(&doc);
	if (root != NULL && root->type == YAML_MAPPING_NODE) {
		table = node("table");
		json_object_set_new(table, "attrs", json_pack("{s:b, s:s}", "isNumberColumnEnabled",
							      0, "layout", "default"));
		for (pair = root->data.mapping.pairs.start; pair < root->data.mapping.pairs.top;
		     pair++) {
			yaml_node_t *k = yaml_document_get_node(&doc, pair->key);
			yaml_node_t *v = yaml_document_get_node(&doc, pair->value);
			if (k == NULL || v == NULL || k->type != YAML_SCALAR_NODE)
				continue;
			char *key = yaml_text(&doc, k), *val = yaml_text(&doc, v);
			if (strcmp(key, "title") == 0 && *title == NULL)
				*title = xstrdup(val);
			json_array_append_new(content(table),
					      json_pack("{s:s, s:[o,o]}", "type", "tableRow", "content",
							cell("tableHeader", key),
							cell("tableCell", val)));
			free(key);
			free(val);
		}
		if (json_array_size(content(table)) == 0) {
			json_decref(table);
			table = NULL;
		}
	} else if (root == NULL) {
		table = json_null();	/* empty front matter: nothing to show */
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	return table;
}

/* Where the front matter between "---" lines is and where the body starts;
 * false when md has none. */
static bool
split_front(const char *md, size_t len, size_t *y_from, size_t *y_len, size_t *body)
{
	size_t at = 0;

	if (len >= 3 && memcmp(md, "\xEF\xBB\xBF", 3) == 0)
		at = 3;
	if (!(len - at >= 4 && (memcmp(md + at, "---\n", 4) == 0 ||
				(len - at >= 5 && memcmp(md + at, "---\r\n", 5) == 0))))
		return false;
	at += md[at + 3] == '\r' ? 5 : 4;
	*y_from = at;
	for (size_t p = at; p < len;) {
		const char *nl = memchr(md + p, '\n', len - p);
		size_t n = nl != NULL ? (size_t)(nl - (md + p)) : len - p;
		size_t t = n > 0 && md[p + n - 1] == '\r' ? n - 1 : n;
		if ((t == 3 && (memcmp(md + p, "---", 3) == 0 || memcmp(md + p, "...", 3) == 0))) {
			*y_len = p - at;
			*body = nl != NULL ? p + n + 1 : len;
			return true;
		}
		p += n + (nl != NULL);
	}
	return false;
}

json_t *
md_adf_write(const char *md, size_t len)
{
	json_t *doc = json_pack("{s:s, s:i, s:[]}", "type", "doc", "version", 1, "content");
	struct w w = { .stack = { doc }, .marks = json_array(), .raw = STRBUF_INIT };
	size_t y_from = 0, y_len = 0, body = 0;
	char *title = NULL;

	if (md == NULL)
		len = 0;
	if (len > 0 && split_front(md, len, &y_from, &y_len, &body)) {
		json_t *table = front_table(md + y_from, y_len, &title);
		if (table == NULL) {
			/* not YAML: kept as it was written */
			json_t *code = json_pack("{s:s, s:{s:s}, s:[]}", "type", "codeBlock", "attrs",
						 "language", "yaml", "content");
			if (y_len > 0)
				json_array_append_new(content(code),
						      json_pack("{s:s, s:s%}", "type", "text", "text",
								md + y_from, y_len));
			json_array_append_new(content(doc), code);
		} else if (!json_is_null(table)) {
			json_array_append_new(content(doc), table);
		} else {
			json_decref(table);
		}
		w.title = title;
	} else {
		body = 0;
	}
	MD_PARSER parser = {
		.abi_version = 0,
		.flags = MD_DIALECT_GITHUB,
		.enter_block = enter_block,
		.leave_block = leave_block,
		.enter_span = enter_span,
		.leave_span = leave_span,
		.text = on_text,
	};
	if (len > body)
		md_parse(md + body, (MD_SIZE)(len - body), &parser, &w);
	json_decref(w.marks);
	strbuf_release(&w.raw);
	free(title);
	return doc;
}
