/* sk_lookup: steer connections to port 7007 to a socket kept in a sockmap. */
#include "fixtures.h"

struct {
	__uint(type, BPF_MAP_TYPE_SOCKMAP);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 1);
} target SEC(".maps");

SEC("sk_lookup")
int steer(struct bpf_sk_lookup *ctx)
{
	__u32 zero = 0;
	if (ctx->local_port != 7007)
		return SK_PASS;
	struct bpf_sock *sk = bpf_map_lookup_elem(&target, &zero);
	if (!sk)
		return SK_DROP;
	long err = bpf_sk_assign(ctx, sk, 0);
	bpf_sk_release(sk);
	return err ? SK_DROP : SK_PASS;
}

FIXTURE_LICENSE;
