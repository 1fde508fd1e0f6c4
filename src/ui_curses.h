#ifndef FURIKAERI_UI_CURSES_H
#define FURIKAERI_UI_CURSES_H

/* The one place that includes curses: the wide-character API of ncursesw.
 * Only src/ui*.c include this header. */
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>

#endif
