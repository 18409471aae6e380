/* 1. XDP: count packets per IPv4 protocol in a per-CPU array. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>
#include "packet.h"

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} proto_counts SEC(".maps");

SEC("xdp")
int count_protocols(struct xdp_md *ctx)
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

	__u32 key = ip->protocol;
	__u64 *count = bpf_map_lookup_elem(&proto_counts, &key);
	if (count)
		*count += 1;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
