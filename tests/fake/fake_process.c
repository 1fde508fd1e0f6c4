#include "config.h"

#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "fake_process.h"
#include "furikaeri/http.h"

static void
stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGINT);
}

void
fake_process_hold_signals(void)
{
	sigset_t set;

	stop_signals(&set);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
}

void
fake_process_serve(const char *url)
{
	sigset_t set;
	int sig;

	stop_signals(&set);
	printf("%s\n", url);
	fflush(stdout);
	sigwait(&set, &sig);
}

int
fake_process_ask(const char *url, const char *form)
{
	struct http_client *c = http_client_new(NULL, NULL);
	const char *headers[] = { "Content-Type: application/x-www-form-urlencoded", NULL };
	struct http_response resp;
	char *err = NULL;
	enum http_error e = http_perform(c, &(struct http_request){
		.method = form != NULL ? "POST" : "GET", .url = url,
		.headers = form != NULL ? headers : NULL, .body = form }, &resp, &err);
	int rc = e == HTTP_OK && resp.status == 200 ? 0 : 1;

	printf("%s\n", e == HTTP_OK ? resp.body : err);
	http_response_release(&resp);
	free(err);
	http_client_free(c);
	return rc;
}
