#ifndef FURIKAERI_HASH_H
#define FURIKAERI_HASH_H

#include <stddef.h>
#include <stdint.h>

/* The one hash of the program: FNV-1a, 64 bits. Not for secrets: it names
 * content (an import's "unchanged", a webhook post's key, a salt of the
 * data files), where what counts is that equal input hashes equal. */

#define HASH_INIT 0xcbf29ce484222325ull

/* h folded over n bytes. */
uint64_t hash_bytes(uint64_t h, const void *buf, size_t n);
/* h folded over s's bytes and its terminating NUL, so that fields hashed
 * one after another cannot run together; NULL hashes as "\x01". */
uint64_t hash_field(uint64_t h, const char *s);

#endif
