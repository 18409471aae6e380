/* Maps of maps: an array of maps and a hash of maps, each with an inner map template (__array
 * values) and initial contents referring to other maps of the object. */
#include "fixtures.h"

struct inner {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 4);
};

struct inner inner_a SEC(".maps");
struct inner inner_b SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS);
	__uint(max_entries, 3);
	__type(key, __u32);
	__array(values, struct inner);
} outer_array SEC(".maps") = {
	.values = { [0] = &inner_a, [2] = &inner_b },
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH_OF_MAPS);
	__uint(max_entries, 8);
	__type(key, __u32);
	__array(values, struct {
		__uint(type, BPF_MAP_TYPE_HASH);
		__type(key, __u32);
		__type(value, __u32);
		__uint(max_entries, 16);
	});
} outer_hash SEC(".maps");

SEC("socket")
int mim_lookup(struct __sk_buff *skb)
{
	__u32 k = skb->len & 3;
	void *inner = bpf_map_lookup_elem(&outer_array, &k);
	if (inner) {
		__u32 zero = 0;
		__u64 *v = bpf_map_lookup_elem(inner, &zero);
		if (v)
			(*v)++;
	}
	inner = bpf_map_lookup_elem(&outer_hash, &k);
	if (inner) {
		__u32 *c = bpf_map_lookup_elem(inner, &k);
		if (c)
			return *c;
	}
	return 0;
}

FIXTURE_LICENSE;
