/* A program array filled at load time from its initial values, and tail calls into it. */
#include "fixtures.h"

int stage_hits[3];

SEC("xdp")
int stage_one(struct xdp_md *ctx);
SEC("xdp")
int stage_two(struct xdp_md *ctx);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, int (void *));
} jump_table SEC(".maps") = {
	.values = { [1] = (void *)&stage_one, [3] = (void *)&stage_two },
};

SEC("xdp")
int stage_one(struct xdp_md *ctx)
{
	stage_hits[1]++;
	bpf_tail_call(ctx, &jump_table, 3);
	return XDP_PASS;
}

SEC("xdp")
int stage_two(struct xdp_md *ctx)
{
	stage_hits[2]++;
	return XDP_DROP;
}

SEC("xdp")
int dispatch(struct xdp_md *ctx)
{
	stage_hits[0]++;
	bpf_tail_call(ctx, &jump_table, ctx->rx_queue_index & 3);
	return XDP_ABORTED;
}

FIXTURE_LICENSE;
