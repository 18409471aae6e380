/* A flow dissector for IPv4 without options and UDP/TCP ports; everything else is left to fail (BPF_DROP). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define ETH_P_IP 0x0800

__u64 dissected;
__u16 last_dport;

SEC("flow_dissector")
int dissect(struct __sk_buff *skb)
{
	struct bpf_flow_keys *keys = skb->flow_keys;
	void *data = (void *)(long)skb->data, *end = (void *)(long)skb->data_end;
	__u16 nhoff = keys->nhoff;

	/* a bounded offset lets the verifier check the packet accesses below */
	if (keys->n_proto != bpf_htons(ETH_P_IP) || nhoff > 64)
		return BPF_DROP;
	struct iphdr *ip = data + nhoff;
	if ((void *)(ip + 1) > end || ip->ihl != 5)
		return BPF_DROP;
	keys->addr_proto = ETH_P_IP;
	keys->ip_proto = ip->protocol;
	keys->ipv4_src = ip->saddr;
	keys->ipv4_dst = ip->daddr;
	keys->thoff = nhoff + sizeof(*ip);
	if (ip->protocol == IPPROTO_UDP || ip->protocol == IPPROTO_TCP) {
		__be16 *ports = data + nhoff + sizeof(*ip);
		if ((void *)(ports + 2) > end)
			return BPF_DROP;
		keys->sport = ports[0];
		keys->dport = ports[1];
		last_dport = bpf_ntohs(ports[1]);
	}
	__sync_fetch_and_add(&dissected, 1);
	return BPF_OK;
}

char LICENSE[] SEC("license") = "GPL";
