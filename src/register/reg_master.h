/*
 * reg_master.h: loading master data (vaccines, manufacturers, lots,
 * medical institutions, doctors, fee categories) into the register, which
 * sends it to every workstation through pull (DOMAIN §2, master data).
 *
 * A master file is JSON: { "kind": "lot", "rows": [ {column: value}, ... ] }
 * with the columns of the kind (docs/IMPORT.md, forms/master/). Loading is
 * all or nothing over every file given: a bad row anywhere names its file,
 * row and column, and nothing is stored.
 */
#ifndef SESSHU_REGISTER_REG_MASTER_H
#define SESSHU_REGISTER_REG_MASTER_H

#include <stddef.h>

#include "core/err.h"
#include "register/reg.h"

struct reg_master_result {
	unsigned long	rows;		/* rows read */
	unsigned long	changed;	/* new or different, so numbered for pull */
};

int	reg_master_import(struct reg *reg, char *const *paths, size_t npaths,
	    const char *actor, struct reg_master_result *res,
	    struct sesshu_err *err);

#endif
