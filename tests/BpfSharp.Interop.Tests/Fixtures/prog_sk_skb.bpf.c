/* sk_skb stream parser and verdict over a sockmap, plus the plain sk_skb section. */
#include "fixtures.h"

struct {
	__uint(type, BPF_MAP_TYPE_SOCKMAP);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 4);
} socks SEC(".maps");

SEC("sk_skb/stream_parser")
int skb_parser(struct __sk_buff *skb)
{
	return skb->len;
}

SEC("sk_skb/stream_verdict")
int skb_verdict(struct __sk_buff *skb)
{
	return bpf_sk_redirect_map(skb, &socks, skb->len & 3, 0);
}

SEC("sk_skb")
int skb_plain(struct __sk_buff *skb)
{
	return SK_PASS;
}

FIXTURE_LICENSE;
