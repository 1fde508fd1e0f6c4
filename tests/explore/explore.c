#include "config.h"

/* The fault explorer (issue 20): from a seed, a random schedule of 1 to 3
 * real furikaeri processes on one database (tickets push, tickets file, a
 * minutes import, this week's meeting in the chat, a meeting of another
 * week), against in-process fakes of GitHub, Jira Cloud, Jira Data Center,
 * GitLab, Linear, Slack and Mattermost that break the requests the schedule says, with
 * kill -9 at random moments and a restart; after quiescence (faults off,
 * pushes and a meeting until nothing waits) the invariants:
 *   - every ticket and chat post the store shows as delivered exists
 *     exactly once at its target (counted by marker at the fake), with the
 *     key the fake gave it;
 *   - nothing queued is lost: each row is delivered or visibly waiting
 *     with a reason (refused after a transient fault is lost);
 *   - the fakes hold nothing the store does not know;
 *   - every entry the meeting's screen showed is in the minutes;
 *   - furikaeri remind (issue 22): at most one reminder per measure per
 *     day at the fake, counted by its words, and exactly one for each
 *     measure due once a run with the faults off has been.
 * The schedule comes from the seed alone; the interleaving is real time,
 * so a replay runs the same schedule, not always the same race.
 *
 *   explore --seed N [-v]           one seed, the schedule and the store's
 *                                   history printed
 *   explore --seeds 1,5,9 | --count N [--from S] [--table] [--progress]
 *           [--jobs N]              N seeds at once, each in a process
 *   --no-linear                     no seed goes to Linear: each keeps the
 *                                   tracker it had before Linear was one
 */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../fake/fake_chat.h"
#include "../fake/fake_http.h"
#include "../fake/fake_tracker.h"
#include "furikaeri/deliver.h"

/* 1 to 3 at once; a lease run out has a fourth, later push; the webhook
 * adds one or two */
#define MAX_PROCS 5
#define MAX_RUNS 10
#define MAX_FAULTS 8
#define MAX_QUEUED 5
#define MAX_TYPED 16
#define TODAY "2026-12-01"
#define WEEK "2026-W49"

enum target { T_GITHUB, T_JIRA_CLOUD, T_JIRA_DC, T_GITLAB, T_LINEAR, N_TARGETS };
static const char *const target_names[] = { "github", "jira-cloud", "jira-dc", "gitlab", "linear" };
enum chat_kind { C_NONE, C_SLACK, C_MATTERMOST };
static const char *const chat_names[] = { "none", "slack", "mattermost" };
enum proc_kind { P_PUSH, P_FILE, P_IMPORT, P_MEETING, P_MEETING2, P_WEBHOOK, P_REMIND };
static const char *const proc_names[] = { "tickets push", "tickets file", "import minutes",
					  "meeting", "meeting --week 2026-W47", "post to the webhook",
					  "remind" };

/* The measures `furikaeri remind` finds (a meeting of 2026-W45 agreed
 * them; TODAY is 2026-12-01): due tomorrow, overdue, done, and not due
 * for weeks; only the first two are reminded. Titles the fake's posts are
 * counted by, with no character either service's markup escapes. */
static const struct {
	const char *title;
	const char *owner;
	const char *due;
	const char *status;
	bool due_now;
} remind_measures[] = {
	{ "Rotate the payment keys", "Mei", "2026-12-02", "open", true },
	{ "Alert on queue depth", "Ken", "2026-11-25", "open", true },
	{ "Document the failover", "Mei", "2026-11-20", "done", false },
	{ "Load test the checkout", "Aoi", "2026-12-24", "open", false },
};
#define N_REMIND (sizeof(remind_measures) / sizeof(remind_measures[0]))

/* What a post to the webhook meets (the fake webhook below). */
enum hook_fault { H_OK, H_5XX, H_5XX_STORED, H_429, H_DROP_STORED, H_CLOSE_UNREAD, H_SLOW,
		  N_HOOK_FAULTS };
static const char *const hook_fault_names[] = {
	[H_OK] = "ok", [H_5XX] = "5xx", [H_5XX_STORED] = "5xx-stored", [H_429] = "429",
	[H_DROP_STORED] = "drop-stored", [H_CLOSE_UNREAD] = "close-unread", [H_SLOW] = "slow",
};

/* Measures of the demo week without a ticket, by the store's ids; the first
 * four are pm-2026-031's, which the minutes import names again. */
static const int candidate_measures[] = { 15, 16, 17, 18, 25, 28, 29, 41 };
#define N_PM031 4

struct proc {
	enum proc_kind kind;
	int start_ms;
	int kill_ms;		/* after its start; -1: never */
	int measure;		/* P_FILE */
	bool refused;		/* its config points at a port nobody listens on */
	bool untracked;		/* its config names no tracker: what it files waits */
};

struct sched {
	unsigned long long seed;
	enum target target;
	enum chat_kind chat;
	int recheck_s;
	int timeout_s;
	long lag_ms;
	bool keepalive;
	int n_queued;
	int queued[MAX_QUEUED];
	int n_procs;
	struct proc procs[MAX_PROCS];
	int n_tfaults, n_cfaults, n_rfaults;
	enum fake_fault tfaults[MAX_FAULTS];
	enum fake_fault rfaults[MAX_FAULTS];	/* the tracker's reads: lookups, sync */
	enum fake_chat_fault cfaults[MAX_FAULTS];
	int chat_delay_ms;
	int n_hfaults;
	enum hook_fault hfaults[MAX_FAULTS];
	bool hook_agenda[MAX_PROCS];	/* a webhook process posts the agenda, else the minutes */
	int warp_ms;		/* lease run out at; -1 never */
	const char *shape;	/* a shape's name, or NULL */
	int colleague;		/* a colleague's ticket: the measure, 0 none */
	int slow_ms;
};

/* xorshift64*: the schedule must come from the seed alone, never rand() */
static unsigned long long rng_state;
/* --no-linear: every seed's tracker as before Linear was a target */
static bool no_linear;

static unsigned long long
rng_next(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 2685821657736338717ULL;
}

static int
rng_int(int n)
{
	return (int)(rng_next() % (unsigned long long)n);
}

static bool
rng_chance(int in)
{
	return rng_int(in) == 0;
}

