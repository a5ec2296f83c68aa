/* harden.c: see harden.h. */
#include "auth/harden.h"

#include <errno.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include "auth/secmem.h"

int
sesshu_harden_process(struct sesshu_err *err)
{
	struct rlimit no_core = { 0, 0 };

	umask(077);
	if (setrlimit(RLIMIT_CORE, &no_core) != 0)
		return sesshu_err_set(err, SESSHU_EIO,
		    "cannot disable core dumps: %s", strerror(errno));
	/* Also blocks ptrace by other same-uid processes and /proc/PID/mem. */
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		return sesshu_err_set(err, SESSHU_EIO,
		    "cannot mark the process undumpable: %s", strerror(errno));
	return secmem_init(SECMEM_DEFAULT_ARENA, err);
}
