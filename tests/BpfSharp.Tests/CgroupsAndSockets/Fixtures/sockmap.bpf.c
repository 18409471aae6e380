/* sk_skb and sk_msg programs for a two-slot sockmap: redirect what slot 0 receives out of slot 1, drop, count. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_SOCKMAP);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} sock_map SEC(".maps");

__u64 parsed, verdicts, msgs, msg_bytes;

SEC("sk_skb/stream_parser")
int parse_whole(struct __sk_buff *skb)
{
	__sync_fetch_and_add(&parsed, 1);
	return skb->len;
}

SEC("sk_skb/stream_verdict")
int redirect_to_1(struct __sk_buff *skb)
{
	__sync_fetch_and_add(&verdicts, 1);
	return bpf_sk_redirect_map(skb, &sock_map, 1, 0);
}

SEC("sk_skb/stream_verdict")
int drop_stream(struct __sk_buff *skb)
{
	__sync_fetch_and_add(&verdicts, 1);
	return SK_DROP;
}

SEC("sk_skb/verdict")
int redirect_skb_to_1(struct __sk_buff *skb)
{
	__sync_fetch_and_add(&verdicts, 1);
	return bpf_sk_redirect_map(skb, &sock_map, 1, 0);
}

SEC("sk_msg")
int count_msg(struct sk_msg_md *msg)
{
	__sync_fetch_and_add(&msgs, 1);
	__sync_fetch_and_add(&msg_bytes, msg->size);
	return SK_PASS;
}

SEC("sk_msg")
int drop_msg(struct sk_msg_md *msg)
{
	__sync_fetch_and_add(&msgs, 1);
	return SK_DROP;
}

char LICENSE[] SEC("license") = "GPL";
