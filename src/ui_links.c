#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "furikaeri/xalloc.h"
#include "ui_private.h"

/* OSC 8 hyperlinks: curses knows nothing of them, so the links the minutes
 * drew are written again over their text after each refresh. */

/* The links drawn by the last frame that drew the minutes: where they are
 * on the screen, for ui_links_emit. */
struct screen_link {
	int y, x;
	char *url;
};

static struct screen_link *links;
static size_t n_links;
static bool links_fresh;

static void
links_reset(void)
{
	for (size_t i = 0; i < n_links; i++)
		free(links[i].url);
	free(links);
	links = NULL;
	n_links = 0;
}

void
ui_links_add(int y, int x, const char *url)
{
	links = xreallocarray(links, n_links + 1, sizeof(*links));
	links[n_links++] = (struct screen_link){ .y = y, .x = x, .url = xstrdup(url) };
}

void
ui_links_drop_row(int y)
{
	size_t k = 0;

	for (size_t i = 0; i < n_links; i++) {
		if (links[i].y == y)
			free(links[i].url);
		else
			links[k++] = links[i];
	}
	n_links = k;
}

void
ui_links_emit(void)
{
	int cy, cx;

	if (!links_fresh)
		return;
	links_fresh = false;
	if (n_links == 0)
		return;
	getyx(stdscr, cy, cx);
	/* the text is drawn again over itself, now as a hyperlink; DECSC and
	 * DECRC keep the cursor and attributes curses left */
	fputs("\0337\033[0m", stdout);
	for (size_t i = 0; i < n_links; i++)
		printf("\033[%d;%dH\033]8;;%s\033\\%s\033]8;;\033\\", links[i].y + 1, links[i].x + 1,
		       links[i].url, links[i].url);
	printf("\0338\033[%d;%dH", cy + 1, cx + 1);
	fflush(stdout);
}

void
ui_links_begin(void)
{
	links_reset();
	links_fresh = true;
}

void
ui_links_free(void)
{
	links_reset();
}
