#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "furikaeri/header.h"

/* The line a terminal of cols columns shows, from the layout. */
static void
render(const struct header_cell *cells, int cols, char *line)
{
	struct header_place at[HEADER_FIELDS];

	header_layout(cells, cols, at);
	memset(line, ' ', (size_t)cols);
	line[cols] = '\0';
	for (int f = 0; f < HEADER_FIELDS; f++) {
		if (at[f].text == NULL)
			continue;
		size_t n = strlen(at[f].text);
		assert_true(at[f].x >= 0);
		assert_true(at[f].x + (int)n <= cols);
		memcpy(line + at[f].x, at[f].text, n);
	}
	while (cols > 0 && line[cols - 1] == ' ')
		line[--cols] = '\0';
}

static void
fill(struct header_cell *c, bool chat)
{
	memset(c, 0, sizeof(*c) * HEADER_FIELDS);
	c[HEADER_ITEM].full = "item 0:51/1:00 near";
	c[HEADER_MEETING].full = "meeting 1:09/5:00";
	c[HEADER_WEEK] = (struct header_cell){ "furikaeri  2026-W50 review", "2026-W50" };
	c[HEADER_FACILITATOR] = (struct header_cell){ "facilitator Aoi (backup Ken)",
						      "Aoi (backup Ken)" };
	if (chat)
		c[HEADER_CHAT] = (struct header_cell){ "chat: connected", "chat ok" };
}

/* Every field that shows is whole and apart from its neighbours. */
static void
assert_apart(const struct header_cell *c, int cols)
{
	struct header_place at[HEADER_FIELDS];
	char used[256] = { 0 };

	header_layout(c, cols, at);
	for (int f = 0; f < HEADER_FIELDS; f++) {
		if (at[f].text == NULL)
			continue;
		int end = at[f].x + (int)strlen(at[f].text);
		for (int x = at[f].x - 1; x <= end; x++)
			if (x >= 0 && x < cols) {
				assert_int_equal(used[x], 0);
				if (x >= at[f].x && x < end)
					used[x] = 1;
			}
	}
}

static void
test_wide_shows_everything_in_full(void **state)
{
	struct header_cell c[HEADER_FIELDS];
	char line[256];

	(void)state;
	fill(c, true);
	render(c, 200, line);
	assert_non_null(strstr(line, " furikaeri  2026-W50 review   facilitator Aoi (backup Ken)   "
				     "chat: connected   "));
	assert_non_null(strstr(line, "   item 0:51/1:00 near   meeting 1:09/5:00"));
	assert_int_equal(strlen(line), 199);
}

/* The clocks show at every width from 80 up, with chat or without; the
 * facilitator and the chat state shorten first. */
static void
test_clocks_always_show(void **state)
{
	struct header_cell c[HEADER_FIELDS];
	char line[256];

	(void)state;
	for (int chat = 0; chat < 2; chat++) {
		fill(c, chat);
		for (int cols = 80; cols <= 200; cols++) {
			render(c, cols, line);
			assert_non_null(strstr(line, "item 0:51/1:00 near"));
			assert_non_null(strstr(line, "meeting 1:09/5:00"));
			assert_non_null(strstr(line, "2026-W50"));
			assert_non_null(strstr(line, "Aoi (backup Ken)"));
			if (chat && strstr(line, "chat") == NULL)
				fail_msg("%d: [%s]", cols, line);
			assert_apart(c, cols);
		}
	}
	fill(c, true);
	render(c, 80, line);
	assert_string_equal(line, " 2026-W50  Aoi (backup Ken)  chat ok     item 0:51/1:00 near  meeting 1:09/5:00");
	fill(c, false);
	render(c, 80, line);
	assert_string_equal(line, " 2026-W50  facilitator Aoi (backup Ken)  item 0:51/1:00 near  meeting 1:09/5:00");
}

/* Too narrow for anything else: the clocks still show, the rest goes. */
static void
test_narrow_keeps_the_clocks(void **state)
{
	struct header_cell c[HEADER_FIELDS];
	char line[256];

	(void)state;
	fill(c, true);
	c[HEADER_READONLY] = (struct header_cell){ "READ-ONLY (open in pid 42)", "READ-ONLY" };
	render(c, 61, line);
	assert_string_equal(line, " 2026-W50  READ-ONLY  item 0:51/1:00 near  meeting 1:09/5:00");
	render(c, 40, line);
	assert_string_equal(line, " item 0:51/1:00 near  meeting 1:09/5:00");
}

static void
test_chat_brief(void **state)
{
	char buf[40];

	(void)state;
	header_chat_brief("connected", buf, sizeof(buf));
	assert_string_equal(buf, "chat ok");
	header_chat_brief("rate-limited until 10:42", buf, sizeof(buf));
	assert_string_equal(buf, "chat rate-limited");
	header_chat_brief("refused: invalid_auth", buf, sizeof(buf));
	assert_string_equal(buf, "chat refused");
	header_chat_brief("catching up (3)", buf, sizeof(buf));
	assert_string_equal(buf, "chat catching up");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_wide_shows_everything_in_full),
		cmocka_unit_test(test_clocks_always_show),
		cmocka_unit_test(test_narrow_keeps_the_clocks),
		cmocka_unit_test(test_chat_brief),
	};

	return cmocka_run_group_tests_name("header", tests, NULL, NULL);
}
