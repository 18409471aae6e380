/* 5. XDP packet rewrite: swap the Ethernet and IPv4 source and destination addresses, send it back. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "packet.h"

SEC("xdp")
int swap_addresses(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;

	struct eth_hdr *eth = data;
	if (data + sizeof(struct eth_hdr) > end)
		return XDP_PASS;
	if (eth->proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;

	struct ipv4_hdr *ip = data + sizeof(struct eth_hdr);
	if ((void *)ip + sizeof(struct ipv4_hdr) > end)
		return XDP_PASS;

	struct mac_addr mac = eth->dst;
	eth->dst = eth->src;
	eth->src = mac;

	__be32 addr = ip->saddr;
	ip->saddr = ip->daddr;
	ip->daddr = addr;
	return XDP_TX;
}

char LICENSE[] SEC("license") = "GPL";
