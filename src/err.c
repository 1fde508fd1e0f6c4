#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "furikaeri/err.h"
#include "furikaeri/xalloc.h"

static char *
vformat(const char *fmt, va_list ap)
{
	va_list copy;
	char *s;
	int n;

	va_copy(copy, ap);
	n = vsnprintf(NULL, 0, fmt, copy);
	va_end(copy);
	if (n < 0)
		return xstrdup("(unformattable message)");
	s = xmalloc((size_t)n + 1);
	vsnprintf(s, (size_t)n + 1, fmt, ap);
	return s;
}

void
err_set(char **err, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return;
	free(*err);
	va_start(ap, fmt);
	*err = vformat(fmt, ap);
	va_end(ap);
}

void
err_prefix(char **err, const char *fmt, ...)
{
	va_list ap;
	char *prefix;

	if (err == NULL)
		return;
	va_start(ap, fmt);
	prefix = vformat(fmt, ap);
	va_end(ap);
	if (*err == NULL) {
		*err = prefix;
		return;
	}
	char *joined = xasprintf("%s: %s", prefix, *err);
	free(prefix);
	free(*err);
	*err = joined;
}
