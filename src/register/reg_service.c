/*
 * reg_service.c: the routing table of the register's endpoints and the
 * answers they share; the handlers live one concern per file
 * (reg_h_auth.c, reg_h_push.c, reg_h_pull.c).
 */
#include "register/reg_service.h"


#include "register/reg_workstations.h"
#include "sync/wire.h"

const struct reg_route reg_service_routes[] = {
	{ "/v1/hello",		reg_handle_hello },
	{ "/v1/provision",	reg_handle_provision },
	{ "/v1/login",		reg_handle_login },
	{ "/v1/login-report",	reg_handle_login_report },
	{ "/v1/password",	reg_handle_password },
	{ "/v1/push",		reg_handle_push },
	{ "/v1/pull",		reg_handle_pull },
	{ NULL,			NULL },
};

int
reg_refuse_workstation(struct reg_service *svc, const struct reg_peer *peer,
    int need_key, struct reg_response *resp)
{
	struct sesshu_err err = { 0 };
	enum reg_ws_state state;

	if (reg_ws_state(svc->reg, peer->workstation_id, &state, &err) != 0) {
		reg_response_error(resp, 500, "internal", "the register failed: %s",
		    err.msg);
		return 1;
	}
	switch (state) {
	case REG_WS_UNKNOWN:
	case REG_WS_REVOKED:
		reg_response_error(resp, 403, "workstation_revoked", "workstation %s "
		    "is not registered or was revoked", peer->workstation_id);
		return 1;
	case REG_WS_ACTIVE:
		if (need_key) {
			reg_response_error(resp, 403, "workstation_not_provisioned",
			    "workstation %s is not provisioned yet: run sesshu "
			    "provision", peer->workstation_id);
			return 1;
		}
		break;
	case REG_WS_PROVISIONED:
		break;
	}
	(void)reg_ws_touch(svc->reg, peer->workstation_id, NULL);
	return 0;
}
