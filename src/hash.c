#include "config.h"

#include <string.h>

#include "furikaeri/hash.h"

#define FNV_PRIME 0x100000001b3ull

uint64_t
hash_bytes(uint64_t h, const void *buf, size_t n)
{
	const unsigned char *p = buf;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * FNV_PRIME;
	return h;
}

uint64_t
hash_field(uint64_t h, const char *s)
{
	if (s == NULL)
		s = "\x01";
	return hash_bytes(h, s, strlen(s) + 1);
}