static void
sched_make(struct sched *s, unsigned long long seed)
{
	memset(s, 0, sizeof(*s));
	s->seed = seed;
	rng_state = seed * 0x9E3779B97F4A7C15ULL + 0x2545F4914F6CDD1DULL;
	for (int i = 0; i < 4; i++)
		rng_next();
	/* GitHub or Jira from the stream as before GitLab and Linear were
	 * targets, so a seed keeps its schedule (tests/explore/seeds.sh names
	 * seeds by what they once caught). GitLab takes the GitHub schedules
	 * whose seed is 0 or 3 modulo 5 (its protocol is GitHub's shape: a
	 * marker in the body, a search and the token's own issues); a quarter
	 * of the seeds, by a hash of their own, go to Linear instead. Both are
	 * chosen by the seed, not drawn, so every other choice of every
	 * schedule is what it was. */
	s->target = (enum target)rng_int(3);
	if (s->target == T_GITHUB && (seed % 5 == 0 || seed % 5 == 3))
		s->target = T_GITLAB;
	if (!no_linear) {
		unsigned long long h = seed ^ 0x4c696e656172ULL;

		h += 0x9E3779B97F4A7C15ULL;
		h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ULL;
		h = (h ^ (h >> 27)) * 0x94D049BB133111EBULL;
		if (((h ^ (h >> 31)) & 3) == 0)
			s->target = T_LINEAR;
	}
	s->chat = (enum chat_kind)rng_int(3);
	s->recheck_s = rng_int(2);
	s->timeout_s = 1;
	s->lag_ms = rng_chance(2) ? 2500 : 0;
	s->keepalive = rng_chance(2);
	s->slow_ms = 1500;
	s->warp_ms = -1;
	s->chat_delay_ms = rng_chance(2) ? 300 + rng_int(500) : 0;

	/* queued measures: always one of pm-2026-031's, so an import can re-key */
	int pool[8];
	for (int i = 0; i < 8; i++)
		pool[i] = candidate_measures[i];
	for (int i = 7; i > 0; i--) {
		int j = rng_int(i + 1), t = pool[i];
		pool[i] = pool[j];
		pool[j] = t;
	}
	s->n_queued = 2 + rng_int(MAX_QUEUED - 1);
	for (int i = 0; i < s->n_queued; i++)
		s->queued[i] = pool[i];
	s->queued[0] = candidate_measures[rng_int(N_PM031)];
	for (int i = 1; i < s->n_queued; i++)
		if (s->queued[i] == s->queued[0])
			s->queued[i] = pool[s->n_queued];

	s->n_tfaults = rng_int(MAX_FAULTS + 1);
	for (int i = 0; i < s->n_tfaults; i++) {
		static const enum fake_fault pick[] = {
			FAKE_FAULT_NONE, FAKE_FAULT_NONE, FAKE_FAULT_5XX, FAKE_FAULT_5XX_STORED,
			FAKE_FAULT_429, FAKE_FAULT_DROP, FAKE_FAULT_SLOW, FAKE_FAULT_CLOSE_UNREAD,
			FAKE_FAULT_DROP_REUSED,
		};
		s->tfaults[i] = pick[rng_int(sizeof(pick) / sizeof(pick[0]))];
	}
	if (s->chat != C_NONE) {
		s->n_cfaults = rng_int(MAX_FAULTS + 1);
		for (int i = 0; i < s->n_cfaults; i++) {
			static const enum fake_chat_fault pick[] = {
				FAKE_CHAT_OK, FAKE_CHAT_OK, FAKE_CHAT_OK, FAKE_CHAT_429,
				FAKE_CHAT_DROP_STORED, FAKE_CHAT_5XX_STORED, FAKE_CHAT_DOWN,
				FAKE_CHAT_RATE_LIMITED, FAKE_CHAT_INTERNAL_ERROR,
				FAKE_CHAT_FATAL_ERROR, FAKE_CHAT_SERVICE_UNAVAILABLE,
				FAKE_CHAT_CLOSE_UNREAD,
			};
			s->cfaults[i] = pick[rng_int(sizeof(pick) / sizeof(pick[0]))];
		}
	}

	/* 3, not MAX_PROCS: the draws, and so every seed's schedule, stay as they were */
	s->n_procs = 1 + rng_int(3);
	for (int i = 0; i < s->n_procs; i++) {
		struct proc *p = &s->procs[i];
		int kinds = s->chat != C_NONE ? 5 : 3;

		p->kind = (enum proc_kind)rng_int(kinds);
		/* this week's meeting first when the chat is on: it makes the posts */
		if (i == 0 && s->chat != C_NONE && !rng_chance(4))
			p->kind = P_MEETING;
		p->start_ms = i == 0 ? 0 : rng_int(1500);
		p->kill_ms = rng_chance(3) ? 100 + rng_int(2400) : -1;
		p->measure = s->queued[rng_int(s->n_queued)];
		p->refused = rng_chance(10);
	}
	/* A create in flight past the lease: [http] timeout above the lease's
	 * 15 minutes and a tracker that answers late; the lease's end is
	 * brought forward in the store, as the minutes passing would. */
	if (rng_chance(6)) {
		s->timeout_s = 1200;
		s->slow_ms = 5000;
		s->recheck_s = 1;
		s->warp_ms = 400 + rng_int(400);
		s->n_tfaults = 1;
		s->tfaults[0] = FAKE_FAULT_SLOW_LATE;
		s->procs[0].kind = rng_chance(2) ? P_PUSH : P_FILE;
		s->procs[0].start_ms = 0;
		s->procs[0].kill_ms = -1;
		s->procs[0].refused = false;
		/* takeover, lookups (Jira's two), the create again: a push each */
		s->n_procs = 4;
		for (int i = 1; i < 4; i++)
			s->procs[i] = (struct proc){ .kind = P_PUSH,
						     .start_ms = s->warp_ms + 200 + (i - 1) * 1200,
						     .kill_ms = -1 };
	} else if (rng_chance(5)) {
		/* The reused connection: a create answers 500, the lookups that
		 * follow ride a keep-alive connection, and the create sent again
		 * on it is stored as the server closes it unanswered. A client
		 * that let a create ride it sends it a third time by itself. */
		s->keepalive = true;
		s->recheck_s = 1;
		s->n_tfaults = 2;
		s->tfaults[0] = FAKE_FAULT_5XX;
		s->tfaults[1] = FAKE_FAULT_DROP_REUSED;
		s->n_procs = 3;
		for (int i = 0; i < 3; i++)
			s->procs[i] = (struct proc){ .kind = P_PUSH, .start_ms = i * 1300,
						     .kill_ms = -1 };
	}
	/* The webhook, drawn last so that the draws above, and so every seed's
	 * schedule from before it joined, stay as they were: one or two posts
	 * (the agenda or the minutes), beside the rest, killed or not. */
	if (s->warp_ms < 0 && rng_chance(3)) {
		int n = 1 + rng_int(2);

		for (int i = 0; i < n && s->n_procs < MAX_PROCS; i++) {
			struct proc *p = &s->procs[s->n_procs];

			*p = (struct proc){ .kind = P_WEBHOOK, .start_ms = rng_int(1500),
					    .kill_ms = rng_chance(4) ? rng_int(800) : -1 };
			s->hook_agenda[s->n_procs] = rng_chance(2);
			s->n_procs++;
		}
		s->n_hfaults = rng_int(MAX_FAULTS / 2 + 1);
		for (int i = 0; i < s->n_hfaults; i++)
			s->hfaults[i] = (enum hook_fault)rng_int(N_HOOK_FAULTS);
	}
	/* Two shapes that lead where the faults of a second process live,
	 * drawn after everything else (and only where no other shape was), so
	 * that earlier draws stay as they were; a shape replaces the processes:
	 * - re-key: a create answered too late (unknown), a minutes import
	 *   naming the measure with another marker meanwhile, then pushes;
	 * - two flushers: this week's meeting and another week's, both with
	 *   the chat, whose posts take a while to land;
	 * - push before the root: a ticket filed after a meeting whose thread
	 *   root was never posted. */
	{
		int shape = rng_int(12);

		if (shape == 0 && s->warp_ms < 0 && !s->keepalive) {
			s->recheck_s = 1;
			s->timeout_s = 1;
			s->slow_ms = 1500;
			s->n_tfaults = 1;
			s->tfaults[0] = FAKE_FAULT_SLOW;
			s->n_procs = 5;
			s->procs[0] = (struct proc){ .kind = P_FILE, .start_ms = 0, .kill_ms = -1,
						     .measure = s->queued[0] };
			s->procs[1] = (struct proc){ .kind = P_IMPORT, .start_ms = 400,
						     .kill_ms = -1 };
			for (int i = 2; i < 5; i++)
				s->procs[i] = (struct proc){ .kind = P_PUSH,
							     .start_ms = 2200 + (i - 2) * 1500,
							     .kill_ms = -1 };
			s->n_hfaults = 0;
			s->shape = "re-key";
		} else if (shape == 1 && s->warp_ms < 0 && s->chat != C_NONE && !s->keepalive) {
			s->n_cfaults = 0;
			s->chat_delay_ms = 600;
			s->n_procs = 2;
			s->procs[0] = (struct proc){ .kind = P_MEETING, .start_ms = 0,
						     .kill_ms = -1 };
			s->procs[1] = (struct proc){ .kind = P_MEETING2, .start_ms = 0,
						     .kill_ms = -1 };
			s->n_hfaults = 0;
			s->shape = "two flushers";
		} else if (shape == 2 && s->warp_ms < 0 && s->chat != C_NONE) {
			/* the meeting reaches neither the tracker nor the chat, so its
			 * action's ticket waits and its thread has no root; a push
			 * files the ticket afterwards */
			s->n_tfaults = 0;
			s->n_cfaults = 0;
			s->n_procs = 2;
			s->procs[0] = (struct proc){ .kind = P_MEETING, .start_ms = 0,
						     .kill_ms = -1, .refused = true };
			s->procs[1] = (struct proc){ .kind = P_PUSH, .start_ms = 6000,
						     .kill_ms = -1 };
			s->n_hfaults = 0;
			s->shape = "push before the root";
		}
	}
	/* The tracker's reads (the lookups before a resend, sync's GETs) meet
	 * faults too, drawn after everything else so that earlier draws stay
	 * as they were: a failed lookup is no miss, and must never lead to a
	 * create sent again. Not under a lease run out: that shape's timing
	 * (a push each for the takeover, the lookups, the create) is its
	 * point. */
	if (rng_chance(2) && s->warp_ms < 0) {
		static const enum fake_fault pick[] = {
			FAKE_FAULT_NONE, FAKE_FAULT_5XX, FAKE_FAULT_429, FAKE_FAULT_DROP,
			FAKE_FAULT_SLOW, FAKE_FAULT_CLOSE_UNREAD, FAKE_FAULT_INCOMPLETE,
		};

		s->n_rfaults = 1 + rng_int(MAX_FAULTS);
		for (int i = 0; i < s->n_rfaults; i++)
			s->rfaults[i] = pick[rng_int(sizeof(pick) / sizeof(pick[0]))];
	}
	/* A colleague's ticket, drawn last of all: another furikaeri filed a
	 * measure of pm-2026-031, its create's outcome unknown there, and the
	 * tracker holds the issue; its minutes are imported here, the measure
	 * is filed before this furikaeri has a tracker (it waits), then pushed
	 * (it looks its marker up first, finds the issue, sends nothing), and
	 * tickets sync must read that adopted ticket back from the tracker it
	 * is at. */
	if (s->shape == NULL && s->warp_ms < 0 && rng_chance(8)) {
		int kept = 0;

		s->colleague = candidate_measures[rng_int(N_PM031)];
		for (int i = 0; i < s->n_queued; i++)
			if (s->queued[i] != s->colleague)
				s->queued[kept++] = s->queued[i];
		s->n_queued = kept > 0 ? kept : 1;
		if (kept == 0)
			s->queued[0] = candidate_measures[N_PM031];
		s->n_procs = 3;
		s->procs[0] = (struct proc){ .kind = P_IMPORT, .start_ms = 0, .kill_ms = -1 };
		s->procs[1] = (struct proc){ .kind = P_FILE, .start_ms = 1500, .kill_ms = -1,
					     .measure = s->colleague, .untracked = true };
		s->procs[2] = (struct proc){ .kind = P_PUSH, .start_ms = 3000, .kill_ms = -1 };
		s->n_hfaults = 0;
		s->shape = "a colleague's ticket";
	}
	/* furikaeri remind, drawn last of all so that every earlier draw stays
	 * as it was: one or two runs beside the rest (two at once, or one
	 * killed and run again, must still post one reminder a measure) */
	if (s->chat != C_NONE && rng_chance(2)) {
		int n = 1 + rng_int(2);

		for (int i = 0; i < n && s->n_procs < MAX_PROCS; i++)
			s->procs[s->n_procs++] = (struct proc){
				.kind = P_REMIND, .start_ms = rng_int(1500),
				.kill_ms = rng_chance(3) ? 50 + rng_int(1500) : -1 };
	}
}

static void
sched_print(const struct sched *s, FILE *out)
{
	fprintf(out, "seed %llu: %s, chat %s, recheck_seconds %d, timeout %d s, search lag %ld ms,"
		" keep-alive %s, chat post delay %d ms%s\n", s->seed, target_names[s->target],
		chat_names[s->chat], s->recheck_s, s->timeout_s, s->lag_ms,
		s->keepalive ? "on" : "off", s->chat_delay_ms,
		s->warp_ms >= 0 ? ", lease run out" : "");
	if (s->shape != NULL)
		fprintf(out, "  shape: %s\n", s->shape);
	fprintf(out, "  queued measures:");
	for (int i = 0; i < s->n_queued; i++)
		fprintf(out, " %d", s->queued[i]);
	fprintf(out, "\n  creates meet:");
	for (int i = 0; i < s->n_tfaults; i++)
		fprintf(out, " %s", fake_tracker_fault_name(s->tfaults[i]));
	fprintf(out, "\n  chat posts meet:");
	for (int i = 0; i < s->n_cfaults; i++)
		fprintf(out, " %s", fake_chat_fault_name(s->cfaults[i]));
	if (s->n_rfaults > 0) {
		fprintf(out, "\n  tracker reads meet:");
		for (int i = 0; i < s->n_rfaults; i++)
			fprintf(out, " %s", fake_tracker_fault_name(s->rfaults[i]));
	}
	if (s->n_hfaults > 0) {
		fprintf(out, "\n  webhook posts meet:");
		for (int i = 0; i < s->n_hfaults; i++)
			fprintf(out, " %s", hook_fault_names[s->hfaults[i]]);
	}
	fprintf(out, "\n");
	for (int i = 0; i < s->n_procs; i++) {
		const struct proc *p = &s->procs[i];

		fprintf(out, "  process %d at %d ms: %s", i, p->start_ms, proc_names[p->kind]);
		if (p->kind == P_FILE)
			fprintf(out, " %d", p->measure);
		if (p->kind == P_WEBHOOK)
			fprintf(out, ": %s", s->hook_agenda[i] ? "agenda --post" : "export --post");
		if (p->kill_ms >= 0)
			fprintf(out, ", kill -9 after %d ms and a restart", p->kill_ms);
		if (p->refused)
			fprintf(out, ", connections refused");
		if (p->untracked)
			fprintf(out, ", no tracker configured");
		fprintf(out, "\n");
	}
	if (s->warp_ms >= 0)
		fprintf(out, "  the lease runs out at %d ms (a create slower than 15 min)\n",
			s->warp_ms);
}

