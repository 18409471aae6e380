/* CO-RE against task_struct: field reads through pointers, a ___flavour struct for a renamed field
 * (state became __state in 5.14), field/type/enum existence checks, enum values, sizes, bitfields. */
#include "fixtures.h"

struct task_struct___pre514 {
	long state;
} __attribute__((preserve_access_index));

struct does_not_exist___x {
	int nope;
} __attribute__((preserve_access_index));

enum bpf_fixture_enum___x {
	FIXTURE_NOT_A_KERNEL_VALUE___x = 1,
};

struct task_info {
	__u32 pid;
	__u32 tgid;
	__u32 ppid;
	__u32 state;
	__u32 has_state;
	__u32 has_missing;
	__u32 type_sizes;
	__u32 enum_value;
	__u32 flags_size;
	char comm[16];
};

struct task_info last_task;

SEC("tracepoint/syscalls/sys_enter_execve")
int read_task(void *ctx)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	struct task_info *i = &last_task;

	i->pid = BPF_CORE_READ(t, pid);
	i->tgid = BPF_CORE_READ(t, tgid);
	i->ppid = BPF_CORE_READ(t, real_parent, tgid);
	BPF_CORE_READ_STR_INTO(&i->comm, t, comm);

	if (bpf_core_field_exists(t->__state)) {
		i->state = BPF_CORE_READ(t, __state);
		i->has_state = 1;
	} else {
		struct task_struct___pre514 *old = (void *)t;
		i->state = BPF_CORE_READ(old, state);
	}
	i->has_missing = bpf_core_type_exists(struct does_not_exist___x);
	i->type_sizes = bpf_core_type_size(struct task_struct) + bpf_core_field_size(t->comm);
	i->flags_size = bpf_core_field_size(t->flags);
	if (bpf_core_enum_value_exists(enum bpf_map_type, BPF_MAP_TYPE_RINGBUF))
		i->enum_value = bpf_core_enum_value(enum bpf_map_type, BPF_MAP_TYPE_RINGBUF);
	if (bpf_core_enum_value_exists(enum bpf_fixture_enum___x, FIXTURE_NOT_A_KERNEL_VALUE___x))
		i->enum_value = 0;
	return 0;
}

/* A bitfield read via CO-RE (BYTE_OFFSET/BYTE_SIZE/LSHIFT/RSHIFT/SIGNED relocations). */
__u32 in_execve_bit;

SEC("tracepoint/syscalls/sys_exit_execve")
int read_bitfield(void *ctx)
{
	struct task_struct *t = (struct task_struct *)bpf_get_current_task();
	in_execve_bit = BPF_CORE_READ_BITFIELD_PROBED(t, in_execve);
	return 0;
}

FIXTURE_LICENSE;
