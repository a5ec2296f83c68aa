/*
 * bench_provision.c: provisions a workstation for the benchmarks without
 * the first pull that `sesshu provision` makes, so that the pull can be
 * timed on its own (bench_pull.c) and the 50 pushing workstations need no
 * copy of the city.
 *
 *   sesshu-bench-provision STATE URL CA CERT KEY USER
 *   sesshu-bench-provision login STATE USER
 *
 * The second form is a user's first (online) login on a provisioned
 * workstation, which writes the user's key slot there.
 * The password is $SESSHU_BENCH_PASSWORD; a first login of USER takes the
 * activation code from $SESSHU_BENCH_CODE.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

int
main(int argc, char **argv)
{
	struct bh_secrets sec = { getenv("SESSHU_BENCH_CODE"), NULL };
	struct sesshu_err err = { 0 };
	struct ws_provision_args a;
	struct ws_session *s;
	double t0;

	if (argc == 4 && strcmp(argv[1], "login") == 0) {
		sec.password = bh_password();
		if (sec.code != NULL && sec.code[0] == '\0')
			sec.code = NULL;
		t0 = bh_now();
		if (ws_login(argv[2], argv[3], bh_ask, &sec, &s, &err) != 0)
			bh_die("first login of %s on %s: %s", argv[3], argv[2], err.msg);
		ws_session_close(s);
		bh_result("first_login", (bh_now() - t0) * 1e3, "ms", NULL);
		return 0;
	}
	if (argc != 7) {
		fprintf(stderr, "usage: sesshu-bench-provision STATE URL CA CERT KEY USER\n");
		return 2;
	}
	sec.password = bh_password();
	if (sec.code != NULL && sec.code[0] == '\0')
		sec.code = NULL;
	a = (struct ws_provision_args){ argv[1], argv[2], argv[3], argv[4],
	    argv[5], argv[6] };
	t0 = bh_now();
	if (ws_provision(&a, bh_ask, &sec, &s, &err) != 0)
		bh_die("provisioning %s: %s", argv[1], err.msg);
	ws_session_close(s);
	bh_result("provision", (bh_now() - t0) * 1e3, "ms", NULL);
	return 0;
}
