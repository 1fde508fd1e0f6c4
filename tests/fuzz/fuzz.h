#ifndef FURIKAERI_FUZZ_H
#define FURIKAERI_FUZZ_H

#include <stddef.h>
#include <stdint.h>

/* The libFuzzer entry point every tests/fuzz/fuzz_<name>.c defines. The
 * same file links with libFuzzer's main (fuzz_<name>, --enable-fuzzers) or
 * with replay.c (replay_<name>, in make check), which feeds it the seed
 * corpus and the saved crashes of tests/fuzz/regressions/<name>/. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The bytes as a NUL-terminated copy (owned). */
char *fuzz_string(const uint8_t *data, size_t size);

#endif
