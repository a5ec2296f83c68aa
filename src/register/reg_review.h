/*
 * reg_review.h: the register's review queue (store/entity_schema.c): what
 * a push did not simply apply is kept with both sides, numbered so that
 * pull sends it to the workstations, and decided there by a supervisor
 * (ARCHITECTURE §4: never resolved silently). A decision comes back as a
 * pushed change of kind "review"; the register checks who decides, then
 * carries it out:
 *
 *   correction  approve: the requested version is applied, if the record
 *               is still at the version it was based on; reject: nothing
 *   duplicate   approve: both records stay; reject: the later one is
 *               voided with the decision's reason
 *   conflict    approve: a same-dose conflict's record is stored (as a
 *               confirmed duplicate); a version conflict is not approved
 *               (it would undo the versions between, unchecked: it is
 *               keyed again on the current version); reject: nothing
 *   rejected    reject only: a rule of the register is not overridden
 *
 * The decider's role must allow reviews (core/permission.h), and nobody
 * decides on their own change (the author named in it). Every decision
 * is audited. Never logs a payload.
 */
#ifndef SESSHU_REGISTER_REG_REVIEW_H
#define SESSHU_REGISTER_REG_REVIEW_H

#include <stddef.h>
#include <stdint.h>

#include <jansson.h>

#include "core/err.h"
#include "register/reg.h"

/* Queues a change for review and numbers the item for pull. */
int	reg_review_queue(struct reg *reg, const char *kind, const char *uuid,
	    const char *workstation, const char *change_kind, const char *payload,
	    const char *reason, struct sesshu_err *err);

/*
 * Applies a decision (the review item as a workstation sent it back, with
 * decided_by, decided_at, decision and decision_reason). On a refusal
 * returns 0 with *refused set and why filled; a failure of the store is a
 * negative code. *seq receives the sequence number of the decided item.
 */
int	reg_review_decide(struct reg *reg, const char *workstation,
	    const json_t *decision, int *refused, char *why, size_t size,
	    int64_t *seq, struct sesshu_err *err);

/* Writes a record version as current and numbers it for pull. */
int	reg_record_insert_version(struct reg *reg, const json_t *rec,
	    int64_t *seq, struct sesshu_err *err);

#endif
