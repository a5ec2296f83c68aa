/*
 * bench_login.c: a login as the workstation does it: scrypt over the
 * password and the key slot unwrapped (ws_login), the encrypted cache
 * opened and migrated-checked, the user's prints loaded from it, and the
 * finger verified on libfprint's virtual_device reader.
 *
 *   sesshu-bench-login STATE USER N
 *
 * The reader is opened once, before the runs (the workstation keeps it
 * open; its opening is reported apart). A user without a print here is
 * enrolled first (provisioning allowed one enrollment). The scan is
 * queued at the reader before verification starts: no human time counts.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auth/fingerprint.h"
#include "harness.h"
#include "sync/ws_prints.h"

static char dir[] = "/tmp/sesshu-bench-vd-XXXXXX";
static char sock[64];

int
main(int argc, char **argv)
{
	struct bh_samples total = { 0 }, unlock = { 0 }, finger = { 0 };
	struct sesshu_err err = { 0 };
	struct fingerprint_reader *r;
	struct fingerprint_blob *prints = NULL, print = { NULL, 0 };
	struct ws_session *s;
	char scan_id[128];
	size_t n = 0, matched;
	long runs;
	double t0, t1;

	if (argc != 4) {
		fprintf(stderr, "usage: sesshu-bench-login STATE USER N\n");
		return 2;
	}
	runs = atol(argv[3]);
	if (mkdtemp(dir) == NULL)
		bh_die("mkdtemp");
	snprintf(sock, sizeof(sock), "%s/vd.sock", dir);
	setenv("FP_VIRTUAL_DEVICE", sock, 1);
	setenv("FP_DRIVERS_WHITELIST", "virtual_device", 1);
	snprintf(scan_id, sizeof(scan_id), "%s-right-index", argv[2]);
	t0 = bh_now();
	if (fingerprint_open(&r, "virtual_device", &err) != 0)
		bh_die("fingerprint_open: %s", err.msg);
	bh_result("login.reader_open", (bh_now() - t0) * 1e3, "ms", NULL);

	s = bh_login(argv[1], argv[2]);
	if (ws_fingerprints_load(s, argv[2], fingerprint_reader_driver(r), &prints,
	    &n, &err) != 0)
		bh_die("loading prints: %s", err.msg);
	for (size_t i = 0; i < n; i++)
		fingerprint_blob_clear(&prints[i]);
	free(prints);
	if (n == 0) {
		for (int i = 0; i < fingerprint_reader_stages(r); i++)
			bh_vdev_send(sock, scan_id);
		if (fingerprint_enroll(r, argv[2], FINGER_RIGHT_INDEX, NULL, NULL,
		    &print, &err) != 0)
			bh_die("enroll: %s", err.msg);
		if (ws_fingerprint_save(s, argv[2], FINGER_RIGHT_INDEX,
		    fingerprint_reader_driver(r), &print, &err) != 0)
			bh_die("saving the print: %s", err.msg);
		fingerprint_blob_clear(&print);
	}
	ws_session_close(s);

	for (long i = 0; i < runs; i++) {
		t0 = bh_now();
		s = bh_login(argv[1], argv[2]);
		t1 = bh_now();
		if (ws_fingerprints_load(s, argv[2], fingerprint_reader_driver(r),
		    &prints, &n, &err) != 0 || n == 0)
			bh_die("loading prints: %s", n == 0 ? "none" : err.msg);
		bh_vdev_send(sock, scan_id);
		if (fingerprint_verify(r, argv[2], prints, n, NULL, NULL, &matched,
		    &err) != 0)
			bh_die("verify: %s", err.msg);
		bh_add(&total, (bh_now() - t0) * 1e3);
		bh_add(&unlock, (t1 - t0) * 1e3);
		bh_add(&finger, (bh_now() - t1) * 1e3);
		for (size_t k = 0; k < n; k++)
			fingerprint_blob_clear(&prints[k]);
		free(prints);
		ws_session_close(s);
	}
	bh_latency("login", &total);
	bh_latency("login.unlock_open", &unlock);
	bh_latency("login.fingerprint", &finger);
	fingerprint_close(r);
	unlink(sock);
	rmdir(dir);
	bh_free(&total);
	bh_free(&unlock);
	bh_free(&finger);
	return 0;
}
