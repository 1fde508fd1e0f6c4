#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/agenda.h"
#include "furikaeri/command.h"
#include "furikaeri/strbuf.h"
#include "furikaeri/header.h"
#include "furikaeri/text.h"
#include "furikaeri/xalloc.h"
#include "ui_private.h"

#define MIN_COLS 60
#define MIN_LINES 16

static bool colors_on;
static bool ambiguous_wide;

/* Ambiguous-width characters the screen uses, with one-column ASCII
 * stand-ins for terminals that draw them two columns wide. */
static const struct {
	const char *mark;
	const char *ascii;
} ambiguous[] = {
	{ "\xE2\x80\xA6", "~" },	/* … */
	{ "\xE2\x96\xB6", ">" },	/* ▶ */
	{ "\xE2\x86\x92", ">" },	/* → */
	{ "\xE2\x80\x93", "-" },	/* – */
	{ "\xE2\x80\x94", "-" },	/* — */
	{ "\xE2\x80\xA2", "*" },	/* • */
	{ "\xE2\x94\x80", "-" },	/* ─ */
	{ "\xE2\x94\x82", "|" },	/* │ */
	{ "\xC2\xB7", "." },		/* · */
	{ "\xE2\x80\x9C", "\"" },	/* “ */
	{ "\xE2\x80\x9D", "\"" },	/* ” */
	{ "\xE2\x80\x98", "'" },	/* ‘ */
	{ "\xE2\x80\x99", "'" },	/* ’ */
	{ "\xE2\x97\x8B", "o" },	/* ○ */
	{ "\xE2\x97\x8F", "*" },	/* ● */
	{ "\xE2\x80\xBB", "*" },	/* ※ */
};

void
ui_set_ambiguous_width(int width)
{
	ambiguous_wide = width == 2;
}

const char *
ui_mark(const char *mark)
{
	if (ambiguous_wide)
		for (size_t i = 0; i < sizeof(ambiguous) / sizeof(ambiguous[0]); i++)
			if (strcmp(ambiguous[i].mark, mark) == 0)
				return ambiguous[i].ascii;
	return mark;
}

/* text with the ambiguous characters above in ASCII (owned) */
static char *
ascii_marks(const char *text)
{
	struct strbuf sb = STRBUF_INIT;

	while (*text != '\0') {
		size_t i, n = 0;
		for (i = 0; i < sizeof(ambiguous) / sizeof(ambiguous[0]); i++) {
			n = strlen(ambiguous[i].mark);
			if (strncmp(text, ambiguous[i].mark, n) == 0)
				break;
		}
		if (i < sizeof(ambiguous) / sizeof(ambiguous[0])) {
			strbuf_adds(&sb, ambiguous[i].ascii);
			text += n;
		} else {
			strbuf_addc(&sb, *text++);
		}
	}
	return strbuf_detach(&sb);
}

void
ui_hline(int y, int x, int n)
{
	if (ambiguous_wide)
		mvhline(y, x, '-', n);
	else
		mvhline(y, x, ACS_HLINE, n);
}

void
ui_vline(int y, int x, int n)
{
	if (ambiguous_wide)
		mvvline(y, x, '|', n);
	else
		mvvline(y, x, ACS_VLINE, n);
}

static const struct {
	short fg;
	attr_t mono;
} palette[UI_COLOR_COUNT] = {
	[UI_COLOR_NONE] = { -1, A_NORMAL },
	[UI_COLOR_HEADER] = { -1, A_REVERSE },
	[UI_COLOR_NEAR] = { COLOR_YELLOW, A_BOLD },
	[UI_COLOR_OVER] = { COLOR_RED, A_BOLD | A_UNDERLINE },
	[UI_COLOR_AGREED] = { COLOR_GREEN, A_BOLD },
	[UI_COLOR_FILED] = { COLOR_CYAN, A_BOLD },
	[UI_COLOR_HINT] = { COLOR_MAGENTA, A_BOLD },
	[UI_COLOR_ERROR] = { COLOR_RED, A_BOLD },
	[UI_COLOR_DIM] = { COLOR_BLUE, A_DIM },
};

void
ui_colors_init(bool no_color)
{
	colors_on = !no_color && has_colors();
	if (!colors_on)
		return;
	start_color();
	use_default_colors();
	for (int i = 1; i < UI_COLOR_COUNT; i++)
		init_pair((short)i, palette[i].fg, -1);
}

