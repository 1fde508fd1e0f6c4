#ifndef FURIKAERI_UI_H
#define FURIKAERI_UI_H

#include <stdbool.h>

#include "furikaeri/session.h"

/* The meeting screen (ncursesw). */

struct ui_options {
	bool no_color;		/* NO_COLOR is set: attributes only */
	const char *editor;	/* $VISUAL / $EDITOR for Ctrl-E, or NULL for vi */
	/* Columns of East Asian ambiguous characters in this terminal (1 or 2);
	 * 0: 2 in CJK locales, else 1. At 2 the screen's own marks and lines
	 * are drawn in ASCII so that the layout stays aligned. */
	int ambiguous_width;
	/* Key rebinding: action name -> key name pairs from the config file. */
	const char *const *bindings;
	size_t n_bindings;
};

/* Runs the meeting screen until /quit. The session is borrowed. Returns 0,
 * or -1 with *err when the terminal cannot be used. */
int ui_run(struct session *s, const struct ui_options *opt, char **err);

/* The OOM hook: puts the terminal back before the process aborts. */
void ui_emergency_restore(void);

#endif
