/*
 * tui_driver.h: what the e2e tests use to drive the real `sesshu` in
 * tmux and libfprint's virtual reader inside it: tmux commands on the
 * test's own server, keys and text, capture-pane polled under a
 * deadline, and commands to the virtual_device socket.
 *
 * Test-only. Nothing here sleeps to wait for something: waits poll with
 * a deadline and fail the test (cmocka) when it passes.
 */
#ifndef SESSHU_TESTS_TUI_DRIVER_H
#define SESSHU_TESTS_TUI_DRIVER_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "itest.h"

/*
 * The tmux server's socket and configuration file, used by every tmux
 * command after this call (borrowed: they must outlive the tests).
 */
void	tui_driver_init(const char *sock, const char *tmux_conf);

/* CLOCK_MONOTONIC seconds; a polling interval. */
double	now_s(void);
void	pause_ms(long ms);

/* Runs tmux on the test's server with the arguments (NULL-terminated). */
struct itest_run tmux_run(const char *first, ...);

#define TMUX(...) do {							\
	struct itest_run r_ = tmux_run(__VA_ARGS__, NULL);		\
	if (!r_.exited || r_.code != 0)					\
		fail_msg("tmux %s failed: %s", #__VA_ARGS__, r_.out);	\
	free(r_.out);							\
} while (0)

/* Keys by tmux's names (Enter, F12, Escape) to the session "main" ... */
void	key(const char *name);
/* ... and text, typed literally. */
void	type(const char *text);

/*
 * The whole pane, history included: the grid in use (the alternate screen
 * while sesshu runs) or, with saved, the normal screen kept beneath it.
 * Caller frees; NULL when the pane is gone.
 */
char	*capture(const char *target, int saved);

/*
 * Polls the pane until it shows text (or, with gone, no longer does) and
 * returns that capture (caller frees); fails the test after seconds.
 */
char	*wait_screen(const char *target, const char *text, int gone,
	    double seconds);

#define WAIT(text)	free(wait_screen("main", (text), 0, 15))
#define WAIT_GONE(text)	free(wait_screen("main", (text), 1, 15))

/*
 * Waits for the program in a pane to end and returns its exit status,
 * which the pane's shell wrote to the file path ("...; echo $? > path":
 * tmux 3.3 does not always report #{pane_dead_status}). The shell creates
 * the file before it writes the number: an empty file is waited on too.
 * Fails the test, with the pane target's screen, after 15 s.
 */
int	pane_exit_status(const char *path, const char *target);

/*
 * Sends one command ("SCAN clerk01-finger") to libfprint's virtual_device
 * reader listening on the unix socket path, inside the sesshu under test:
 * connects (retrying while the reader is not listening yet), writes it in
 * one write as the driver wants, and waits for the driver to close the
 * connection, all under a 10 s deadline. Fails the test otherwise.
 */
void	vdev_send(const char *path, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));

/* What the login, enrollment and lock screens say in Japanese (ja.po). */
#define TUI_PLACE_FINGER	"指紋リーダーに指を置いてください。"
#define TUI_ENROLL_STAGES	5	/* virtual_device's default */

/*
 * The finger of identity id, once the pane "main" shows that the reader
 * waits for one: a login's third factor or an unlock.
 */
void	finger(const char *vdev, const char *id);

/*
 * A whole enrollment with the finger of identity id: for each of the
 * reader's stages, waits for the screen to ask for that scan ("Scan 2 of
 * 5") and gives it.
 */
void	enroll_finger(const char *vdev, const char *id);

/*
 * The world an e2e test runs in: a temporary directory with a PKI made by
 * make-pki.sh, a register (municipality 990001) started on 127.0.0.1 with
 * an optional generated city, the IS administrator admin01, and the
 * workstation ws-001 provisioned by admin01 in ws. Its tmux server and the
 * virtual reader's socket (under /tmp: sun_path is 108 bytes) live here too.
 */
#define TUI_WORLD_CLERKS	4

struct tui_world {
	char			*dir, *pki, *reg_dir, *ws, *city, *conf;
	char			*sock, *tmux_conf, *vdev_dir, *vdev;
	struct itest_register	 reg;
	char			*codes[TUI_WORLD_CLERKS];	/* activation codes */
};

struct tui_world_spec {
	const char	*tag;		/* names the temporary directory */
	const char	*residents;	/* generated city size, or NULL: none */
	const char	*seed;
	int		 with_records;	/* import the city's histories too */
	const char	*admin_pw;	/* admin01's password, set at provisioning */
	/* Clerks added before provisioning: IDs and names, NULL-terminated;
	 * their activation codes land in codes[] in this order. */
	const char	*clerks[TUI_WORLD_CLERKS + 1][2];
};

/* Builds the world; returns 0, or -1 when the register would not start. */
int	tui_world_create(struct tui_world *w, const struct tui_world_spec *spec);

/* Stops the register, removes the directories (unless SESSHU_KEEP_TEST_DIRS)
 * and frees the world's strings. */
void	tui_world_destroy(struct tui_world *w);

#endif
