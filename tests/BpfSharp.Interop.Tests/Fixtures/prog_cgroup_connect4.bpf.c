/* cgroup/connect4 and cgroup/sendmsg4: rewrite the destination port of IPv4 connects. */
#include "fixtures.h"

SEC("cgroup/connect4")
int connect4(struct bpf_sock_addr *ctx)
{
	if (ctx->user_port == bpf_htons(8080))
		ctx->user_port = bpf_htons(80);
	return 1;
}

SEC("cgroup/sendmsg4")
int sendmsg4(struct bpf_sock_addr *ctx)
{
	return ctx->user_ip4 != 0;
}

FIXTURE_LICENSE;
