/*
 * cmd_user.c: `sesshu-registerd user add|disable|list`: bootstrap
 * administration of users. `add` prints the one-time activation code as
 * the last line of its output; the user sets a password at the first login
 * on a workstation. (The approval workflow of rights uses the same tables.)
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>

#include "register/cmd.h"
#include "register/reg.h"
#include "register/reg_users.h"

struct user_opts {
	const char	*dir, *id, *name, *role;
};

static int
parse(int argc, char **argv, struct user_opts *o)
{
	static const struct option opts[] = {
		{ "data", required_argument, NULL, 'd' },
		{ "id", required_argument, NULL, 'i' },
		{ "name", required_argument, NULL, 'n' },
		{ "role", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	memset(o, 0, sizeof(*o));
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': o->dir = optarg; break;
		case 'i': o->id = optarg; break;
		case 'n': o->name = optarg; break;
		case 'r': o->role = optarg; break;
		default: return -1;
		}
	}
	return optind == argc && o->dir != NULL ? 0 : -1;
}

static int
user_add(struct reg *reg, const struct user_opts *o)
{
	char code[REG_ACTIVATION_CODE_LEN + 1];
	struct sesshu_err err = { 0 };

	if (o->id == NULL || o->name == NULL || o->role == NULL)
		return cmd_usage(&reg_cmd_user);
	if (reg_user_add(reg, cmd_actor(), o->id, o->name, o->role, code, &err) != 0)
		return cmd_fail(&reg_cmd_user, "%s", err.msg);
	printf("added user %s (%s); give them this one-time activation code for "
	    "their first login,\nvalid for %d days:\n%s\n", o->id, o->role,
	    reg->settings.activation_valid_days, code);
	OPENSSL_cleanse(code, sizeof(code));
	return 0;
}

static int
user_list(struct reg *reg)
{
	static const char sql[] =
	    "SELECT user_id, role, status, coalesce(password_changed_at, '-'),"
	    " CASE WHEN locked_until > strftime('%Y-%m-%dT%H:%M:%fZ', 'now')"
	    " THEN locked_until ELSE '-' END FROM users ORDER BY user_id";
	struct sesshu_err err = { 0 };
	sqlite3_stmt *stmt;
	int rc;

	if (store_prepare(reg->st, sql, &stmt, &err) != 0)
		return cmd_fail(&reg_cmd_user, "%s", err.msg);
	printf("%-20s %-11s %-9s %-25s %s\n", "USER", "ROLE", "STATUS",
	    "PASSWORD SET", "LOCKED UNTIL");
	while ((rc = sqlite3_step(stmt)) == SQLITE_ROW)
		printf("%-20s %-11s %-9s %-25s %s\n",
		    sqlite3_column_text(stmt, 0), sqlite3_column_text(stmt, 1),
		    sqlite3_column_text(stmt, 2), sqlite3_column_text(stmt, 3),
		    sqlite3_column_text(stmt, 4));
	store_stmt_done(stmt);
	if (store_check(reg->st, rc, "listing users", &err) != 0)
		return cmd_fail(&reg_cmd_user, "%s", err.msg);
	return 0;
}

static int
exec_user(int argc, char **argv)
{
	struct sesshu_err err = { 0 };
	struct user_opts o;
	struct reg *reg;
	const char *sub;
	int rc;

	if (argc < 2)
		return cmd_usage(&reg_cmd_user);
	sub = argv[1];
	if (parse(argc - 1, argv + 1, &o) != 0)
		return cmd_usage(&reg_cmd_user);
	if (reg_open(&reg, o.dir, &err) != 0)
		return cmd_fail(&reg_cmd_user, "%s", err.msg);
	if (strcmp(sub, "add") == 0)
		rc = user_add(reg, &o);
	else if (strcmp(sub, "disable") == 0) {
		if (o.id == NULL)
			rc = cmd_usage(&reg_cmd_user);
		else if (reg_user_disable(reg, cmd_actor(), o.id, &err) != 0)
			rc = cmd_fail(&reg_cmd_user, "%s", err.msg);
		else {
			printf("disabled user %s; workstations drop their key slot "
			    "at their next sync\n", o.id);
			rc = 0;
		}
	} else if (strcmp(sub, "list") == 0)
		rc = user_list(reg);
	else
		rc = cmd_usage(&reg_cmd_user);
	reg_close(reg);
	return rc;
}

const struct reg_cmd reg_cmd_user = {
	.name = "user",
	.usage = "add --data DIR --id ID --name NAME --role "
	    "clerk|verifier|supervisor|is-admin|auditor\n"
	    "       sesshu-registerd user disable --data DIR --id ID\n"
	    "       sesshu-registerd user list --data DIR",
	.summary = "add, disable or list users",
	.exec = exec_user,
};
