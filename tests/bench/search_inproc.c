#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "furikaeri/store.h"
#include "furikaeri/xalloc.h"

/* Search without the process around it: opens the store once and times
 * store_search for each query, to tell the engine's cost from the cost of
 * starting `furikaeri search` once per query. It asks for what the command
 * shows by default: the best 10. */
#define SEARCH_INPROC_LIMIT 10

static double
search_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static int
search_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int
main(int argc, char **argv)
{
	struct store *st;
	char *err = NULL, line[1024];
	double *ms = NULL, t0;
	size_t n = 0, hits = 0, failed = 0;
	FILE *f;

	if (argc != 3) {
		fputs("usage: search_inproc DATABASE QUERIES\n", stderr);
		return 2;
	}
	t0 = search_now_ms();
	if ((st = store_open(argv[1], &err)) == NULL) {
		fprintf(stderr, "search_inproc: %s\n", err);
		return 1;
	}
	double open_ms = search_now_ms() - t0;
	if ((f = fopen(argv[2], "r")) == NULL) {
		perror(argv[2]);
		return 1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		struct store_rows rows;
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '\0')
			continue;
		t0 = search_now_ms();
		if (store_search(st, line, SEARCH_INPROC_LIMIT, &rows, &err) < 0) {
			fprintf(stderr, "search_inproc: %s\n", err);
			free(err);
			err = NULL;
			failed++;
		} else {
			hits += rows.n;
			store_rows_free(&rows);
		}
		ms = xreallocarray(ms, n + 1, sizeof(double));
		ms[n++] = search_now_ms() - t0;
	}
	fclose(f);
	store_free(st);
	qsort(ms, n, sizeof(double), search_cmp);
	printf("queries=%zu open_ms=%.2f median_ms=%.3f p95_ms=%.3f hits=%zu failed=%zu\n", n,
	       open_ms, n > 0 ? ms[(n - 1) / 2] : 0.0, n > 0 ? ms[(n * 95 + 99) / 100 - 1] : 0.0,
	       hits, failed);
	free(ms);
	return failed > 0;
}