/* A stored state's name as the engine's state; the names of a furikaeri
 * from before the engine (filed, posted, sending) too, so that the
 * explorer can be pointed at an older build (FK_BUILDDIR) to show what it
 * finds there. */
static bool
state_of(const char *name, enum deliver_state *state)
{
	if (deliver_state_parse(name, state))
		return true;
	if (name != NULL && (strcmp(name, "filed") == 0 || strcmp(name, "posted") == 0)) {
		*state = DELIVER_DELIVERED;
		return true;
	}
	if (name != NULL && strcmp(name, "sending") == 0) {
		*state = DELIVER_CLAIMED;
		return true;
	}
	return false;
}

static bool
has_kind(const struct sched *s, enum proc_kind kind)
{
	for (int i = 0; i < s->n_procs; i++)
		if (s->procs[i].kind == kind)
			return true;
	return false;
}

/* A fake incoming webhook: answers each post as its script says, and
 * counts the posts it stored by their text. */
#define HOOK_MAX 32
struct hook {
	pthread_mutex_t lock;
	enum hook_fault faults[MAX_FAULTS];
	int n_faults, next;
	char *bodies[HOOK_MAX];
	int counts[HOOK_MAX];
	int n;
	int slow_ms;
};

static void
hook_store(struct hook *h, const char *body)
{
	for (int i = 0; i < h->n; i++)
		if (strcmp(h->bodies[i], body) == 0) {
			h->counts[i]++;
			return;
		}
	if (h->n < HOOK_MAX) {
		h->bodies[h->n] = strdup(body);
		h->counts[h->n++] = 1;
	}
}

static void
hook_handle(void *ctx, const struct fake_http_request *req, struct fake_http_answer *a)
{
	struct hook *h = ctx;
	enum hook_fault f;

	pthread_mutex_lock(&h->lock);
	f = h->next < h->n_faults ? h->faults[h->next++] : H_OK;
	a->action = FAKE_HTTP_REPLY;
	a->status = 200;
	a->body = strdup("ok");
	switch (f) {
	case H_5XX:
		a->status = 500;
		break;
	case H_429:
		a->status = 429;
		a->headers = strdup("Retry-After: 1\r\n");
		break;
	case H_CLOSE_UNREAD:
		a->action = FAKE_HTTP_CLOSE_UNREAD;
		break;
	default:
		hook_store(h, req->body ? req->body : "");
		if (f == H_5XX_STORED)
			a->status = 502;
		else if (f == H_DROP_STORED)
			a->action = FAKE_HTTP_DROP;
		else if (f == H_SLOW)
			a->delay_ms = h->slow_ms;
	}
	pthread_mutex_unlock(&h->lock);
}

static void
hook_free(struct hook *h)
{
	if (h == NULL)
		return;
	for (int i = 0; i < h->n; i++)
		free(h->bodies[i]);
	pthread_mutex_destroy(&h->lock);
	free(h);
}

/* Everything one seed's run has. */
struct run {
	const struct sched *s;
	const char *fk;
	char dir[256], db[300], cfg[300], dead_cfg[300], minutes[300];
	struct fake_http *th, *ch;
	struct fake_tracker *ft;
	struct fake_chat *fc;
	struct fake_http *wh;	/* the webhook */
	struct hook *hook;
	bool verbose;
	bool reacted;		/* Mei's reaction without authority is made */
	char *failures;
	size_t failures_len;
	int n_fail;
	char first[1100];	/* the first failure, for the one-line report */
	/* markers each queued measure ever had */
	char markers[MAX_QUEUED][2][40];
	char import_markers[N_PM031][40];
	/* entries the meeting's screen showed */
	pthread_mutex_t lock;
	char typed[MAX_TYPED][96];
	int n_typed;
	int tmux_n;
	int max_tickets, max_posts, max_hooks;
};

static void
failf(struct run *r, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (r->n_fail++ == 0)
		snprintf(r->first, sizeof(r->first), "%s", buf);
	if (r->verbose)
		fprintf(stderr, "  FAIL: %s\n", buf);
}

static long long
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static long long
fake_now(void *ctx)
{
	(void)ctx;
	return now_ms();
}

static void
sleep_ms(int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

/* Runs argv with stdout and stderr appended to log; returns its pid. */
static pid_t
spawn(char *const argv[], const char *log)
{
	pid_t pid = fork();

	if (pid == 0) {
		int fd = open(log ? log : "/dev/null", O_WRONLY | O_CREAT | O_APPEND, 0600);
		int null = open("/dev/null", O_RDONLY);

		if (fd >= 0) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		if (null >= 0)
			dup2(null, 0);
		execvp(argv[0], argv);
		_exit(127);
	}
	return pid;
}

static int
run_wait(char *const argv[], const char *log)
{
	int st;
	pid_t pid = spawn(argv, log);

	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (f != NULL) {
		fputs(text, f);
		fclose(f);
	}
	chmod(path, 0600);
}

static void
write_config(struct run *r, const char *path, const char *tracker_url, const char *chat_url,
	     const char *hook_url)
{
	const struct sched *s = r->s;
	char buf[2048];
	int n = 0;

	n += snprintf(buf + n, sizeof(buf) - (size_t)n,
		      "[tracker]\ndefault = %s\nrecheck_seconds = %d\n[http]\ntimeout = %d\n"
		      "connect_timeout = 1\n", s->target == T_GITHUB ? "github"
		      : s->target == T_GITLAB ? "gitlab" : s->target == T_LINEAR ? "linear" : "jira",
		      s->recheck_s, s->timeout_s);
	if (s->target == T_LINEAR)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n,
			      "[linear]\nurl = %s/graphql\nteam = ENG\nlabels = postmortem\n",
			      tracker_url);
	else if (s->target == T_GITHUB)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n,
			      "[github]\nurl = %s\nrepo = acme/pay\n", tracker_url);
	else if (s->target == T_GITLAB)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n,
			      "[gitlab]\nurl = %s\nproject = acme/pay\n", tracker_url);
	else
		n += snprintf(buf + n, sizeof(buf) - (size_t)n,
			      "[jira]\nurl = %s\napi = %d\nproject = OPS\n%s", tracker_url,
			      s->target == T_JIRA_CLOUD ? 3 : 2,
			      s->target == T_JIRA_CLOUD ? "email = bot@example.com\n" : "");
	if (s->chat != C_NONE)
		n += snprintf(buf + n, sizeof(buf) - (size_t)n,
			      "[chat]\nservice = %s\nchannel = #postmortems\nurl = %s\n"
			      "poll_seconds = 1\n", chat_names[s->chat], chat_url);
	if (hook_url != NULL)
		snprintf(buf + n, sizeof(buf) - (size_t)n,
			 "[minutes]\nwebhook_url = %s/services/T0/B0/secret\n", hook_url);
	write_file(path, buf);
}

