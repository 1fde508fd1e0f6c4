#ifndef FURIKAERI_SHA1_H
#define FURIKAERI_SHA1_H

#include <stddef.h>
#include <stdint.h>

/* SHA-1 (FIPS 180-4) of a short message, for name-based identifiers (a
 * Linear issue's id made from its marker), never for security. */
void sha1_digest(const void *data, size_t len, uint8_t out[20]);

#endif
