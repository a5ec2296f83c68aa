/*
 * reg_service.h: the register's endpoints (docs/PROTOCOL.md), as handlers
 * for the transport in server.h, and the routing table that lists them.
 *
 * Handlers run on the event loop thread, one at a time; each commits its
 * transaction before its response is queued, so a response the client
 * receives always describes committed state. The transport has already
 * verified the client certificate and the municipality code.
 */
#ifndef SESSHU_REGISTER_REG_SERVICE_H
#define SESSHU_REGISTER_REG_SERVICE_H

#include <jansson.h>

#include "register/reg.h"
#include "register/server.h"

#define REG_PUSH_MAX_CHANGES	1000
#define REG_PULL_MAX_CHANGES	1000

struct reg_service {
	struct reg	*reg;
};

extern const struct reg_route reg_service_routes[];

/*
 * Answers 403 unless the peer's workstation is active (and, when
 * need_key, provisioned); returns nonzero when it answered.
 */
int	reg_refuse_workstation(struct reg_service *svc, const struct reg_peer *peer,
	    int need_key, struct reg_response *resp);

int	reg_handle_hello(void *ctx, const struct reg_peer *peer, json_t *body,
	    struct reg_response *resp);
int	reg_handle_provision(void *ctx, const struct reg_peer *peer, json_t *body,
	    struct reg_response *resp);
int	reg_handle_login(void *ctx, const struct reg_peer *peer, json_t *body,
	    struct reg_response *resp);
int	reg_handle_login_report(void *ctx, const struct reg_peer *peer,
	    json_t *body, struct reg_response *resp);
int	reg_handle_password(void *ctx, const struct reg_peer *peer, json_t *body,
	    struct reg_response *resp);
int	reg_handle_push(void *ctx, const struct reg_peer *peer, json_t *body,
	    struct reg_response *resp);
int	reg_handle_pull(void *ctx, const struct reg_peer *peer, json_t *body,
	    struct reg_response *resp);

#endif
