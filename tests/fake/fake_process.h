#ifndef FURIKAERI_FAKE_PROCESS_H
#define FURIKAERI_FAKE_PROCESS_H

/* What the fakes run as processes (fake_chat_server, fake_tracker_server)
 * share: serving until a signal, and asking a fake something from the shell
 * tests, which then need no curl. */

/* Holds SIGTERM and SIGINT back from every thread started after it (call
 * it before the server starts), for fake_process_serve to take. */
void fake_process_hold_signals(void);
/* Prints url on a line of its own, flushed, then returns when SIGTERM or
 * SIGINT comes. */
void fake_process_serve(const char *url);
/* One request: a POST of form (url-encoded) when form is not NULL, else a
 * GET. Prints the answer's body, or what went wrong; 0 on a 200. */
int fake_process_ask(const char *url, const char *form);

#endif
