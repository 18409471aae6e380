/* kfunc calls resolved against vmlinux BTF: acquire/release a task reference, RCU read lock. */
#include "fixtures.h"

extern struct task_struct *bpf_task_acquire(struct task_struct *p) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;
extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;
extern struct task_struct *bpf_task_from_pid(s32 pid) __ksym;

__u32 seen_pid;

SEC("tp_btf/task_newtask")
int BPF_PROG(new_task, struct task_struct *task, u64 clone_flags)
{
	struct task_struct *ref = bpf_task_acquire(task);
	if (!ref)
		return 0;
	seen_pid = ref->pid;
	bpf_task_release(ref);

	bpf_rcu_read_lock();
	struct task_struct *parent = task->real_parent;
	if (parent)
		seen_pid ^= parent->tgid;
	bpf_rcu_read_unlock();

	struct task_struct *init = bpf_task_from_pid(1);
	if (init)
		bpf_task_release(init);
	return 0;
}

FIXTURE_LICENSE;
