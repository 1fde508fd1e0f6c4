#ifndef FURIKAERI_IMPORT_ISSUE_H
#define FURIKAERI_IMPORT_ISSUE_H

#include <stddef.h>

#include "furikaeri/config.h"
#include "furikaeri/headings.h"
#include "furikaeri/postmortem.h"

/* A tracker issue as a postmortem: the description goes through the same
 * Markdown import as a file (GitHub's body as Markdown or as an issue form,
 * Jira Cloud's Atlassian document, Data Center's wiki markup), then the
 * issue's own fields fill what the text does not give. Pure: no I/O. */

struct import_issue_options {
	const struct config *cfg;	/* [people] maps logins back to names; [jira] priority_map */
	const char *source_label;	/* GitHub: the label that selects postmortems, not a tag */
	const char *severity_field;	/* Jira: the field id holding the severity, or NULL */
	const char *measure_link;	/* Jira: the link type whose issues are measures, or NULL */
	const char *jira_site;		/* "https://acme.atlassian.net", for /browse links */
	int jira_api;			/* 3 (ADF descriptions) or 2 (wiki markup) */
	const struct headings *readiness;	/* statuses kept off the agenda, or NULL */
};

/* One issue of GET /repos/{owner}/{repo}/issues (JSON text). sub_issues is
 * the JSON array GET .../issues/{n}/sub_issues returned, or NULL. The id is
 * OWNER/REPO#N; the title the issue's; the date from the text, else the
 * creation date; severity from the text, else a label (sev1, SEV-2,
 * severity: high); status from the text, else a status label (draft, in
 * review, ready), else closed or open; authors the author and assignees
 * (through [people]); tags the other labels; source the issue's web URL;
 * measures the text's, plus sub-issues and task-list items that reference
 * an issue, each with its ticket and state. Owned, or NULL with *err
 * naming the issue's URL. */
struct postmortem *import_issue_github(const char *json, size_t len, const char *repo,
				       const char *sub_issues, const struct headings *h,
				       const struct import_issue_options *o, char **err);

/* One issue of Jira's search (JSON text, with its fields). The id is the
 * key; severity from the text, else severity_field, else a label, else
 * the priority (through [jira] priority_map, then its own words); status
 * from the text, else closed when the status category is done, else the
 * status's name; authors the reporter and assignee; tags the labels and
 * components; source the /browse URL; measures the text's, plus the
 * issues linked by measure_link with their status. */
struct postmortem *import_issue_jira(const char *json, size_t len, const struct headings *h,
				     const struct import_issue_options *o, char **err);

/* One Google Doc exported as Markdown (md, len bytes), read with every
 * rule of a Markdown file. The id is the Drive file id; the title the
 * text's (front matter or first heading), else the Doc's name; the date
 * the text's, else the Doc's creation date (createdTime, RFC 3339, may be
 * NULL); source the Doc's web URL. Owned, or NULL with *err naming the URL. */
struct postmortem *import_gdoc(const char *md, size_t len, const char *id, const char *name,
			       const char *url, const char *created, const struct headings *h,
			       const struct import_issue_options *o, char **err);

#endif
