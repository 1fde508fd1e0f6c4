#include "config.h"

#include "fake_clock.h"

static time_t
wall(void *ctx)
{
	struct fake_clock *c = ctx;

	return c->epoch + (time_t)(c->ms / 1000);
}

long long
fake_clock_ms(void *ctx)
{
	return ((struct fake_clock *)ctx)->ms;
}

static void
sleep_ms(void *ctx, long ms)
{
	struct fake_clock *c = ctx;

	c->ms += ms;
	c->slept += ms;
	c->sleeps++;
}

struct http_clock
fake_clock_http(struct fake_clock *c)
{
	return (struct http_clock){ .now = wall, .now_ms = fake_clock_ms, .sleep_ms = sleep_ms,
				    .ctx = c };
}
