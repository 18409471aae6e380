/* Socket filter: keep only IPv4 TCP packets (read with bpf_skb_load_bytes). */
#include "fixtures.h"

SEC("socket")
int tcp_only(struct __sk_buff *skb)
{
	__u8 proto;
	if (skb->protocol != bpf_htons(0x0800))
		return 0;
	if (bpf_skb_load_bytes(skb, 9, &proto, 1))
		return 0;
	return proto == 6 ? skb->len : 0;
}

char LICENSE[] SEC("license") = "Dual BSD/GPL";
