/* An LPM trie keyed by a prefix length plus an IPv4 address, looked up from a tc classifier. */
#include "fixtures.h"

struct ipv4_lpm_key {
	__u32 prefixlen;
	__u32 addr;
};

struct route {
	__u32 next_hop;
	__u32 ifindex;
};

struct {
	__uint(type, BPF_MAP_TYPE_LPM_TRIE);
	__type(key, struct ipv4_lpm_key);
	__type(value, struct route);
	__uint(max_entries, 255);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} routes SEC(".maps");

SEC("tc")
int lpm_route(struct __sk_buff *skb)
{
	struct ipv4_lpm_key key = { .prefixlen = 32 };
	/* destination address of an IPv4 packet behind a 14-byte Ethernet header */
	if (bpf_skb_load_bytes(skb, 14 + 16, &key.addr, sizeof(key.addr)))
		return TC_ACT_OK;
	struct route *r = bpf_map_lookup_elem(&routes, &key);
	if (r && r->ifindex)
		return TC_ACT_SHOT;
	return TC_ACT_OK;
}

FIXTURE_LICENSE;
