/* Flow dissector: fill bpf_flow_keys for IPv4 from the packet. */
#include "fixtures.h"

SEC("flow_dissector")
int dissect(struct __sk_buff *skb)
{
	struct bpf_flow_keys *keys = skb->flow_keys;
	struct iphdr ip;

	if (bpf_skb_load_bytes(skb, keys->thoff, &ip, sizeof(ip)))
		return BPF_DROP;
	keys->addr_proto = bpf_htons(0x0800);
	keys->ipv4_src = ip.saddr;
	keys->ipv4_dst = ip.daddr;
	keys->ip_proto = ip.protocol;
	keys->thoff += ip.ihl * 4;
	return BPF_OK;
}

FIXTURE_LICENSE;
