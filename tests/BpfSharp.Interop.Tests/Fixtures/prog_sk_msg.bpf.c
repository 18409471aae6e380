/* sk_msg verdict program redirecting messages through a sockhash. */
#include "fixtures.h"

struct {
	__uint(type, BPF_MAP_TYPE_SOCKHASH);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 64);
} peers SEC(".maps");

SEC("sk_msg")
int msg_verdict(struct sk_msg_md *msg)
{
	__u32 key = msg->remote_port;
	if (msg->size > 4096)
		return SK_DROP;
	return bpf_msg_redirect_hash(msg, &peers, &key, BPF_F_INGRESS);
}

FIXTURE_LICENSE;
