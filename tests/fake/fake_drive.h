#ifndef FURIKAERI_FAKE_DRIVE_H
#define FURIKAERI_FAKE_DRIVE_H

#include "fake_http.h"

/* A stateful fake of the Google Drive API v3 over a folder on disk, for
 * the Google Docs source's tests: each DIR/ID.md is a Google Doc in the
 * Drive folder FOLDER (its name DIR/ID.name when there is one, else ID;
 * its modifiedTime the file's mtime), so a test changes the Drive by
 * writing, touching and removing files. It answers
 *   GET /drive/v3/about (the user),
 *   GET /drive/v3/files?q=...&pageSize=N&pageToken=T (the Docs whose
 *     query names 'FOLDER' in parents, filtered by modifiedTime > '...',
 *     oldest first, at most 2 a page whatever pageSize says, so every
 *     listing of three or more Docs has pages; fields=...files(id) lists
 *     the ids alone),
 *   GET /drive/v3/files/{id} (a Doc, or the folder itself),
 *   GET /drive/v3/files/{id}/export?mimeType=text/markdown (the file);
 * a DIR/ID.fail holding a status makes the next export of ID answer it
 * once (the marker is removed). Every request without "Authorization:
 * Bearer TOKEN" gets Google's 401. */

struct fake_drive;

/* dir, folder and token are copied. */
struct fake_drive *fake_drive_new(struct fake_http *f, const char *dir, const char *folder,
				  const char *token);
void fake_drive_free(struct fake_drive *d);

#endif