static sqlite3 *
db_open(struct run *r)
{
	sqlite3 *db = NULL;

	if (sqlite3_open_v2(r->db, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		return NULL;
	}
	sqlite3_busy_timeout(db, 5000);
	return db;
}

/* The first column of the first row of sql as an integer (-1 on error). */
static long long
db_int(struct run *r, const char *sql)
{
	sqlite3 *db = db_open(r);
	sqlite3_stmt *st = NULL;
	long long v = -1;

	if (db != NULL && sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK &&
	    sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void
db_exec(struct run *r, const char *sql)
{
	sqlite3 *db = db_open(r);

	if (db != NULL)
		sqlite3_exec(db, sql, NULL, NULL, NULL);
	sqlite3_close(db);
}

static void
measure_marker(struct run *r, int measure, char *out, size_t size)
{
	sqlite3 *db = db_open(r);
	sqlite3_stmt *st = NULL;

	out[0] = '\0';
	if (db != NULL && sqlite3_prepare_v2(db, "SELECT marker FROM measures WHERE id = ?1", -1,
					     &st, NULL) == SQLITE_OK) {
		sqlite3_bind_int(st, 1, measure);
		if (sqlite3_step(st) == SQLITE_ROW)
			snprintf(out, size, "%s", (const char *)sqlite3_column_text(st, 0));
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/* Another facilitator's minutes of week 2026-W48 that name pm-2026-031's
 * measures again, with markers of their own and the same titles. */
static int
write_minutes(struct run *r)
{
	sqlite3 *db = db_open(r);
	sqlite3_stmt *st = NULL;
	FILE *f = fopen(r->minutes, "w");
	int n = 0;

	if (db == NULL || f == NULL ||
	    sqlite3_prepare_v2(db, "SELECT title FROM measures WHERE id = ?1", -1, &st,
			       NULL) != SQLITE_OK) {
		if (f)
			fclose(f);
		sqlite3_close(db);
		return -1;
	}
	fprintf(f, "{\"format\": \"furikaeri-minutes\", \"format_version\": 2, \"week\": \"2026-W48\","
		" \"facilitator\": \"Ken\", \"backup\": \"Mei\", \"budget_minutes\": 60,"
		" \"started_at\": \"2026-11-24T10:00:00Z\", \"ended_at\": \"2026-11-24T10:50:00Z\","
		" \"attendees\": [\"Ken\", \"Mei\"], \"items\": [{\"kind\": \"postmortem\","
		" \"postmortem\": \"pm-2026-031\", \"title\": \"Payment API timeouts after deploy\","
		" \"source\": null, \"severity\": \"SEV2\", \"date\": \"2026-11-25\", \"state\": \"done\","
		" \"budget_seconds\": 900, \"spent_seconds\": 600, \"carried_over\": false}],"
		" \"entries\": [");
	for (int i = 0; i < N_PM031; i++) {
		char *title;

		sqlite3_reset(st);
		sqlite3_bind_int(st, 1, candidate_measures[i]);
		if (sqlite3_step(st) != SQLITE_ROW)
			continue;
		title = sqlite3_mprintf("%s", sqlite3_column_text(st, 0));
		snprintf(r->import_markers[i], sizeof(r->import_markers[i]), "fk-%016llx%08x%08x",
			 r->s->seed, 0xe4a1u, (unsigned)i);
		fprintf(f, "%s{\"seq\": %d, \"item\": 0, \"kind\": \"action\", \"text\": \"", n ? ", " : "",
			n + 1);
		for (const char *p = title; *p; p++)
			fprintf(f, *p == '"' || *p == '\\' ? "\\%c" : "%c", *p);
		fprintf(f, "\", \"author\": \"Ken\", \"created_at\": \"2026-11-24T10:1%d:00Z\","
			" \"edited_at\": null, \"deleted_at\": null, \"measure\": {\"marker\": \"%s\","
			" \"owner\": \"Mei\", \"due\": \"2026-12-15\", \"status\": \"open\","
			" \"agreed_at\": \"2026-11-24T10:20:00Z\", \"done_at\": null, \"ticket\": null,"
			" \"ticket_url\": null, \"ticket_state\": %s}}", i, r->import_markers[i],
			candidate_measures[i] == r->s->colleague ? "\"unknown\"" : "null");
		sqlite3_free(title);
		n++;
	}
	fprintf(f, "]}\n");
	fclose(f);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return 0;
}

/* The meeting of 2026-W45 that agreed remind_measures (the first
 * meeting's window of 2026-W49 starts that week anyway). */
static void
remind_setup(struct run *r)
{
	db_exec(r, "INSERT INTO meetings (week, facilitator, started_at, ended_at) VALUES"
		   " ('2026-W45', 'Aoi', '2026-11-02T10:00:00Z', '2026-11-02T11:00:00Z');"
		   "INSERT INTO agenda_items (meeting_id, pos, kind, title, state) SELECT id, 1,"
		   " 'topic', 'Reminders', 'done' FROM meetings WHERE week = '2026-W45';");
	for (size_t i = 0; i < N_REMIND; i++) {
		char *sql = sqlite3_mprintf(
			"INSERT INTO measures (title, owner, due, status, origin, marker, created_at,"
			" agreed_at) VALUES (%Q, %Q, %Q, %Q, 'meeting', 'fk-remind-%llu-%d',"
			" '2026-11-02T10:10:00Z', '2026-11-02T10:10:00Z');"
			"INSERT INTO minutes (meeting_id, item_id, seq, kind, body, measure_id,"
			" created_at) SELECT a.meeting_id, a.id, %d, 'action', %Q, last_insert_rowid(),"
			" '2026-11-02T10:10:00Z' FROM agenda_items a WHERE a.title = 'Reminders';",
			remind_measures[i].title, remind_measures[i].owner, remind_measures[i].due,
			remind_measures[i].status, r->s->seed, (int)i, (int)i + 1,
			remind_measures[i].title);

		db_exec(r, sql);
		sqlite3_free(sql);
	}
}

static int
setup(struct run *r)
{
	char log[320], empty[320];
	char *demo[] = { (char *)r->fk, "--db", r->db, "demo", NULL };

	snprintf(log, sizeof(log), "%s/setup.log", r->dir);
	snprintf(empty, sizeof(empty), "%s/empty.ini", r->dir);
	write_file(empty, "");
	if (run_wait(demo, log) != 0)
		return -1;
	for (int i = 0; i < r->s->n_queued; i++) {
		char id[16];
		char *file[] = { (char *)r->fk, "--db", r->db, "--config", empty, "tickets", "file",
				 id, NULL };

		snprintf(id, sizeof(id), "%d", r->s->queued[i]);
		if (run_wait(file, log) != 0)
			return -1;
		measure_marker(r, r->s->queued[i], r->markers[i][0], sizeof(r->markers[i][0]));
	}
	if (has_kind(r->s, P_REMIND))
		remind_setup(r);
	return write_minutes(r);
}

/* tmux, on the seed's own socket */
static int
tmux(struct run *r, int n, const char *a1, const char *a2, const char *a3, const char *a4)
{
	char sock[64];
	char *argv[] = { "tmux", "-L", sock, (char *)a1, (char *)a2, (char *)a3, (char *)a4, NULL };

	snprintf(sock, sizeof(sock), "fkx-%d-%llu-%d", (int)getpid(), r->s->seed, n);
	return run_wait(argv, NULL);
}

static bool
screen_has(struct run *r, int n, const char *text)
{
	char cmd[256], buf[8192];
	size_t len;
	FILE *p;

	snprintf(cmd, sizeof(cmd), "tmux -L fkx-%d-%llu-%d capture-pane -t fk -p 2>/dev/null",
		 (int)getpid(), r->s->seed, n);
	if ((p = popen(cmd, "r")) == NULL)
		return false;
	len = fread(buf, 1, sizeof(buf) - 1, p);
	buf[len] = '\0';
	pclose(p);
	/* text in the input line ("> text") is not taken yet */
	for (char *line = buf, *next; line != NULL; line = next) {
		char *at;

		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if ((at = strstr(line, text)) != NULL && (at - line < 2 || at[-2] != '>'))
			return true;
	}
	return false;
}

static bool
wait_screen(struct run *r, int n, const char *text, int ms)
{
	for (long long end = now_ms() + ms; now_ms() < end; sleep_ms(50))
		if (screen_has(r, n, text))
			return true;
	return false;
}

/* A meeting in a fresh tmux server n; returns the pid of furikaeri. */
static pid_t
meeting_start(struct run *r, int n, const char *week, const char *cfg)
{
	char cmd[2048], pidfile[320];
	pid_t pid = 0;

	snprintf(pidfile, sizeof(pidfile), "%s/meeting-%d.pid", r->dir, n);
	unlink(pidfile);
	snprintf(cmd, sizeof(cmd),
		 "sh -c 'echo $$ >\"%s\"; exec \"$@\"' fk env TERM=screen LC_ALL=C.UTF-8 "
		 "FURIKAERI_LOG=%s/meeting-%d.log %s --db %s --config %s meeting --week %s; sleep 600",
		 pidfile, r->dir, n, r->fk, r->db, cfg, week);
	{
		char sock[64];
		char *argv[] = { "tmux", "-L", sock, "-f", "/dev/null", "new-session", "-d", "-s",
				 "fk", "-x", "150", "-y", "40", cmd, NULL };

		snprintf(sock, sizeof(sock), "fkx-%d-%llu-%d", (int)getpid(), r->s->seed, n);
		if (run_wait(argv, NULL) != 0)
			return -1;
	}
	for (int i = 0; i < 100 && pid <= 0; i++) {
		FILE *f = fopen(pidfile, "r");

		if (f != NULL) {
			if (fscanf(f, "%d", &pid) != 1)
				pid = 0;
			fclose(f);
		}
		if (pid <= 0)
			sleep_ms(20);
	}
	return pid;
}

static void
type_line(struct run *r, int n, const char *text)
{
	{
		char sock[64];
		char *argv[] = { "tmux", "-L", sock, "send-keys", "-t", "fk", "-l", (char *)text, NULL };

		snprintf(sock, sizeof(sock), "fkx-%d-%llu-%d", (int)getpid(), r->s->seed, n);
		run_wait(argv, NULL);
	}
	tmux(r, n, "send-keys", "-t", "fk", "Enter");
}

/* The folder of path (a static copy). */
static const char *
dirname_of(const char *path)
{
	static char buf[512];
	char *slash;

	snprintf(buf, sizeof(buf), "%s", path);
	slash = strrchr(buf, '/');
	if (slash == NULL)
		return ".";
	*slash = '\0';
	return buf;
}

static bool
alive(pid_t pid)
{
	return pid > 0 && kill(pid, 0) == 0;
}

/* One process of the schedule, run by a thread of its own. */
struct worker {
	struct run *r;
	int index, attempt;
	const struct proc *p;
	pthread_t thread;
	_Atomic pid_t pid;
	_Atomic bool done;
	_Atomic bool killed;
	int tmux_n;
};

/* Records an entry the meeting's screen showed. */
static void
typed(struct run *r, const char *text)
{
	pthread_mutex_lock(&r->lock);
	if (r->n_typed < MAX_TYPED)
		snprintf(r->typed[r->n_typed++], sizeof(r->typed[0]), "%s", text);
	pthread_mutex_unlock(&r->lock);
}

/* An attendee who may not agree (Mei) proposes an action in the open
 * item's thread and agrees it with a reaction: the meeting must answer her with
 * one reply only she sees (an ephemeral post), never two. */
static bool
react_without_authority(struct run *r)
{
	const char *mei = r->s->chat == C_SLACK ? "U03MEI" : "mei00000000000000000000000";
	const char *text, *thread, *root = NULL, *ref;

	/* the newest postmortem's thread: the open item's, which the meeting
	 * reads (the meeting stays at its first postmortem) */
	for (size_t k = 0;; k++) {
		const char *at = fake_chat_bot_post(r->fc, k, &text, &thread);

		if (at == NULL)
			break;
		if (thread == NULL && strstr(text, "starts now") == NULL &&
		    strstr(text, "Follow") == NULL && strstr(text, "Wrap") == NULL)
			root = at;
	}
	if (root == NULL)
		return false;	/* no thread yet: the next entry tries again */
	ref = fake_chat_reply(r->fc, root, mei, "action: explore a reaction without authority");
	fake_chat_react(r->fc, ref, "white_check_mark", mei);
	return true;
}

static void
drive_meeting(struct worker *w, const char *week, const char *cfg)
{
	struct run *r = w->r;
	int n = w->tmux_n;
	pid_t pid = meeting_start(r, n, week, cfg);
	char line[96], aside[100];

	w->pid = pid;
	if (pid <= 0)
		return;
	if (wait_screen(r, n, "proposed", 3000))
		tmux(r, n, "send-keys", "-t", "fk", "Enter");
	sleep_ms(300);
	tmux(r, n, "send-keys", "-t", "fk", "C-n");
	sleep_ms(300);
	for (int i = 0; i < 3 && alive(pid); i++) {
		if (i == 1 && w->p->kind == P_MEETING && w->attempt == 0) {
			snprintf(line, sizeof(line), "/action explore %llu measure @Mei due:2026-12-18",
				 r->s->seed);
			type_line(r, n, line);
			sleep_ms(150);
			type_line(r, n, "/ticket 1");
			sleep_ms(150);
		}
		if (w->p->kind == P_MEETING && r->fc != NULL && !r->reacted)
			r->reacted = react_without_authority(r);
		snprintf(line, sizeof(line), "explore %llu %s note p%d.%d.%d", r->s->seed,
			 w->p->kind == P_MEETING ? "w49" : "w47", w->index, w->attempt, i);
		type_line(r, n, line);
		/* an entry the screen shows is one the meeting took: kill -9 must
		 * not lose it; one typed while a question waits (C-n at the last
		 * item asks whether to end) is put aside, and the screen says so,
		 * quoting it: "TEXT" ... was not recorded */
		snprintf(aside, sizeof(aside), "\"%s\"", line);
		if (wait_screen(r, n, line, 1500) && !w->killed && !screen_has(r, n, "READ-ONLY") &&
		    !screen_has(r, n, aside))
			typed(r, line);
		sleep_ms(100);
	}
	sleep_ms(400);
	type_line(r, n, "/quit");
	for (int i = 0; i < 100 && alive(pid); i++)
		sleep_ms(50);
}

static void *
worker_main(void *arg)
{
	struct worker *w = arg;
	struct run *r = w->r;
	const struct proc *p = w->p;
	char empty[320];
	const char *cfg = p->refused ? r->dead_cfg : r->cfg;

	snprintf(empty, sizeof(empty), "%s/empty.ini", r->dir);
	if (p->untracked)
		cfg = empty;
	char log[320], logenv[340], id[16];
	int st;

	snprintf(log, sizeof(log), "%s/p%d-%d.out", r->dir, w->index, w->attempt);
	snprintf(logenv, sizeof(logenv), "FURIKAERI_LOG=%s/p%d-%d.log", r->dir, w->index,
		 w->attempt);
	snprintf(id, sizeof(id), "%d", p->measure);
	if (p->kind == P_MEETING || p->kind == P_MEETING2) {
		drive_meeting(w, p->kind == P_MEETING ? WEEK : "2026-W47", cfg);
	} else if (p->kind == P_REMIND) {
		char *remind[] = { "env", logenv, (char *)r->fk, "--db", r->db, "--config",
				   (char *)cfg, "remind", NULL };
		pid_t pid = spawn(remind, log);

		w->pid = pid;
		if (pid > 0)
			waitpid(pid, &st, 0);
	} else if (p->kind == P_WEBHOOK) {
		char *post[] = { "env", logenv, (char *)r->fk, "--db", r->db, "--config",
				 (char *)cfg, r->s->hook_agenda[w->index] ? "agenda" : "export",
				 "--week", WEEK, "--post", NULL };
		pid_t pid = spawn(post, log);

		w->pid = pid;
		if (pid > 0)
			waitpid(pid, &st, 0);
	} else {
		char *push[] = { "env", logenv, (char *)r->fk, "--db", r->db, "--config",
				 (char *)cfg, "tickets", "push", NULL };
		char *file[] = { "env", logenv, (char *)r->fk, "--db", r->db, "--config",
				 (char *)cfg, "tickets", "file", id, NULL };
		char *import[] = { "env", logenv, (char *)r->fk, "--db", r->db, "--config",
				   (char *)cfg, "import", r->minutes, NULL };
		pid_t pid = spawn(p->kind == P_PUSH ? push : p->kind == P_FILE ? file : import, log);

		w->pid = pid;
		if (pid > 0)
			waitpid(pid, &st, 0);
	}
	w->done = true;
	return NULL;
}

static void
worker_start(struct run *r, struct worker *w, int index, int attempt, const struct proc *p)
{
	memset(w, 0, sizeof(*w));
	w->r = r;
	w->index = index;
	w->attempt = attempt;
	w->p = p;
	w->tmux_n = ++r->tmux_n;
	pthread_create(&w->thread, NULL, worker_main, w);
}

/* Brings the lease of every claimed row to an end, as fifteen minutes would. */
static void
warp_leases(struct run *r)
{
	db_exec(r, "UPDATE ticket_outbox SET lease_until = '2000-01-01T00:00:00Z'"
		   " WHERE state = 'claimed'");
}

static void
run_schedule(struct run *r)
{
	const struct sched *s = r->s;
	struct worker w[MAX_RUNS];
	int n = 0, started[MAX_PROCS] = { 0 }, restarted[MAX_PROCS] = { 0 };
	long long t0 = now_ms(), deadline = t0 + 20000;
	long long killed_at[MAX_PROCS] = { 0 };
	int wi[MAX_PROCS];
	bool warped = false;

	for (;;) {
		long long t = now_ms() - t0;
		bool busy = false;

		for (int i = 0; i < s->n_procs; i++) {
			const struct proc *p = &s->procs[i];

			if (!started[i] && t >= p->start_ms) {
				wi[i] = n;
				worker_start(r, &w[n++], i, 0, p);
				started[i] = 1;
			}
			if (!started[i]) {
				busy = true;
				continue;
			}
			struct worker *cur = &w[wi[i]];

			if (p->kill_ms >= 0 && !restarted[i] && !cur->killed &&
			    t >= p->start_ms + p->kill_ms && cur->pid > 0 && !cur->done) {
				cur->killed = true;
				kill(cur->pid, SIGKILL);
				killed_at[i] = t;
			}
			if (cur->killed && !restarted[i] && t >= killed_at[i] + 100) {
				wi[i] = n;
				worker_start(r, &w[n++], i, 1, p);
				restarted[i] = 1;
			}
			if (!w[wi[i]].done || (p->kill_ms >= 0 && !restarted[i] && !cur->killed &&
					       !cur->done))
				busy = true;
		}
		if (s->warp_ms >= 0 && !warped && t >= s->warp_ms) {
			warp_leases(r);
			warped = true;
		}
		if (!busy || now_ms() > deadline)
			break;
		sleep_ms(10);
	}
	for (int i = 0; i < n; i++) {
		if (!w[i].done && w[i].pid > 0)
			kill(w[i].pid, SIGKILL);
		pthread_join(w[i].thread, NULL);
	}
	for (int i = 1; i <= r->tmux_n; i++)
		tmux(r, i, "kill-server", NULL, NULL, NULL);
}

static long long
pending_tickets(struct run *r)
{
	return db_int(r, "SELECT count(*) FROM ticket_outbox WHERE state NOT IN ('delivered',"
			 " 'filed')");
}

static long long
pending_posts(struct run *r)
{
	long long owed;

	/* a key owed by a ticket delivered after its filer's last flush
	 * (key_post_id: none in a build from before keys were owed) is work
	 * for the next process that reaches the chat, as a queued post is */
	owed = db_int(r, "SELECT count(*) FROM ticket_outbox o WHERE o.state = 'delivered'"
			 " AND o.key_post_id IS NULL AND o.ticket_key IS NOT NULL AND EXISTS"
			 " (SELECT 1 FROM minutes m JOIN chat_posts t ON t.item_id = m.item_id"
			 "  AND t.kind = 'root' WHERE m.measure_id = o.measure_id"
			 "  AND m.kind = 'action')");
	/* an ephemeral reply whose outcome is unknown is settled: nothing can
	 * look it up, so nothing sends it again */
	return db_int(r, "SELECT count(*) FROM chat_posts WHERE state IN ('queued', 'claimed',"
			 " 'sending', 'unknown') AND NOT (kind = 'ephemeral' AND state = 'unknown')")
	       + (owed > 0 ? owed : 0);
}

/* Faults off; pushes (and a meeting for the chat) until nothing is due. */
static void
quiesce(struct run *r)
{
	char log[320], logenv[340];

	fake_tracker_faults(r->ft, NULL, 0);
	fake_tracker_read_faults(r->ft, NULL, 0);
	if (r->fc != NULL) {
		fake_chat_faults(r->fc, NULL, 0);
		fake_chat_post_delay(r->fc, 0);
	}
	snprintf(log, sizeof(log), "%s/quiesce.out", r->dir);
	snprintf(logenv, sizeof(logenv), "FURIKAERI_LOG=%s/quiesce.log", r->dir);
	for (int round = 0; round < 8 && pending_tickets(r) > 0; round++) {
		char *push[] = { "env", logenv, (char *)r->fk, "--db", r->db, "--config", r->cfg,
				 "tickets", "push", NULL };

		run_wait(push, log);
		if (pending_tickets(r) > 0) {
			/* Time passes: an unknown outcome waits out the tracker's
			 * recheck floor (a minute for Jira) before its lookup. The
			 * fake's search lags by lag_ms of real time, so once that
			 * has passed the wait is brought forward in the store, as
			 * the minutes passing would. */
			sleep_ms((int)r->s->lag_ms + 300);
			db_exec(r, "UPDATE ticket_outbox SET next_attempt_at = NULL"
				   " WHERE state IN ('unknown', 'queued')");
		}
	}
	if (r->hook != NULL) {
		pthread_mutex_lock(&r->hook->lock);
		r->hook->n_faults = 0;
		pthread_mutex_unlock(&r->hook->lock);
		for (int i = 0; i < r->s->n_procs; i++) {
			char *post[] = { "env", logenv, (char *)r->fk, "--db", r->db, "--config",
					 r->cfg, r->s->hook_agenda[i] ? "agenda" : "export",
					 "--week", WEEK, "--post", NULL };

			if (r->s->procs[i].kind == P_WEBHOOK)
				run_wait(post, log);
		}
	}
	if (has_kind(r->s, P_REMIND)) {
		char *remind[] = { "env", logenv, (char *)r->fk, "--db", r->db, "--config", r->cfg,
				   "remind", NULL };

		/* the faults are off: what a run left unknown is looked up (or
		 * waits out its recheck, for the meeting below to flush) */
		run_wait(remind, log);
	}
	if (r->fc != NULL) {
		int n = ++r->tmux_n;
		pid_t pid = meeting_start(r, n, WEEK, r->cfg);

		if (wait_screen(r, n, "proposed", 2000))
			tmux(r, n, "send-keys", "-t", "fk", "Enter");
		/* Mei reacts once the postmortem's thread is there (the schedule's
		 * meetings may have ended before); a full read of the open thread,
		 * every third poll, sees it: the meeting stays for one */
		for (int i = 0; i < 40 && !r->reacted; i++) {
			r->reacted = react_without_authority(r);
			sleep_ms(100);
		}
		if (r->reacted)
			sleep_ms(4500);
		for (int i = 0; i < 300 && pending_posts(r) > 0; i++)
			sleep_ms(50);
		type_line(r, n, "/quit");
		for (int i = 0; i < 60 && alive(pid); i++)
			sleep_ms(50);
		if (alive(pid))
			kill(pid, SIGKILL);
		tmux(r, n, "kill-server", NULL, NULL, NULL);
	}
	/* The same day, later: time passes for a reminder a killed run held
	 * (taken over, it waits out one request's time, up to [http] timeout,
	 * before its marker is looked up), as the minutes passing would; the
	 * first run takes it over, the second looks it up and posts or finds
	 * it, and neither may post a reminder twice. */
	for (int round = 0; round < 2 && has_kind(r->s, P_REMIND); round++) {
		char *remind[] = { "env", logenv, (char *)r->fk, "--db", r->db, "--config", r->cfg,
				   "remind", NULL };

		db_exec(r, "UPDATE chat_posts SET next_attempt_at = NULL WHERE kind = 'remind'"
			   " AND state IN ('unknown', 'queued')");
		run_wait(remind, log);
	}
}

static void
check_tickets(struct run *r)
{
	sqlite3 *db = db_open(r);
	sqlite3_stmt *st = NULL;
	size_t counted = 0;

	if (db == NULL || sqlite3_prepare_v2(db,
		"SELECT o.measure_id, o.state, o.ticket_key, o.last_error, m.marker, o.claimed_by"
		" FROM ticket_outbox o LEFT JOIN measures m ON m.id = o.measure_id", -1, &st,
		NULL) != SQLITE_OK) {
		failf(r, "cannot read the store's outbox");
		sqlite3_close(db);
		return;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		int measure = sqlite3_column_int(st, 0);
		const char *name = (const char *)sqlite3_column_text(st, 1);
		const char *key = (const char *)sqlite3_column_text(st, 2);
		const char *why = (const char *)sqlite3_column_text(st, 3);
		const char *marker = (const char *)sqlite3_column_text(st, 4);
		const char *seen[4] = { marker, NULL, NULL, NULL };
		size_t n = 0;
		char *fkey = NULL;
		enum deliver_state state;

		/* every marker the measure had: at setup, now, in the minutes */
		for (int i = 0; i < r->s->n_queued; i++)
			if (r->s->queued[i] == measure)
				seen[1] = r->markers[i][0];
		for (int i = 0; i < N_PM031; i++)
			if (candidate_measures[i] == measure)
				seen[2] = r->import_markers[i];
		for (int i = 0; i < 3; i++) {
			bool dup = false;

			if (seen[i] == NULL || seen[i][0] == '\0')
				continue;
			for (int k = 0; k < i; k++)
				dup = dup || (seen[k] && strcmp(seen[k], seen[i]) == 0);
			if (dup)
				continue;
			size_t c = fake_tracker_stored_with(r->ft, seen[i]);

			n += c;
			if (c > 0 && fkey == NULL)
				fkey = fake_tracker_key_with(r->ft, seen[i]);
		}
		counted += n;
		if ((int)n > r->max_tickets)
			r->max_tickets = (int)n;
		if (!state_of(name, &state)) {
			failf(r, "ticket: measure %d is in a state nobody knows: %s", measure, name);
		} else if (state == DELIVER_DELIVERED) {
			if (n != 1)
				failf(r, "ticket: measure %d is filed as %s but the %s fake holds %zu"
				      " issues with its marker", measure, key ? key : "?",
				      target_names[r->s->target], n);
			else if (key == NULL || fkey == NULL || strcmp(key, fkey) != 0)
				failf(r, "ticket: measure %d is filed as %s but the fake's issue is %s",
				      measure, key ? key : "?", fkey ? fkey : "?");
		} else if (n > 1) {
			failf(r, "ticket: measure %d (%s) has %zu issues at the %s fake", measure,
			      name, n, target_names[r->s->target]);
		} else if (state == DELIVER_CLAIMED || state == DELIVER_REFUSED ||
			   state == DELIVER_FAILED || why == NULL) {
			failf(r, "ticket: measure %d left %s after quiescence (%s)", measure, name,
			      why ? why : "no reason given");
		}
		free(fkey);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	if (fake_tracker_stored(r->ft) != counted)
		failf(r, "ticket: the %s fake holds %zu issues, the store accounts for %zu",
		      target_names[r->s->target], fake_tracker_stored(r->ft), counted);
}

/* A ticket filed for an action of a meeting held in the chat is told in
 * the action's thread: its key post is in the store (posted, or waiting
 * for its root), whoever filed it. */
/* tickets sync reads every filed ticket back from the tracker it went to,
 * one found by its marker (adopted) too: it fails on none. */
static void
check_sync(struct run *r)
{
	char log[320], logenv[340], *out = NULL;
	char *sync[] = { "env", logenv, (char *)r->fk, "--db", r->db, "--config", r->cfg,
			 "tickets", "sync", NULL };
	int rc;

	snprintf(log, sizeof(log), "%s/sync.out", r->dir);
	snprintf(logenv, sizeof(logenv), "FURIKAERI_LOG=%s/sync.log", r->dir);
	rc = run_wait(sync, log);
	if (rc != 0) {
		FILE *f = fopen(log, "r");
		char buf[200] = "";

		if (f != NULL) {
			size_t n = fread(buf, 1, sizeof(buf) - 1, f);

			buf[n] = '\0';
			fclose(f);
		}
		out = buf;
		failf(r, "tickets: sync after quiescence exited %d: %.150s", rc, out);
	}
}

static void
check_keys(struct run *r)
{
	long long missing;

	if (r->fc == NULL)
		return;
	/* per item with a root: tickets filed for its actions, less the key
	 * posts it has (a key is escaped for the chat, so posts are counted,
	 * not searched) */
	missing = db_int(r,
		"SELECT coalesce(sum(max(0, filed - keys)), 0) FROM (SELECT m.item_id,"
		"  count(*) AS filed, (SELECT count(*) FROM chat_posts k WHERE"
		"  k.item_id = m.item_id AND k.kind = 'ticket') AS keys"
		" FROM minutes m JOIN ticket_outbox o ON o.measure_id = m.measure_id"
		" WHERE m.kind = 'action' AND o.state IN ('delivered', 'filed')"
		" AND EXISTS (SELECT 1 FROM chat_posts t WHERE t.item_id = m.item_id"
		"  AND t.kind = 'root') GROUP BY m.item_id)");
	if (missing != 0)
		failf(r, "chat: %lld ticket(s) filed for actions of the meeting never reached"
		      " their thread (no key post)", missing);
}

/* How many ephemeral posts the fake holds for user with text. */
static size_t
ephemerals_of(struct run *r, const char *user, const char *text)
{
	size_t n = 0, total = fake_chat_ephemerals(r->fc, 0, NULL, NULL, NULL);

	for (size_t i = 0; i < total && user != NULL && text != NULL; i++) {
		const char *u, *t;

		fake_chat_ephemerals(r->fc, i, &u, NULL, &t);
		n += strcmp(u, user) == 0 && strcmp(t, text) == 0;
	}
	return n;
}

static void
check_chat(struct run *r)
{
	sqlite3 *db;
	sqlite3_stmt *st = NULL;
	size_t counted = 0, eph_counted = 0;

	if (r->fc == NULL)
		return;
	db = db_open(r);
	/* a build from before issue 22 has no ephemeral posts (no recipient) */
	if (db != NULL && sqlite3_prepare_v2(db,
		"SELECT p.id, p.kind, p.state, p.marker, coalesce(p.last_error, CASE WHEN"
		" r.state NOT IN ('delivered', 'posted') THEN 'waits for its root' END),"
		" p.recipient, p.body FROM chat_posts p"
		" LEFT JOIN chat_posts r ON r.id = p.parent_id WHERE p.kind != 'edit'",
		-1, &st, NULL) != SQLITE_OK)
		st = NULL;
	if (db == NULL || (st == NULL && sqlite3_prepare_v2(db,
		"SELECT p.id, p.kind, p.state, p.marker, coalesce(p.last_error, CASE WHEN"
		" r.state NOT IN ('delivered', 'posted') THEN 'waits for its root' END),"
		" NULL, NULL FROM chat_posts p"
		" LEFT JOIN chat_posts r ON r.id = p.parent_id WHERE p.kind != 'edit'",
		-1, &st, NULL) != SQLITE_OK)) {
		failf(r, "cannot read the store's chat posts");
		sqlite3_close(db);
		return;
	}
	while (sqlite3_step(st) == SQLITE_ROW) {
		int id = sqlite3_column_int(st, 0);
		const char *kind = (const char *)sqlite3_column_text(st, 1);
		const char *name = (const char *)sqlite3_column_text(st, 2);
		const char *marker = (const char *)sqlite3_column_text(st, 3);
		const char *why = (const char *)sqlite3_column_text(st, 4);
		const char *to = (const char *)sqlite3_column_text(st, 5);
		const char *body = (const char *)sqlite3_column_text(st, 6);
		bool ephemeral = strcmp(kind, "ephemeral") == 0;
		size_t n = ephemeral ? ephemerals_of(r, to, body) : fake_chat_count_marker(r->fc, marker);
		enum deliver_state state;

		/* an ephemeral reply is in no history: it carries no marker, so it
		 * is counted by whom it is for and what it says (one per person,
		 * item and kind, each kind its own words) */
		if (!ephemeral)
			counted += n;
		else
			eph_counted += n;
		if (ephemeral && state_of(name, &state) && state == DELIVER_UNKNOWN && n <= 1)
			continue;	/* settled: may have been shown, never sent again */
		if ((int)n > r->max_posts)
			r->max_posts = (int)n;
		if (!state_of(name, &state))
			failf(r, "chat: post %d (%s) is in a state nobody knows: %s", id, kind, name);
		else if (state == DELIVER_DELIVERED ? n != 1 : n > 1)
			failf(r, "chat: post %d (%s, %s) is at the %s fake %zu times", id, kind, name,
			      chat_names[r->s->chat], n);
		else if (state == DELIVER_REFUSED)
			failf(r, "chat: post %d (%s) refused after transient faults only: lost (%s)",
			      id, kind, why ? why : "no reason");
		else if (state != DELIVER_DELIVERED && why == NULL)
			failf(r, "chat: post %d (%s) left %s with no reason", id, kind, name);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
	if (r->verbose)
		fprintf(stderr, "  chat: %zu bot posts, %zu ephemeral replies%s\n", counted, eph_counted,
			r->reacted ? " (Mei reacted)" : "");
	if (fake_chat_ephemerals(r->fc, 0, NULL, NULL, NULL) != eph_counted)
		failf(r, "chat: the %s fake showed %zu ephemeral replies, the store accounts for %zu",
		      chat_names[r->s->chat], fake_chat_ephemerals(r->fc, 0, NULL, NULL, NULL),
		      eph_counted);
	if (fake_chat_bot_posts(r->fc) != counted)
		failf(r, "chat: the %s fake holds %zu bot posts, the store accounts for %zu",
		      chat_names[r->s->chat], fake_chat_bot_posts(r->fc), counted);
}

/* Webhook posts: a webhook has no lookup, so each is sent at most once,
 * and what the store says went is there. */
static void
check_webhook(struct run *r)
{
	long long delivered, maybe;
	int stored = 0;

	if (r->hook == NULL)
		return;
	delivered = db_int(r, "SELECT count(*) FROM webhook_posts WHERE state = 'delivered'");
	/* no answer, or its sender was killed in the middle: it may be there */
	maybe = db_int(r, "SELECT count(*) FROM webhook_posts WHERE state IN ('unknown',"
		       " 'claimed')");
	pthread_mutex_lock(&r->hook->lock);
	for (int i = 0; i < r->hook->n; i++) {
		stored += r->hook->counts[i];
		if (r->hook->counts[i] > r->max_hooks)
			r->max_hooks = r->hook->counts[i];
		if (r->hook->counts[i] > 1)
			failf(r, "webhook: the same post is at the webhook %d times: %.60s",
			      r->hook->counts[i], r->hook->bodies[i]);
	}
	pthread_mutex_unlock(&r->hook->lock);
	if (stored < delivered || stored > delivered + maybe)
		failf(r, "webhook: %d post(s) at the webhook, the store has %lld delivered and"
		      " %lld that may have gone", stored, delivered, maybe);
	if (db_int(r, "SELECT count(*) FROM webhook_posts WHERE state IN ('queued',"
		   " 'refused', 'failed') AND last_error IS NULL") > 0)
		failf(r, "webhook: a post waits with no reason");
}

/* At most one reminder per measure per day at the fake, counted by its
 * words (a second post of the same reminder would carry the same marker,
 * but a bug could give it another); and, with the faults off at the end,
 * exactly one for each measure due, none for the others. */
static void
check_remind(struct run *r)
{
	if (r->fc == NULL || !has_kind(r->s, P_REMIND))
		return;
	for (size_t i = 0; i < N_REMIND; i++) {
		size_t n = 0;
		const char *text;

		for (size_t k = 0; fake_chat_bot_post(r->fc, k, &text, NULL) != NULL; k++)
			n += strstr(text, "Reminder: ") != NULL &&
			     strstr(text, remind_measures[i].title) != NULL;
		if ((int)n > r->max_posts)
			r->max_posts = (int)n;
		if (n > 1)
			failf(r, "remind: \"%s\" was reminded %zu times on one day",
			      remind_measures[i].title, n);
		else if (remind_measures[i].due_now && n == 0)
			failf(r, "remind: \"%s\" (due %s) was never reminded", remind_measures[i].title,
			      remind_measures[i].due);
		else if (!remind_measures[i].due_now && n > 0)
			failf(r, "remind: \"%s\" (%s, due %s) was reminded", remind_measures[i].title,
			      remind_measures[i].status, remind_measures[i].due);
	}
	if (r->verbose)
		fprintf(stderr, "  remind: %lld reminder rows\n",
			db_int(r, "SELECT count(*) FROM chat_posts WHERE kind = 'remind'"));
}

static void
check_minutes(struct run *r)
{
	sqlite3 *db = db_open(r);
	sqlite3_stmt *st = NULL;

	if (db == NULL || sqlite3_prepare_v2(db, "SELECT count(*) FROM minutes WHERE body = ?1"
					     " AND deleted_at IS NULL", -1, &st, NULL) != SQLITE_OK) {
		sqlite3_close(db);
		if (r->n_typed > 0)
			failf(r, "cannot read the minutes");
		return;
	}
	for (int i = 0; i < r->n_typed; i++) {
		sqlite3_reset(st);
		sqlite3_bind_text(st, 1, r->typed[i], -1, SQLITE_STATIC);
		if (sqlite3_step(st) != SQLITE_ROW || sqlite3_column_int(st, 0) != 1)
			failf(r, "minutes: the entry \"%s\" the screen showed is not in the minutes"
			      " once", r->typed[i]);
	}
	sqlite3_finalize(st);
	sqlite3_close(db);
}

static void
print_history(struct run *r)
{
	char *argv[] = { (char *)r->fk, "--db", r->db, "tickets", "list", "-v", NULL };

	fflush(stdout);
	run_wait(argv, "/dev/stderr");
	{
		char cmd[512];

		snprintf(cmd, sizeof(cmd), "sqlite3 -batch %s \"SELECT id, kind, state, marker,"
			 " last_error FROM chat_posts\" 2>/dev/null", r->db);
		if (r->fc != NULL && system(cmd) != 0)
			fprintf(stderr, "(sqlite3 could not list the chat posts)\n");
	}
}

/* A dead port: listened on, then closed, so connects are refused. */
static int
dead_port(void)
{
	struct fake_http *f = fake_http_start();
	int port = f ? fake_http_port(f) : 9;

	fake_http_stop(f);
	return port;
}

struct table {
	/* [target][0 tracker creates, 1 chat, 2 tracker reads][fault] */
	int max[N_TARGETS][3][16];
	bool seen[N_TARGETS][3][16];
	int hook_max[N_HOOK_FAULTS];	/* the webhook, by fault */
	bool hook_seen[N_HOOK_FAULTS];
};

/* --keep: a run's folder (store, config, logs) stays, passed or not */
static bool keep_dirs;

/* 0 ok, 1 an invariant failed, 2 the run could not be set up. */
static int
run_seed(unsigned long long seed, const char *fk, bool verbose, struct table *table,
	 char *summary, size_t size)
{
	struct sched s;
	struct run r = { .verbose = verbose };
	char url[64];
	int rc;

	sched_make(&s, seed);
	r.s = &s;
	r.fk = fk;
	pthread_mutex_init(&r.lock, NULL);
	if (verbose)
		sched_print(&s, stderr);
	snprintf(r.dir, sizeof(r.dir), "%s/fk-explore-%d-%llu",
		 getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid(), seed);
	mkdir(r.dir, 0700);
	snprintf(r.db, sizeof(r.db), "%s/fk.db", r.dir);
	snprintf(r.cfg, sizeof(r.cfg), "%s/fk.ini", r.dir);
	snprintf(r.dead_cfg, sizeof(r.dead_cfg), "%s/dead.ini", r.dir);
	snprintf(r.minutes, sizeof(r.minutes), "%s/2026-W48.json", r.dir);
	setenv("HOME", r.dir, 1);
	{
		char x[300];

		snprintf(x, sizeof(x), "%s/config", r.dir);
		setenv("XDG_CONFIG_HOME", x, 1);
		snprintf(x, sizeof(x), "%s/data", r.dir);
		setenv("XDG_DATA_HOME", x, 1);
	}

	r.th = fake_http_start();
	r.ft = fake_tracker_new(r.th, fake_now, NULL);
	fake_http_keepalive(r.th, s.keepalive);
	fake_tracker_timing(r.ft, s.lag_ms, 0, s.slow_ms);
	if (s.chat != C_NONE) {
		r.ch = fake_http_start();
		r.fc = fake_chat_new(r.ch, s.chat == C_SLACK ? FAKE_CHAT_SLACK : FAKE_CHAT_MATTERMOST);
		/* the processes stamp their posts with the real clock, and look
		 * a root up among the channel's posts since it was queued */
		fake_chat_epoch(r.fc, (long long)time(NULL));
		fake_http_keepalive(r.ch, s.keepalive);
	}
	if (s.n_hfaults > 0 || has_kind(&s, P_WEBHOOK)) {
		r.wh = fake_http_start();
		r.hook = calloc(1, sizeof(*r.hook));
		pthread_mutex_init(&r.hook->lock, NULL);
		r.hook->slow_ms = s.timeout_s * 1000 + 500;
		fake_http_keepalive(r.wh, s.keepalive);
		fake_http_set_handler(r.wh, hook_handle, r.hook);
	}
	write_config(&r, r.cfg, fake_http_url(r.th), r.ch ? fake_http_url(r.ch) : "",
		     r.wh ? fake_http_url(r.wh) : NULL);
	snprintf(url, sizeof(url), "http://127.0.0.1:%d", dead_port());
	write_config(&r, r.dead_cfg, url, url, r.wh ? url : NULL);

	if (setup(&r) < 0) {
		snprintf(summary, size, "setup failed (see %s)", r.dir);
		rc = 2;
		goto out;
	}
	for (int i = 0; i < N_PM031; i++)
		if (candidate_measures[i] == s.colleague && s.target == T_LINEAR)
			fake_tracker_add_linear(r.ft, r.import_markers[i]);
		else if (candidate_measures[i] == s.colleague)
			fake_tracker_add(r.ft, s.target == T_JIRA_CLOUD || s.target == T_JIRA_DC,
					 r.import_markers[i]);
	fake_tracker_faults(r.ft, s.tfaults, (size_t)s.n_tfaults);
	fake_tracker_read_faults(r.ft, s.rfaults, (size_t)s.n_rfaults);
	if (r.hook != NULL) {
		pthread_mutex_lock(&r.hook->lock);
		memcpy(r.hook->faults, s.hfaults, sizeof(s.hfaults));
		r.hook->n_faults = s.n_hfaults;
		pthread_mutex_unlock(&r.hook->lock);
	}
	if (r.fc != NULL) {
		fake_chat_faults(r.fc, s.cfaults, (size_t)s.n_cfaults);
		fake_chat_post_delay(r.fc, s.chat_delay_ms);
	}
	run_schedule(&r);
	quiesce(&r);
	check_tickets(&r);
	check_chat(&r);
	check_keys(&r);
	check_sync(&r);
	check_webhook(&r);
	check_remind(&r);
	check_minutes(&r);
	rc = r.n_fail > 0;
	if (rc)
		snprintf(summary, size, "%s", r.first);
	if (table != NULL) {
		for (int i = 0; i <= s.n_tfaults && i < MAX_FAULTS; i++) {
			int f = i < s.n_tfaults ? (int)s.tfaults[i] : 0;

			table->seen[s.target][0][f] = true;
			if (r.max_tickets > table->max[s.target][0][f])
				table->max[s.target][0][f] = r.max_tickets;
		}
		for (int i = 0; i < s.n_rfaults; i++) {
			int f = (int)s.rfaults[i];

			table->seen[s.target][2][f] = true;
			if (r.max_tickets > table->max[s.target][2][f])
				table->max[s.target][2][f] = r.max_tickets;
		}
		for (int i = 0; i < s.n_cfaults; i++) {
			int f = (int)s.cfaults[i];
			int t = s.chat == C_SLACK ? 0 : 1;

			table->seen[t][1][f] = true;
			if (r.max_posts > table->max[t][1][f])
				table->max[t][1][f] = r.max_posts;
		}
		for (int i = 0; r.hook != NULL && i <= s.n_hfaults && i < MAX_FAULTS; i++) {
			int f = i < s.n_hfaults ? (int)s.hfaults[i] : H_OK;

			table->hook_seen[f] = true;
			if (r.max_hooks > table->hook_max[f])
				table->hook_max[f] = r.max_hooks;
		}
	}
	if (verbose && rc)
		print_history(&r);
out:
	fake_tracker_free(r.ft);
	fake_http_stop(r.th);
	fake_chat_free(r.fc);
	fake_http_stop(r.ch);
	fake_http_stop(r.wh);
	hook_free(r.hook);
	pthread_mutex_destroy(&r.lock);
	if (keep_dirs)
		fprintf(stderr, "seed %llu: its folder is kept: %s\n", seed, r.dir);
	else if (rc == 0) {
		char *rm[] = { "rm", "-rf", r.dir, NULL };

		run_wait(rm, NULL);
	}
	return rc;
}

static void
print_table(const struct table *t)
{
	printf("deliveries per marker, most seen (a seed counts under every fault its schedule"
	       " drew):\n");
	for (int k = 0; k < N_TARGETS; k++)
		for (int f = 0; f < 16; f++)
			if (t->seen[k][0][f])
				printf("  %-10s  %-14s  %d\n", target_names[k],
				       fake_tracker_fault_name((enum fake_fault)f), t->max[k][0][f]);
	for (int k = 0; k < N_TARGETS; k++)
		for (int f = 0; f < 16; f++)
			if (t->seen[k][2][f])
				printf("  %-10s  reads: %-7s  %d\n", target_names[k],
				       fake_tracker_fault_name((enum fake_fault)f), t->max[k][2][f]);
	for (int k = 0; k < 2; k++)
		for (int f = 0; f < 16; f++)
			if (t->seen[k][1][f])
				printf("  %-10s  %-19s  %d\n", k == 0 ? "slack" : "mattermost",
				       fake_chat_fault_name((enum fake_chat_fault)f), t->max[k][1][f]);
	for (int f = 0; f < N_HOOK_FAULTS; f++)
		if (t->hook_seen[f])
			printf("  %-10s  %-19s  %d (at most once; an unknown outcome is reported)\n",
			       "webhook", hook_fault_names[f], t->hook_max[f]);
}

/* What one job sends back when it is done. */
struct job_report {
	int failed;
	struct table table;
};

static void
table_merge(struct table *into, const struct table *from)
{
	for (int k = 0; k < N_TARGETS; k++)
		for (int w = 0; w < 3; w++)
			for (int f = 0; f < 16; f++) {
				into->seen[k][w][f] |= from->seen[k][w][f];
				if (from->max[k][w][f] > into->max[k][w][f])
					into->max[k][w][f] = from->max[k][w][f];
			}
	for (int f = 0; f < N_HOOK_FAULTS; f++) {
		into->hook_seen[f] |= from->hook_seen[f];
		if (from->hook_max[f] > into->hook_max[f])
			into->hook_max[f] = from->hook_max[f];
	}
}

/* Runs seeds[i] for every i = job (mod jobs); the number that failed. */
static int
run_share(const unsigned long long *seeds, size_t n, const char *fk, int job, int jobs,
	  bool verbose, bool progress, struct table *table)
{
	int failed = 0;

	for (size_t i = (size_t)job; i < n; i += (size_t)jobs) {
		char summary[1200] = "";
		long long t = now_ms();
		int rc = run_seed(seeds[i], fk, verbose, table, summary, sizeof(summary));

		if (rc != 0) {
			failed++;
			printf("seed %llu: FAIL: %s; replay with tests/explore/explore --seed %llu\n",
			       seeds[i], summary, seeds[i]);
		} else if (progress || verbose) {
			printf("seed %llu (%zu/%zu): ok, %.1f s\n", seeds[i], i + 1, n,
			       (double)(now_ms() - t) / 1000.0);
		}
		fflush(stdout);
	}
	return failed;
}

/* The seeds in jobs processes at once: a schedule mostly waits (on
 * timeouts, rechecks, the screen), so several share two cores well. Each
 * job has its own folders, fakes and tmux servers (named by its pid). */
static int
run_seeds(const unsigned long long *seeds, size_t n, const char *fk, int jobs, bool verbose,
	  bool progress, struct table *table)
{
	pid_t pids[32];
	int fds[32], failed = 0;

	if (jobs <= 1)
		return run_share(seeds, n, fk, 0, 1, verbose, progress, table);
	fflush(stdout);
	for (int j = 0; j < jobs; j++) {
		int p[2];

		if (pipe(p) < 0) {
			perror("explore: pipe");
			exit(99);
		}
		if ((pids[j] = fork()) == 0) {
			struct job_report rep = { 0 };

			close(p[0]);
			rep.failed = run_share(seeds, n, fk, j, jobs, verbose, progress, &rep.table);
			if (write(p[1], &rep, sizeof(rep)) != (ssize_t)sizeof(rep))
				_exit(99);
			_exit(0);
		}
		close(p[1]);
		fds[j] = p[0];
	}
	for (int j = 0; j < jobs; j++) {
		struct job_report rep;
		size_t got = 0;
		ssize_t k;

		while (got < sizeof(rep) &&
		       (k = read(fds[j], (char *)&rep + got, sizeof(rep) - got)) > 0)
			got += (size_t)k;
		close(fds[j]);
		waitpid(pids[j], NULL, 0);
		if (got != sizeof(rep)) {
			printf("explore: job %d ended without its report\n", j);
			failed++;
			continue;
		}
		failed += rep.failed;
		if (table != NULL)
			table_merge(table, &rep.table);
	}
	return failed;
}

static void
usage(FILE *out)
{
	fputs("usage: explore --seed N [-v] | --seeds N,N,... | --count N [--from S]"
	      " [--table] [--progress] [--jobs N] [--schedule (print it, run nothing)]"
	      " [--keep (the run's folder, passed or not)]"
	      " [--no-linear (every seed's tracker as before Linear)]\n", out);
}

int
main(int argc, char **argv)
{
	static const struct option options[] = {
		{ "seed", required_argument, NULL, 's' },
		{ "seeds", required_argument, NULL, 'S' },
		{ "count", required_argument, NULL, 'n' },
		{ "from", required_argument, NULL, 'f' },
		{ "table", no_argument, NULL, 't' },
		{ "progress", no_argument, NULL, 'p' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "schedule", no_argument, NULL, 'P' },
		{ "keep", no_argument, NULL, 'k' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "no-linear", no_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long seeds[4096];
	size_t n = 0;
	long count = 0;
	unsigned long long from = 1;
	bool want_table = false, progress = false, verbose = false, only_print = false;
	struct table table = { 0 };
	char fk[1100];
	int c, failed = 0, jobs = 1;

	while ((c = getopt_long(argc, argv, "vh", options, NULL)) != -1) {
		switch (c) {
		case 's':
			seeds[0] = strtoull(optarg, NULL, 10);
			n = 1;
			verbose = true;
			break;
		case 'S':
			for (char *p = optarg; *p != '\0' && n < 4096;) {
				seeds[n++] = strtoull(p, &p, 10);
				while (*p == ',' || *p == ' ')
					p++;
			}
			break;
		case 'n':
			count = strtol(optarg, NULL, 10);
			break;
		case 'f':
			from = strtoull(optarg, NULL, 10);
			break;
		case 't':
			want_table = true;
			break;
		case 'p':
			progress = true;
			break;
		case 'v':
			verbose = true;
			break;
		case 'P':
			only_print = true;
			break;
		case 'k':
			keep_dirs = true;
			break;
		case 'L':
			no_linear = true;
			break;
		case 'j':
			jobs = (int)strtol(optarg, NULL, 10);
			if (jobs < 1 || jobs > 32)
				jobs = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	for (long i = 0; i < count && n < 4096; i++)
		seeds[n++] = from + (unsigned long long)i;
	if (n == 0) {
		usage(stderr);
		return 2;
	}
	if (only_print) {
		for (size_t i = 0; i < n; i++) {
			struct sched s;

			sched_make(&s, seeds[i]);
			sched_print(&s, stdout);
		}
		return 0;
	}
	if (getenv("FK_BUILDDIR") != NULL)
		snprintf(fk, sizeof(fk), "%s/furikaeri", getenv("FK_BUILDDIR"));
	else
		snprintf(fk, sizeof(fk), "%s/../../furikaeri", dirname_of(argv[0]));
	if (access(fk, X_OK) != 0) {
		fprintf(stderr, "explore: no furikaeri at %s (run through make check or set"
			" FK_BUILDDIR)\n", fk);
		return 99;
	}
	if (system("command -v tmux >/dev/null 2>&1") != 0) {
		fprintf(stderr, "explore: tmux is not installed (scripts/setup installs it)\n");
		return 77;
	}
	signal(SIGPIPE, SIG_IGN);
	setenv("FURIKAERI_TODAY", TODAY, 1);
	setenv("LC_ALL", "C.UTF-8", 1);
	setenv("GITHUB_TOKEN", "ghp-test", 1);
	setenv("JIRA_API_TOKEN", "jira-test", 1);
	setenv("GITLAB_TOKEN", "glpat-test", 1);
	setenv("LINEAR_API_KEY", "lin_api_test", 1);
	setenv("SLACK_BOT_TOKEN", "xoxb-test", 1);
	setenv("MATTERMOST_TOKEN", "mm-test", 1);
	unsetenv("FURIKAERI_DB");
	unsetenv("FURIKAERI_LOG");
	unsetenv("TMUX");

	failed = run_seeds(seeds, n, fk, jobs, verbose, progress, want_table ? &table : NULL);
	if (want_table)
		print_table(&table);
	printf("explore: %zu seed(s), %d failed\n", n, failed);
	return failed ? 1 : 0;
}
