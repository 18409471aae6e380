// CO-RE relocations of every kind against the running kernel, compiled by clang-19 and loaded by libbpf
// (bpftool -d prog loadall) for comparison with BpfSharp's relocator. Every relocation that cannot be
// satisfied is guarded, so the program also passes the verifier.
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct hlist_node___mine {
	struct hlist_node___mine *next, **pprev;
} __attribute__((preserve_access_index));

struct sched_entity___mine {
	unsigned long long vruntime;
} __attribute__((preserve_access_index));

struct mm_struct___mine {
	void *pgd;                      /* inside an anonymous struct in the kernel */
} __attribute__((preserve_access_index));

struct task_struct___mine {
	int pid;
	int tgid;
	char comm[16];
	unsigned long flags;            /* unsigned int in the kernel: loads shrink from 8 to 4 bytes */
	long __state;                   /* unsigned int in the kernel, signed here: a resized load would be wrong */
	struct task_struct___mine *real_parent;
	struct sched_entity___mine se;
	struct hlist_node___mine pid_links[4];
	struct mm_struct___mine *mm;
	unsigned int in_execve:1;
	unsigned int init_private_fork_class:4;
	long does_not_exist;
} __attribute__((preserve_access_index));

enum pid_type___mine { PIDTYPE_PID = 7, PIDTYPE_TGID = 100, PIDTYPE_NOPE = 42 };
enum perf_callchain_context___mine { PERF_CONTEXT_KERNEL = 0x1000000000ULL, PERF_CONTEXT_NOPE = 0x2000000000ULL };

__u64 result;

SEC("tp_btf/sys_enter")
int core_task(void *ctx)
{
	struct task_struct___mine *t = (void *)bpf_get_current_task_btf();
	__u64 acc = 0;

	acc += t->pid;
	acc += t->flags;
	acc += t->se.vruntime;
	acc += t->comm[3];
	if (bpf_core_field_size(t->__state) == 8)
		acc += t->__state;
	acc += BPF_CORE_READ(t, real_parent, tgid);
	acc += (long)BPF_CORE_READ(t, pid_links[2].pprev);
	acc += (long)BPF_CORE_READ(t, mm, pgd);
	acc += BPF_CORE_READ_BITFIELD_PROBED(t, in_execve);
	acc += BPF_CORE_READ_BITFIELD_PROBED(t, init_private_fork_class);
	if (bpf_core_field_exists(t->does_not_exist))
		acc += BPF_CORE_READ(t, does_not_exist);
	acc += bpf_core_field_size(t->comm);
	acc += bpf_core_field_offset(t->comm[5]);
	acc += bpf_core_type_exists(struct task_struct___mine);
	acc += bpf_core_type_size(struct task_struct___mine);
	acc += bpf_core_type_matches(struct sched_entity___mine);
	acc += bpf_core_type_matches(struct hlist_node___mine);
	acc += bpf_core_type_id_kernel(struct task_struct___mine);
	acc += bpf_core_type_id_local(struct task_struct___mine);
	acc += bpf_core_enum_value_exists(enum pid_type___mine, PIDTYPE_NOPE);
	acc += bpf_core_enum_value(enum pid_type___mine, PIDTYPE_TGID);
	if (bpf_core_enum_value_exists(enum pid_type___mine, PIDTYPE_NOPE))
		acc += bpf_core_enum_value(enum pid_type___mine, PIDTYPE_NOPE);
	acc += bpf_core_enum_value(enum perf_callchain_context___mine, PERF_CONTEXT_KERNEL);
	if (bpf_core_enum_value_exists(enum perf_callchain_context___mine, PERF_CONTEXT_NOPE))
		acc += bpf_core_enum_value(enum perf_callchain_context___mine, PERF_CONTEXT_NOPE);
	result = acc;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
