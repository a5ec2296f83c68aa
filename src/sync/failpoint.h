/*
 * failpoint.h: named points where a test can make the process die at the
 * worst moment, to prove that crash recovery works (docs/PROTOCOL.md,
 * "Idempotency and crash safety").
 *
 * SESSHU_FAILPOINT=<name> in the environment makes failpoint_hit(<name>)
 * kill the process with SIGKILL, exactly as a power cut or the OOM killer
 * would: no handlers run, no buffers are flushed. Unset, a failpoint costs
 * one cached comparison. Names in use:
 *   client.push.before-ack   the register answered; the outbox is untouched
 *   register.push.mid-batch  half a push batch is applied, not committed
 */
#ifndef SESSHU_SYNC_FAILPOINT_H
#define SESSHU_SYNC_FAILPOINT_H

void	failpoint_hit(const char *name);

#endif
