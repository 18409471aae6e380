/* BPF-to-BPF calls: static subprograms (inlined nowhere: noinline), a global function the verifier
 * checks on its own, a __hidden global, and one subprogram shared by two entry programs. */
#include "fixtures.h"

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 8);
} slots SEC(".maps");

static __noinline __u64 mix(__u64 a, __u64 b)
{
	return (a * 31) ^ (b + 7);
}

static __noinline int bump(__u32 idx, __u64 by)
{
	__u64 *v = bpf_map_lookup_elem(&slots, &idx);
	if (!v)
		return -1;
	*v += mix(by, idx);
	return 0;
}

__noinline int global_len(struct __sk_buff *skb __arg_ctx)
{
	if (!skb)
		return 0;
	return skb->len;
}

__hidden __noinline int hidden_twice(int x)
{
	return x * 2;
}

SEC("socket")
int sub_socket(struct __sk_buff *skb)
{
	int len = global_len(skb);
	bump(len & 7, len);
	return hidden_twice(len);
}

SEC("tc")
int sub_tc(struct __sk_buff *skb)
{
	bump(1, mix(skb->mark, skb->priority));
	return TC_ACT_OK;
}

FIXTURE_LICENSE;
