/* Raw tracepoints: BPF_PROG unpacks the u64 argument array; raw_tp.w is the writable variant. */
#include "fixtures.h"

__u64 last_syscall;

SEC("raw_tp/sys_enter")
int BPF_PROG(raw_enter, struct pt_regs *regs, long id)
{
	last_syscall = id;
	return 0;
}

SEC("raw_tracepoint/sched_process_exit")
int raw_exit(struct bpf_raw_tracepoint_args *ctx)
{
	last_syscall = ctx->args[0] ? 1 : 0;
	return 0;
}

FIXTURE_LICENSE;
