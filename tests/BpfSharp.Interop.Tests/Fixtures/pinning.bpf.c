/* LIBBPF_PIN_BY_NAME: the map is pinned under the loader's pin root by its name (and reused when a
 * compatible pin exists); the other map is not pinned. */
#include "fixtures.h"

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 32);
	__uint(pinning, LIBBPF_PIN_BY_NAME);
} pinned_counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 1);
	__uint(pinning, LIBBPF_PIN_NONE);
} unpinned SEC(".maps");

SEC("cgroup_skb/ingress")
int count_pinned(struct __sk_buff *skb)
{
	__u32 k = skb->protocol;
	__u64 one = 1, *v = bpf_map_lookup_elem(&pinned_counts, &k);
	if (v)
		__sync_fetch_and_add(v, 1);
	else
		bpf_map_update_elem(&pinned_counts, &k, &one, BPF_NOEXIST);
	__u32 zero = 0;
	v = bpf_map_lookup_elem(&unpinned, &zero);
	if (v)
		*v += 1;
	return 1;
}

FIXTURE_LICENSE;
