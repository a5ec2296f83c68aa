/*
 * reg_workstations.h: the workstations a register knows, and the master
 * key each one escrowed at provisioning.
 *
 * A workstation is known by the CN of its certificate. Revoking one stops
 * all its sync at once, even while its certificate is still valid, and
 * destroys the escrowed key. Never logs key material.
 */
#ifndef SESSHU_REGISTER_REG_WORKSTATIONS_H
#define SESSHU_REGISTER_REG_WORKSTATIONS_H

#include "auth/secmem.h"
#include "register/reg.h"
#include "register/server.h"

/* REG_WORKSTATION_ID_MAX: server.h, which takes the ID from certificates. */

enum reg_ws_state {
	REG_WS_UNKNOWN,			/* never added */
	REG_WS_REVOKED,
	REG_WS_ACTIVE,			/* added, not yet provisioned */
	REG_WS_PROVISIONED,		/* active, with an escrowed key */
};

/* Adds a workstation, or re-activates a revoked one for a fresh provisioning. */
int	reg_ws_add(struct reg *reg, const char *actor, const char *ws_id,
	    struct sesshu_err *err);

/* Revokes it and destroys its escrowed key (secure_delete is on). */
int	reg_ws_revoke(struct reg *reg, const char *actor, const char *ws_id,
	    struct sesshu_err *err);

int	reg_ws_state(struct reg *reg, const char *ws_id, enum reg_ws_state *state,
	    struct sesshu_err *err);

/*
 * Stores the key of an active, unprovisioned workstation. SESSHU_EEXIST
 * when it already has one. Call inside the caller's transaction.
 */
int	reg_ws_escrow(struct reg *reg, const char *ws_id, const char *actor,
	    const struct secbuf *key, struct sesshu_err *err);

/* Reads the escrowed key into a new secbuf. */
int	reg_ws_key(struct reg *reg, const char *ws_id, struct secbuf *key,
	    struct sesshu_err *err);

/* Records contact, for the list's "last seen" column. */
int	reg_ws_touch(struct reg *reg, const char *ws_id, struct sesshu_err *err);

#endif
