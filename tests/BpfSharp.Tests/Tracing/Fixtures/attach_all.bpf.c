/* Several sections for AttachAll: the auto-attachable ones count into `hits` for the test's process; the others are
 * skipped with a reason. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

const volatile __u32 target_tgid = 0;

/* hits[0]: openat tracepoint, [1]: raw_tp sys_enter, [2]: tp_btf exec of a child of the test process. */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 3);
	__type(key, __u32);
	__type(value, __u64);
} hits SEC(".maps");

static void count(__u32 slot)
{
	__u64 *v = bpf_map_lookup_elem(&hits, &slot);
	if (v)
		__sync_fetch_and_add(v, 1);
}

static bool mine(void)
{
	return (bpf_get_current_pid_tgid() >> 32) == target_tgid;
}

SEC("tracepoint/syscalls/sys_enter_openat")
int on_openat(void *ctx)
{
	if (mine())
		count(0);
	return 0;
}

SEC("raw_tp/sys_enter")
int on_sys_enter(void *ctx)
{
	if (mine())
		count(1);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	if (p->real_parent && p->real_parent->tgid == target_tgid)
		count(2);
	return 0;
}

SEC("iter/task")
int list_tasks(struct bpf_iter__task *ctx)
{
	struct task_struct *task = ctx->task;
	if (task)
		BPF_SEQ_PRINTF(ctx->meta->seq, "%d\n", task->tgid);
	return 0;
}

SEC("xdp")
int pass_packets(struct xdp_md *ctx)
{
	return XDP_PASS;
}

SEC("perf_event")
int on_sample(void *ctx)
{
	return 0;
}

SEC("kprobe")
int no_target(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
