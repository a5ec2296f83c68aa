/*
 * cmd.h: the commands of sesshu-registerd, one per file (cmd_*.c), listed
 * in one table in registerd_main.c, in the manner of tmux's cmd-*.c.
 *
 * A command parses its own options, prints what an administrator needs on
 * stdout, errors on stderr, and returns the process exit status: 0 done,
 * 1 failed, 2 usage. Output never contains a resident's personal data.
 */
#ifndef SESSHU_REGISTER_CMD_H
#define SESSHU_REGISTER_CMD_H

struct reg_cmd {
	const char	*name;		/* "import-residents" */
	const char	*usage;		/* "--data DIR [--encoding cp932] FILE" */
	const char	*summary;	/* one line for --help */
	int		 (*exec)(int argc, char **argv);
};

extern const struct reg_cmd reg_cmd_init;
extern const struct reg_cmd reg_cmd_import_residents;
extern const struct reg_cmd reg_cmd_import_records;
extern const struct reg_cmd reg_cmd_import_master;
extern const struct reg_cmd reg_cmd_user;
extern const struct reg_cmd reg_cmd_workstation;
extern const struct reg_cmd reg_cmd_settings;
extern const struct reg_cmd reg_cmd_audit;
extern const struct reg_cmd reg_cmd_serve;

/* Prints "sesshu-registerd NAME: message" to stderr; returns 1. */
int	cmd_fail(const struct reg_cmd *cmd, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* Prints the command's usage to stderr; returns 2. */
int	cmd_usage(const struct reg_cmd *cmd);

/* The actor recorded in the audit trail for an administrator's command. */
const char *cmd_actor(void);

#endif
