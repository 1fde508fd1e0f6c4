#ifndef FURIKAERI_POSTMORTEM_H
#define FURIKAERI_POSTMORTEM_H

#include <stdbool.h>
#include <stddef.h>

/* A postmortem as the formats read it and the store keeps it: plain data,
 * no I/O. Every string is owned by the struct and is valid UTF-8; optional
 * fields are NULL when the document does not give them. */

enum measure_status {
	MEASURE_OPEN,
	MEASURE_DONE,
	MEASURE_NOT_DOING,	/* explicitly decided against */
};

struct measure {
	long long id;		/* store id, 0 until stored */
	char *title;
	char *owner;
	char *due;		/* YYYY-MM-DD */
	enum measure_status status;
	char *ticket;		/* "OPS-123", "#123", "acme/pay#812" */
	char *ticket_url;
};

/* Canonical section keys; any other section keeps its own heading. */
#define SECTION_SUMMARY "summary"
#define SECTION_IMPACT "impact"
#define SECTION_ROOT_CAUSE "root_cause"
#define SECTION_TRIGGER "trigger"
#define SECTION_DETECTION "detection"
#define SECTION_RESOLUTION "resolution"
#define SECTION_LESSONS "lessons"
#define SECTION_TIMELINE "timeline"
#define SECTION_MEASURES "measures"
#define SECTION_NOT_DOING "not_doing"

struct section {
	char *key;		/* a SECTION_* key, or the heading text for others */
	char *heading;		/* as written (first one when merged) */
	char *text;		/* the section's text, Markdown markup removed */
};

struct postmortem {
	char *id;
	char *title;
	char *date;		/* YYYY-MM-DD */
	char *time;		/* HH:MM, when given */
	char *tz;		/* "JST", "+09:00", "UTC", when given */
	char *severity;		/* normalised: "SEV1".."SEV5" */
	char *status;		/* lower case: "draft", "in review", "ready", ... */
	char **authors;
	size_t n_authors;
	char **tags;
	size_t n_tags;
	struct section *sections;
	size_t n_sections;
	struct measure *measures;
	size_t n_measures;
	char *source;		/* path it was read from */
	char *hash;		/* hex FNV-1a 64 and length of the source bytes */
	bool id_derived;	/* id made from the file name, not written in the file */
	/* What the import saw, for `import --check` and its warnings: */
	const char *date_from;	/* static: "front matter", "metadata", "table",
				 * "section", "title", "timeline", "text",
				 * "file name"; NULL when undated */
	bool is_template;	/* a template, not a postmortem: never on an agenda */
	char *template_why;	/* why it reads as a template */
	bool not_ready;		/* its status or draft flag keeps it off the agenda */
	char **warnings;	/* "path: problem; what to do" */
	size_t n_warnings;
};

struct postmortem *postmortem_new(void);
void postmortem_free(struct postmortem *pm);

/* Each add function copies its arguments. */
void postmortem_add_author(struct postmortem *pm, const char *name);
void postmortem_add_tag(struct postmortem *pm, const char *tag);
/* Adds a warning (printf format); the import prints them and --check lists them. */
void postmortem_warn(struct postmortem *pm, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Appends text to the section with this key, creating it if needed. */
struct section *postmortem_add_section(struct postmortem *pm, const char *key,
				       const char *heading, const char *text);
/* Borrowed; NULL when absent. */
const struct section *postmortem_section(const struct postmortem *pm, const char *key);
struct measure *postmortem_add_measure(struct postmortem *pm, const char *title);

/* 1 (most severe) .. 5, or 6 when unknown: the agenda sorts by it. */
int postmortem_severity_rank(const char *severity);
/* Whether a severity is shown as severe (SEV1 and SEV2). */
bool postmortem_severe(const char *severity);
/* Normalises "Sev 2", "P1", "critical", "重大" ...; NULL when unrecognised. Owned. */
char *postmortem_severity_normalise(const char *text);

/* The short form of a GitHub issue's id: "acme/pay#31" -> "pay#31" (owned),
 * or NULL for any other id. Shown where no other id shortens the same way. */
char *postmortem_short_id(const char *id);

/* Moves the incident date and every due date by days (the demo week). */
void postmortem_shift_dates(struct postmortem *pm, int days);

const char *measure_status_name(enum measure_status status);
/* Returns false for an unknown name. */
bool measure_status_parse(const char *name, enum measure_status *out);

#endif
