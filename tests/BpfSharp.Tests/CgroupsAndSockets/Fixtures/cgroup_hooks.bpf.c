/* One program per cgroup hook the tests exercise; each counts what it sees in a .bss global and allows, denies or
 * rewrites. The ports are .rodata, set before load. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_endian.h>

#define AF_INET 2
#define SOCK_DGRAM 2
#define SOL_SOCKET 1

volatile const __u16 redirect_from; /* host order */
volatile const __u16 redirect_to;
volatile const __u16 deny_port;

__u64 connects, creates, releases, post_binds, binds, sends, setsockopts, getsockopts, sysctl_reads, device_denials;
__u64 ingress_packets, egress_packets;
__s32 last_setsockopt_name, last_getsockopt_name;
__u64 first_to_run;
char last_sysctl[64];

SEC("cgroup/connect4")
int count_connect4(struct bpf_sock_addr *ctx)
{
	__sync_fetch_and_add(&connects, 1);
	return 1;
}

SEC("cgroup/connect4")
int deny_connect4(struct bpf_sock_addr *ctx)
{
	__sync_fetch_and_add(&connects, 1);
	return 0;
}

SEC("cgroup/connect4")
int redirect_connect4(struct bpf_sock_addr *ctx)
{
	if (ctx->user_port == bpf_htons(redirect_from)) {
		ctx->user_port = bpf_htons(redirect_to);
		__sync_fetch_and_add(&connects, 1);
	}
	return 1;
}

SEC("cgroup/getpeername4")
int hide_redirect_getpeername4(struct bpf_sock_addr *ctx)
{
	if (ctx->user_port == bpf_htons(redirect_to))
		ctx->user_port = bpf_htons(redirect_from);
	return 1;
}

SEC("cgroup/sock_create")
int deny_udp_create(struct bpf_sock *ctx)
{
	if (ctx->family == AF_INET && ctx->type == SOCK_DGRAM) {
		__sync_fetch_and_add(&creates, 1);
		return 0;
	}
	return 1;
}

SEC("cgroup/sock_release")
int count_release(struct bpf_sock *ctx)
{
	__sync_fetch_and_add(&releases, 1);
	return 1;
}

SEC("cgroup/post_bind4")
int count_post_bind4(struct bpf_sock *ctx)
{
	__sync_fetch_and_add(&post_binds, 1);
	return ctx->src_port == deny_port ? 0 : 1;
}

SEC("cgroup/bind4")
int deny_bind4(struct bpf_sock_addr *ctx)
{
	if (ctx->user_port == bpf_htons(deny_port)) {
		__sync_fetch_and_add(&binds, 1);
		return 0;
	}
	return 1;
}

SEC("cgroup/sendmsg4")
int count_sendmsg4(struct bpf_sock_addr *ctx)
{
	__sync_fetch_and_add(&sends, 1);
	return 1;
}

SEC("cgroup/setsockopt")
int see_setsockopt(struct bpf_sockopt *ctx)
{
	if (ctx->level == SOL_SOCKET) {
		last_setsockopt_name = ctx->optname;
		__sync_fetch_and_add(&setsockopts, 1);
	}
	return 1;
}

SEC("cgroup/setsockopt")
int deny_setsockopt(struct bpf_sockopt *ctx)
{
	return ctx->level == SOL_SOCKET ? 0 : 1;
}

SEC("cgroup/getsockopt")
int see_getsockopt(struct bpf_sockopt *ctx)
{
	if (ctx->level == SOL_SOCKET) {
		last_getsockopt_name = ctx->optname;
		__sync_fetch_and_add(&getsockopts, 1);
	}
	return 1;
}

SEC("cgroup/sysctl")
int see_sysctl(struct bpf_sysctl *ctx)
{
	if (!ctx->write) {
		bpf_sysctl_get_name(ctx, last_sysctl, sizeof last_sysctl, 0);
		__sync_fetch_and_add(&sysctl_reads, 1);
	}
	return 1;
}

SEC("cgroup/sysctl")
int deny_sysctl(struct bpf_sysctl *ctx)
{
	return 0;
}

SEC("cgroup/dev")
int deny_dev_null(struct bpf_cgroup_dev_ctx *ctx)
{
	if (ctx->major == 1 && ctx->minor == 3) {
		__sync_fetch_and_add(&device_denials, 1);
		return 0;
	}
	return 1;
}

SEC("cgroup_skb/ingress")
int count_ingress(struct __sk_buff *skb)
{
	__sync_fetch_and_add(&ingress_packets, 1);
	return 1;
}

SEC("cgroup_skb/egress")
int count_egress(struct __sk_buff *skb)
{
	__sync_fetch_and_add(&egress_packets, 1);
	return 1;
}

/* For ordering: whichever of the two runs first on the first packet leaves its mark. */
SEC("cgroup_skb/egress")
int mark_a(struct __sk_buff *skb)
{
	__sync_val_compare_and_swap(&first_to_run, 0, 1);
	return 1;
}

SEC("cgroup_skb/egress")
int mark_b(struct __sk_buff *skb)
{
	__sync_val_compare_and_swap(&first_to_run, 0, 2);
	return 1;
}

char LICENSE[] SEC("license") = "GPL";
