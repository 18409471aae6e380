/* tp_btf/sched_process_exec: records the pid and comm of every exec, keyed by pid. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

struct exec_seen {
	__u32 old_pid;
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, __u32);
	__type(value, struct exec_seen);
} execs SEC(".maps");

SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	__u32 pid = p->tgid;
	struct exec_seen seen = { .old_pid = old_pid };
	bpf_get_current_comm(seen.comm, sizeof(seen.comm));
	bpf_map_update_elem(&execs, &pid, &seen, BPF_ANY);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
