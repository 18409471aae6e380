/* tcx (kernel 6.6+): SCHED_CLS programs for BPF_TCX_INGRESS/EGRESS. libbpf 1.1 predates the names. */
#include "fixtures.h"

SEC("tcx/ingress")
int tcx_in(struct __sk_buff *skb)
{
	return skb->len ? TCX_PASS : TCX_DROP;
}

SEC("tcx/egress")
int tcx_out(struct __sk_buff *skb)
{
	skb->mark = 7;
	return TCX_NEXT;
}

FIXTURE_LICENSE;
