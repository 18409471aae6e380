/* Tracepoints with a typed context, under "tracepoint/" and "tp/", and bpf_printk (whose format
 * strings land in .rodata.str1.1). */
#include "fixtures.h"

SEC("tracepoint/syscalls/sys_enter_openat")
int tp_openat(struct trace_event_raw_sys_enter *ctx)
{
	bpf_printk("openat dfd=%ld", ctx->args[0]);
	return 0;
}

SEC("tp/sched/sched_process_fork")
int tp_fork(struct trace_event_raw_sched_process_fork *ctx)
{
	bpf_printk("fork %d -> %d", ctx->parent_pid, ctx->child_pid);
	return 0;
}

FIXTURE_LICENSE;
