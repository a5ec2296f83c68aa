/*
 * harden.h: process settings every sesshu program applies first in main().
 *
 * No core dumps (RLIMIT_CORE 0 and not dumpable, so a crash cannot write
 * keys or personal data to disk), umask 077 for every file created, and the
 * secret arena locked before any secret exists.
 */
#ifndef SESSHU_AUTH_HARDEN_H
#define SESSHU_AUTH_HARDEN_H

#include "core/err.h"

int	sesshu_harden_process(struct sesshu_err *err);

#endif
