/* More cgroup attach points libbpf 1.1 knows: sysctl, getsockopt, device, bind4. */
#include "fixtures.h"

SEC("cgroup/sysctl")
int sysctl_ro(struct bpf_sysctl *ctx)
{
	return ctx->write ? 0 : 1;
}

SEC("cgroup/getsockopt")
int getsockopt_pass(struct bpf_sockopt *ctx)
{
	return 1;
}

SEC("cgroup/dev")
int dev_allow(struct bpf_cgroup_dev_ctx *ctx)
{
	return ctx->major != 1;
}

SEC("cgroup/bind4")
int bind4(struct bpf_sock_addr *ctx)
{
	return 1;
}

FIXTURE_LICENSE;
