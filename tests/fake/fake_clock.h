#ifndef FURIKAERI_FAKE_CLOCK_H
#define FURIKAERI_FAKE_CLOCK_H

#include <time.h>

#include "furikaeri/http.h"

/* The test's clock for the HTTP clients: it moves only when the client
 * sleeps (the retry policy's waits, Retry-After) or the test moves it, so
 * a test of backoff takes no real time. */
struct fake_clock {
	time_t epoch;		/* the wall clock at ms 0 */
	_Atomic long long ms;	/* read by the fakes' threads too */
	long long slept;	/* ms the client slept, in all */
	int sleeps;		/* how many times it slept */
};

/* The client's view of c (c must outlive it). */
struct http_clock fake_clock_http(struct fake_clock *c);
/* c's milliseconds, for the fakes (fake_tracker_new's clock). */
long long fake_clock_ms(void *c);

#endif
