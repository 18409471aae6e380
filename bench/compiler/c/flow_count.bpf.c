/* 2. Socket filter: count packets per TCP/UDP 5-tuple in a hash map. A socket filter sees the packet
 * from the IP header and reads it with bpf_skb_load_bytes (no direct packet access). */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include "packet.h"

struct flow_key {
	__be32 saddr;
	__be32 daddr;
	__be16 sport;
	__be16 dport;
	__u32 protocol;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct flow_key);
	__type(value, __u64);
} flow_counts SEC(".maps");

SEC("socket")
int count_flows(struct __sk_buff *skb)
{
	struct ipv4_hdr ip;
	if (bpf_skb_load_bytes(skb, 0, &ip, sizeof(ip)) < 0)
		return 0;
	if (ip.version_ihl != 0x45)
		return skb->len;
	if (ip.protocol != IPPROTO_TCP && ip.protocol != IPPROTO_UDP)
		return skb->len;

	struct l4_ports ports;
	if (bpf_skb_load_bytes(skb, sizeof(ip), &ports, sizeof(ports)) < 0)
		return skb->len;

	struct flow_key key = {
		.saddr = ip.saddr,
		.daddr = ip.daddr,
		.sport = ports.sport,
		.dport = ports.dport,
		.protocol = ip.protocol,
	};
	__u64 *count = bpf_map_lookup_elem(&flow_counts, &key);
	if (count) {
		__sync_fetch_and_add(count, 1);
	} else {
		__u64 one = 1;
		bpf_map_update_elem(&flow_counts, &key, &one, BPF_NOEXIST);
	}
	return skb->len;
}

char LICENSE[] SEC("license") = "GPL";
