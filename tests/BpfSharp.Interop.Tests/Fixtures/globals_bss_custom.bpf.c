/* A private .bss.NAME section: libbpf 1.1 refuses it, newer loaders treat it like .data.NAME. */
#include "fixtures.h"

__u64 scratch[8] SEC(".bss.scratch");
__u32 calls SEC(".bss.scratch");

SEC("socket")
int use_bss_custom(struct __sk_buff *skb)
{
	calls++;
	scratch[skb->len & 7] += skb->len;
	return 0;
}

FIXTURE_LICENSE;
