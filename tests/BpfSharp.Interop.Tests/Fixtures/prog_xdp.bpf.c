/* XDP: parse Ethernet and IPv4 headers with bounds checks; plus an xdp.frags program. */
#include "fixtures.h"

__u64 drops;

SEC("xdp")
int xdp_parse(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(0x0800))
		return XDP_PASS;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > end)
		return XDP_PASS;
	if (ip->ttl <= 1) {
		drops++;
		return XDP_DROP;
	}
	return XDP_PASS;
}

SEC("xdp.frags")
int xdp_frags(struct xdp_md *ctx)
{
	return bpf_xdp_get_buff_len(ctx) > 9000 ? XDP_DROP : XDP_PASS;
}

FIXTURE_LICENSE;
