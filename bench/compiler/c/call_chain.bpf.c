/* 4. A chain of four BPF-to-BPF calls, each level doing some arithmetic on the packet length. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

static __attribute__((noinline)) __u32 level4(__u32 x)
{
	return (x ^ (x >> 16)) * 0x45d9f3bu;
}

static __attribute__((noinline)) __u32 level3(__u32 x)
{
	return level4(x + 0x9e3779b9u) * 5 + 1;
}

static __attribute__((noinline)) __u32 level2(__u32 x)
{
	return level3(x * 31 + 7) ^ (x >> 3);
}

static __attribute__((noinline)) __u32 level1(__u32 x)
{
	return level2(x ^ 0x5bd1e995u) + x;
}

SEC("xdp")
int call_chain(struct xdp_md *ctx)
{
	__u32 length = ctx->data_end - ctx->data;
	return level1(length) % 3 == 0 ? XDP_DROP : XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
