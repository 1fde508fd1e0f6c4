#ifndef FURIKAERI_ANSWER_H
#define FURIKAERI_ANSWER_H

#include <stdbool.h>
#include <stdint.h>

#include "furikaeri/strbuf.h"

/* A y/n question on the status line takes a whole answer: what a hurried
 * person types around it never becomes an entry. Pure: the caller passes
 * each key and the time it came (milliseconds, any monotonic origin).
 *
 * While the question is up: y or Y answers yes; n, N, Enter, Esc and Ctrl-C
 * answer no. Any other text is not an answer (typed before the screen
 * asked, or meant for the input line): it is kept aside up to its Enter,
 * and the question stays. After an answer, the rest of the answer's word
 * ("nope, not yet") is kept aside too: text whose first key follows the
 * answer within ANSWER_FOLLOW_MS (faster than anyone reads the screen the
 * answer brought) and each next key within ANSWER_PAUSE_MS of the one
 * before, up to and including an Enter. What was kept aside goes to the
 * kill ring (answer_take_aside), never into the minutes. */

#define ANSWER_FOLLOW_MS 300
#define ANSWER_PAUSE_MS 1000

enum answer_key {
	ANSWER_KEY_TEXT,	/* a character (cp) */
	ANSWER_KEY_ENTER,
	ANSWER_KEY_CANCEL,	/* Esc or Ctrl-C */
	ANSWER_KEY_OTHER,	/* arrows, function keys, other control keys */
};

enum answer_result {
	ANSWER_PASS,		/* not the question's: handle the key as usual */
	ANSWER_TAKEN,		/* taken here (kept aside, or ignored) */
	ANSWER_YES,
	ANSWER_NO,
};

enum answer_state {
	ANSWER_IDLE,
	ANSWER_WAITING,		/* the question is up */
	ANSWER_STRAY,		/* up, and text that is not an answer is coming */
	ANSWER_AFTER,		/* answered: the rest of the word may follow */
};

struct answer {
	enum answer_state state;
	long long last_ms;	/* when the last key came */
	bool followed;		/* a key came after the answer */
	struct strbuf aside;	/* text kept aside, for the kill ring */
};

/* One key. asking: a question is on the status line. */
enum answer_result answer_key(struct answer *a, bool asking, enum answer_key kind, uint32_t cp,
			      long long now_ms);
/* The text kept aside since the last call (owned), or NULL when none. */
char *answer_take_aside(struct answer *a);
void answer_release(struct answer *a);

#endif
