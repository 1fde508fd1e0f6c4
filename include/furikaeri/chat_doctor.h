#ifndef FURIKAERI_CHAT_DOCTOR_H
#define FURIKAERI_CHAT_DOCTOR_H

#include "furikaeri/chat.h"

/* furikaeri doctor: checks the token (who it is), the channel and that the
 * bot is in it. Each line of *report (owned) says what was checked and, for
 * a failure, what to do. Returns 0 when all passed, -1 otherwise. */
int chat_doctor(struct chat *c, char **report);

#endif