attr_t
ui_attr(enum ui_color c)
{
	if (c == UI_COLOR_HEADER)
		return A_REVERSE;
	if (!colors_on || c == UI_COLOR_NONE)
		return palette[c].mono;
	return COLOR_PAIR(c) | (c == UI_COLOR_DIM ? A_NORMAL : A_BOLD);
}

void
ui_clear(int y, int x, int width)
{
	if (width > 0)
		mvhline(y, x, ' ', width);
}

/* Code points a terminal may draw joined to the one before, or not, so
 * that curses and the terminal would count different widths. */
static bool
joins(uint32_t cp)
{
	return (cp >= 0x1F3FB && cp <= 0x1F3FF) || cp == 0xFE0F || cp == 0xFE0E ||
	       (cp >= 0xE0020 && cp <= 0xE007F);
}

char *
ui_drawable(const char *text)
{
	struct strbuf sb = STRBUF_INIT;
	size_t len = strlen(text), i = 0;
	uint32_t cp;

	/* an emoji sequence is drawn as its first emoji: terminals draw a ZWJ
	 * sequence, a skin tone or a variation selector in one or two cells
	 * as they please, curses counts every part, and the layout must not
	 * depend on which */
	while (i < len) {
		size_t n = text_utf8_decode(text + i, len - i, &cp);
		if (cp == 0x200D) {
			i += n;
			if (i < len)
				i += text_utf8_decode(text + i, len - i, &cp);
			continue;
		}
		if (!joins(cp))
			strbuf_add(&sb, text + i, n);
		i += n;
	}
	return strbuf_detach(&sb);
}

int
ui_put(int y, int x, int width, const char *text, attr_t attr)
{
	char *drawable = ui_drawable(text != NULL ? text : "");
	char *clean = text_sanitize(drawable, false);

	free(drawable);
	/* what does not fit ends in "…" rather than vanishing unseen */
	char *safe = width > 1 ? text_truncate(clean, (size_t)width) : xstrdup(clean);
	if (ambiguous_wide) {
		char *ascii = ascii_marks(safe);
		free(safe);
		safe = ascii;
	}
	size_t len = strlen(safe), i = 0;
	wchar_t buf[256];
	int used = 0, nb = 0;
	uint32_t cp;

	move(y, x);
	attron(attr);
	while (i < len && width > 0) {
		size_t n = text_utf8_decode(safe + i, len - i, &cp);
		int w = text_cp_width(cp);
		if (used + w > width)
			break;
		/* a combining mark with nothing before it would join the border */
		if (w == 0 && used == 0) {
			i += n;
			continue;
		}
		buf[nb++] = (wchar_t)cp;
		used += w;
		i += n;
		if (nb == (int)(sizeof(buf) / sizeof(buf[0])) - 1) {
			addnwstr(buf, nb);
			nb = 0;
		}
	}
	if (nb > 0)
		addnwstr(buf, nb);
	attroff(attr);
	free(safe);
	free(clean);
	return used;
}

bool
ui_too_small(void)
{
	return COLS < MIN_COLS || LINES < MIN_LINES;
}

void
ui_draw_too_small(void)
{
	char msg[128];

	erase();
	/* short lines, so that the message fits the smallest window too */
	snprintf(msg, sizeof(msg), "Terminal %dx%d:", COLS, LINES);
	ui_put(0, 0, COLS, msg, A_BOLD);
	snprintf(msg, sizeof(msg), "needs at least %dx%d.", MIN_COLS, MIN_LINES);
	if (LINES > 1)
		ui_put(1, 0, COLS, msg, A_BOLD);
	if (LINES > 2)
		ui_put(2, 0, COLS, "Make it larger;", A_NORMAL);
	if (LINES > 3)
		ui_put(3, 0, COLS, "everything is saved.", A_NORMAL);
	refresh();
}


const char *
ui_item_mark(const struct agenda_item *it)
{
	switch (it->state) {
	case AGENDA_DONE:
		return "✓";
	case AGENDA_CURRENT:
		return "▶";
	case AGENDA_SKIPPED:
		return "–";
	case AGENDA_CARRIED:
		return "→";
	default:
		return it->if_time ? "?" : " ";
	}
}

char *
ui_item_label(const struct session *s, const struct agenda_item *it)
{
	if (it->kind == AGENDA_FOLLOWUPS)
		return xasprintf("Follow-ups (%zu open)", session_followups(s)->n);
	if (it->kind == AGENDA_POSTMORTEM && it->pm_id != NULL)
		return xasprintf("%s %s", it->pm_id, it->title);
	return xstrdup(it->title);
}

