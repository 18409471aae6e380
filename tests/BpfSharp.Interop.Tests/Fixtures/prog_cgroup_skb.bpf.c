/* cgroup_skb ingress and egress: allow (1) or drop (0) per packet. */
#include "fixtures.h"

__u64 egress_bytes;

SEC("cgroup_skb/ingress")
int cg_ingress(struct __sk_buff *skb)
{
	return skb->len < 65000;
}

SEC("cgroup_skb/egress")
int cg_egress(struct __sk_buff *skb)
{
	__sync_fetch_and_add(&egress_bytes, skb->len);
	return 1;
}

FIXTURE_LICENSE;
