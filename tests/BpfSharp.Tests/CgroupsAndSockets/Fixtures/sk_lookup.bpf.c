/* Steers TCP connections to 127.0.0.1:steer_port to the socket in target[0], whatever port that socket listens on. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_SOCKMAP);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} target SEC(".maps");

volatile const __u32 steer_port; /* host order, as ctx->local_port is */
__u64 steered, looked_up;

SEC("sk_lookup")
int steer(struct bpf_sk_lookup *ctx)
{
	__sync_fetch_and_add(&looked_up, 1);
	if (ctx->local_port != steer_port)
		return SK_PASS;
	__u32 key = 0;
	struct bpf_sock *sk = bpf_map_lookup_elem(&target, &key);
	if (!sk)
		return SK_DROP;
	long err = bpf_sk_assign(ctx, sk, 0);
	bpf_sk_release(sk);
	if (err)
		return SK_DROP;
	__sync_fetch_and_add(&steered, 1);
	return SK_PASS;
}

char LICENSE[] SEC("license") = "GPL";
