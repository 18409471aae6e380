/* sockops: enable RTT callbacks and record established connections in a sockhash. */
#include "fixtures.h"

struct sock_key {
	__u32 sip;
	__u32 dip;
	__u32 sport;
	__u32 dport;
};

struct {
	__uint(type, BPF_MAP_TYPE_SOCKHASH);
	__type(key, struct sock_key);
	__type(value, __u64);
	__uint(max_entries, 128);
} conns SEC(".maps");

SEC("sockops")
int sockops_cb(struct bpf_sock_ops *skops)
{
	struct sock_key key = {
		.sip = skops->local_ip4,
		.dip = skops->remote_ip4,
		.sport = skops->local_port,
		.dport = bpf_ntohl(skops->remote_port),
	};
	switch (skops->op) {
	case BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB:
	case BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB:
		bpf_sock_hash_update(skops, &conns, &key, BPF_ANY);
		bpf_sock_ops_cb_flags_set(skops, BPF_SOCK_OPS_RTT_CB_FLAG);
		break;
	}
	return 1;
}

FIXTURE_LICENSE;
