#ifndef FURIKAERI_WAKE_H
#define FURIKAERI_WAKE_H

#include <pthread.h>
#include <stdbool.h>

/* The sleep of a background worker (tickets, chat): a timed wait on its
 * condition that a stop, or a kick, cuts short. */

/* With lock held: waits on cond until ms have passed, *stop is true, or
 * *kicked is true (kicked may be NULL). The lock is held again on return;
 * whoever sets the flags signals cond under the lock. */
void wake_wait(pthread_mutex_t *lock, pthread_cond_t *cond, long ms, const bool *stop,
	       const bool *kicked);

#endif
