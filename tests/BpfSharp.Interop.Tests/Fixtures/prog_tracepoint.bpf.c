/* Tracepoints with a typed context, under "tracepoint/" and "tp/"; bpf_printk, whose formats are
 * static const arrays in .rodata, and a string literal passed by address, which clang puts in the
 * mergeable-strings section .rodata.str1.1. */
#include "fixtures.h"

char last_name[16];

SEC("tracepoint/syscalls/sys_enter_openat")
int tp_openat(struct trace_event_raw_sys_enter *ctx)
{
	bpf_printk("openat dfd=%ld", ctx->args[0]);
	bpf_probe_read_kernel_str(last_name, sizeof(last_name), "openat");
	return 0;
}

SEC("tp/sched/sched_process_fork")
int tp_fork(struct trace_event_raw_sched_process_fork *ctx)
{
	bpf_printk("fork %d -> %d", ctx->parent_pid, ctx->child_pid);
	return 0;
}

FIXTURE_LICENSE;
