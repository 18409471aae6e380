// CO-RE against types the kernel's BTF holds more than once under one name (syscall_tp_t, perf_aux_event, dir_entry),
// flavours, typedefs, unions, nested arrays, 64-bit enums, and relocations inside a BPF-to-BPF subprogram.
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

/* vmlinux has two struct syscall_tp_t: one with 'ret', one with 'args[6]'; both have syscall_nr at the same offset */
struct syscall_tp_t___mine {
	int syscall_nr;
	unsigned long ret;
	unsigned long args[6];
} __attribute__((preserve_access_index));

/* three struct perf_aux_event in vmlinux; only one has pid */
struct perf_aux_event___mine {
	unsigned int pid;
	unsigned int tid;
} __attribute__((preserve_access_index));

/* two struct dir_entry; one ends in a flexible array 'name' */
struct dir_entry___mine {
	char name[0];
} __attribute__((preserve_access_index));

struct list_head___mine {
	struct list_head___mine *next, *prev;
} __attribute__((preserve_access_index));

struct callback_head___mine {
	struct callback_head___mine *next;
	void (*func)(struct callback_head___mine *head);
} __attribute__((preserve_access_index));

union rcu_special___mine {
	struct {
		unsigned char blocked;
		unsigned char need_qs;
	} b;
	unsigned int s;
} __attribute__((preserve_access_index));

struct task_struct___f {
	int pid;
	union rcu_special___mine rcu_read_unlock_special;
	struct list_head___mine children;
	unsigned long long utime;
	int nope;
} __attribute__((preserve_access_index));

typedef int pid_t;
typedef unsigned int pid_t___nope;

enum perf_callchain_context___mine { PERF_CONTEXT_USER = 1, PERF_CONTEXT_MAX = 2 };
enum nope_enum___mine { NOPE_A = 1 };

__u64 result;

static __attribute__((noinline)) __u64 from_subprogram(struct task_struct___f *t)
{
	__u64 acc = t->pid;
	acc += bpf_core_field_offset(t->children.prev);
	acc += t->rcu_read_unlock_special.b.need_qs;
	acc += t->rcu_read_unlock_special.s;
	if (bpf_core_field_exists(t->nope))
		acc += t->nope;
	return acc;
}

SEC("tp_btf/sys_exit")
int core_flavors(void *ctx)
{
	struct task_struct___f *t = (void *)bpf_get_current_task_btf();
	struct syscall_tp_t___mine *s = (void *)ctx;
	__u64 acc = from_subprogram(t);

	acc += bpf_core_field_offset(s->syscall_nr);
	acc += bpf_core_field_offset(s->ret);           /* prunes the candidate without 'ret' */
	acc += bpf_core_field_exists(s->args[1]);       /* so 'args' is no longer found */
	acc += bpf_core_field_offset(((struct perf_aux_event___mine *)0)->pid);
	acc += bpf_core_field_offset(((struct dir_entry___mine *)0)->name[3]);
	acc += bpf_core_type_exists(struct dir_entry___mine);
	acc += bpf_core_type_matches(struct list_head___mine);
	acc += bpf_core_type_matches(struct callback_head___mine);
	acc += bpf_core_type_matches(union rcu_special___mine);
	acc += bpf_core_type_exists(pid_t);
	acc += bpf_core_type_size(pid_t);
	acc += bpf_core_type_exists(pid_t___nope);
	acc += bpf_core_type_matches(enum perf_callchain_context___mine);
	acc += bpf_core_enum_value_exists(enum perf_callchain_context___mine, PERF_CONTEXT_MAX);
	acc += bpf_core_enum_value(enum perf_callchain_context___mine, PERF_CONTEXT_USER);
	acc += bpf_core_enum_value_exists(enum nope_enum___mine, NOPE_A);
	acc += bpf_core_type_size(struct task_struct___f);
	result = acc;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
