/* BTF-typed raw tracepoints: arguments are typed kernel pointers read directly. */
#include "fixtures.h"

__u32 last_next_pid;

SEC("tp_btf/sched_switch")
int BPF_PROG(on_switch, bool preempt, struct task_struct *prev, struct task_struct *next)
{
	last_next_pid = next->pid;
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(on_exec_btf, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	last_next_pid = old_pid;
	return 0;
}

FIXTURE_LICENSE;
