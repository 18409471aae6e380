/* Netfilter hook program (kernel 6.4+). libbpf 1.1 predates the "netfilter" section name. */
#include "fixtures.h"

#define NF_DROP 0
#define NF_ACCEPT 1

__u64 nf_seen;

SEC("netfilter")
int nf_count(struct bpf_nf_ctx *ctx)
{
	struct sk_buff *skb = ctx->skb;
	nf_seen++;
	return skb->len > 60000 ? NF_DROP : NF_ACCEPT;
}

FIXTURE_LICENSE;
