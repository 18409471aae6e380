// A flavour that matches several kernel types which disagree on a field's offset (struct workspace exists four
// times in vmlinux, 'list' at different offsets): libbpf refuses the object with "field offset ambiguity".
#include <linux/types.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

struct list_head___mine {
	struct list_head___mine *next, *prev;
} __attribute__((preserve_access_index));

struct workspace___mine {
	struct list_head___mine list;
} __attribute__((preserve_access_index));

__u64 result;

SEC("tp_btf/sys_exit")
int core_ambiguous(void *ctx)
{
	result = bpf_core_field_offset(((struct workspace___mine *)0)->list);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
