#include "config.h"

#include <errno.h>
#include <time.h>

#include "furikaeri/wake.h"

void
wake_wait(pthread_mutex_t *lock, pthread_cond_t *cond, long ms, const bool *stop,
	  const bool *kicked)
{
	struct timespec until;

	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += ms / 1000;
	until.tv_nsec += (ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	while (!*stop && (kicked == NULL || !*kicked) &&
	       pthread_cond_timedwait(cond, lock, &until) != ETIMEDOUT)
		;
}
