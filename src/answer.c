#include "config.h"

#include <stdlib.h>

#include "furikaeri/answer.h"
#include "furikaeri/text.h"

static void
keep(struct answer *a, uint32_t cp)
{
	char buf[4];
	size_t n = text_utf8_encode(cp, buf);

	strbuf_add(&a->aside, buf, n);
}

static enum answer_result
waiting(struct answer *a, enum answer_key kind, uint32_t cp)
{
	if (kind == ANSWER_KEY_OTHER)
		return ANSWER_TAKEN;
	if (kind == ANSWER_KEY_TEXT && cp != 'y' && cp != 'Y' && cp != 'n' && cp != 'N') {
		a->state = ANSWER_STRAY;
		keep(a, cp);
		return ANSWER_TAKEN;
	}
	a->state = ANSWER_AFTER;
	a->followed = false;
	return kind == ANSWER_KEY_TEXT && (cp == 'y' || cp == 'Y') ? ANSWER_YES : ANSWER_NO;
}

static enum answer_result
stray(struct answer *a, enum answer_key kind, uint32_t cp)
{
	switch (kind) {
	case ANSWER_KEY_TEXT:
		keep(a, cp);
		return ANSWER_TAKEN;
	case ANSWER_KEY_ENTER:
		/* the stray line ends; the question is still up */
		a->state = ANSWER_WAITING;
		return ANSWER_TAKEN;
	case ANSWER_KEY_CANCEL:
		a->state = ANSWER_AFTER;
		a->followed = false;
		return ANSWER_NO;
	case ANSWER_KEY_OTHER:
		break;
	}
	return ANSWER_TAKEN;
}

/* After the answer: the rest of the word and its Enter, if they come
 * without a pause. */
static enum answer_result
after(struct answer *a, enum answer_key kind, uint32_t cp, long long gap)
{
	long long limit = a->followed ? ANSWER_PAUSE_MS : ANSWER_FOLLOW_MS;

	a->followed = true;
	if (gap > limit || (kind != ANSWER_KEY_TEXT && kind != ANSWER_KEY_ENTER)) {
		a->state = ANSWER_IDLE;
		return ANSWER_PASS;
	}
	if (kind == ANSWER_KEY_ENTER) {
		a->state = ANSWER_IDLE;
		return ANSWER_TAKEN;
	}
	keep(a, cp);
	return ANSWER_TAKEN;
}

enum answer_result
answer_key(struct answer *a, bool asking, enum answer_key kind, uint32_t cp, long long now_ms)
{
	long long gap = now_ms - a->last_ms;

	a->last_ms = now_ms;
	if (asking && (a->state == ANSWER_IDLE || a->state == ANSWER_AFTER))
		a->state = ANSWER_WAITING;
	if (!asking && (a->state == ANSWER_WAITING || a->state == ANSWER_STRAY))
		a->state = ANSWER_IDLE;	/* the question went away by itself */
	switch (a->state) {
	case ANSWER_WAITING:
		return waiting(a, kind, cp);
	case ANSWER_STRAY:
		return stray(a, kind, cp);
	case ANSWER_AFTER:
		return after(a, kind, cp, gap);
	case ANSWER_IDLE:
		break;
	}
	return ANSWER_PASS;
}

char *
answer_take_aside(struct answer *a)
{
	if (a->aside.len == 0)
		return NULL;
	return strbuf_detach(&a->aside);
}

void
answer_release(struct answer *a)
{
	strbuf_release(&a->aside);
}
