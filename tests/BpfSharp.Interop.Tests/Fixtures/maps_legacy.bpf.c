/* Maps declared the pre-BTF way: struct bpf_map_def in SEC("maps"). libbpf 1.0 dropped this. */
#include "fixtures.h"

struct bpf_map_def SEC("maps") legacy_hash = {
	.type = BPF_MAP_TYPE_HASH,
	.key_size = sizeof(__u32),
	.value_size = sizeof(__u64),
	.max_entries = 128,
};

struct bpf_map_def SEC("maps") legacy_array = {
	.type = BPF_MAP_TYPE_ARRAY,
	.key_size = sizeof(__u32),
	.value_size = 32,
	.max_entries = 4,
	.map_flags = 0,
};

SEC("socket")
int legacy_sock(struct __sk_buff *skb)
{
	__u32 key = skb->protocol;
	__u64 one = 1;
	__u64 *v = bpf_map_lookup_elem(&legacy_hash, &key);
	if (v)
		__sync_fetch_and_add(v, 1);
	else
		bpf_map_update_elem(&legacy_hash, &key, &one, BPF_NOEXIST);
	key = 0;
	char *a = bpf_map_lookup_elem(&legacy_array, &key);
	if (a)
		a[0] = 1;
	return 0;
}

FIXTURE_LICENSE;
