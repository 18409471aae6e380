/* Three TCP congestion controls that behave like Reno (through the kernel's reno kfuncs) and count their init and
 * cong_avoid calls: cc_a and cc_b for links (same name, so a link can move from one to the other), cc_legacy for
 * legacy registration. The names come from the compiler command line so that every test run registers its own. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#ifndef CC_NAME
#define CC_NAME "bpfsharp_cc"
#endif
#ifndef CC_LEGACY_NAME
#define CC_LEGACY_NAME "bpfsharp_ccl"
#endif

extern __u32 tcp_reno_ssthresh(struct sock *sk) __ksym;
extern void tcp_reno_cong_avoid(struct sock *sk, __u32 ack, __u32 acked) __ksym;
extern __u32 tcp_reno_undo_cwnd(struct sock *sk) __ksym;

__u64 inits_a, inits_b, inits_legacy, cong_avoids;

SEC("struct_ops/cc_init_a")
void BPF_PROG(cc_init_a, struct sock *sk)
{
	__sync_fetch_and_add(&inits_a, 1);
}

SEC("struct_ops/cc_init_b")
void BPF_PROG(cc_init_b, struct sock *sk)
{
	__sync_fetch_and_add(&inits_b, 1);
}

SEC("struct_ops/cc_init_legacy")
void BPF_PROG(cc_init_legacy, struct sock *sk)
{
	__sync_fetch_and_add(&inits_legacy, 1);
}

SEC("struct_ops/cc_ssthresh")
__u32 BPF_PROG(cc_ssthresh, struct sock *sk)
{
	return tcp_reno_ssthresh(sk);
}

SEC("struct_ops/cc_cong_avoid")
void BPF_PROG(cc_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
	__sync_fetch_and_add(&cong_avoids, 1);
	tcp_reno_cong_avoid(sk, ack, acked);
}

SEC("struct_ops/cc_undo_cwnd")
__u32 BPF_PROG(cc_undo_cwnd, struct sock *sk)
{
	return tcp_reno_undo_cwnd(sk);
}

SEC(".struct_ops.link")
struct tcp_congestion_ops cc_a = {
	.init = (void *)cc_init_a,
	.ssthresh = (void *)cc_ssthresh,
	.cong_avoid = (void *)cc_cong_avoid,
	.undo_cwnd = (void *)cc_undo_cwnd,
	.name = CC_NAME,
};

SEC(".struct_ops.link")
struct tcp_congestion_ops cc_b = {
	.init = (void *)cc_init_b,
	.ssthresh = (void *)cc_ssthresh,
	.cong_avoid = (void *)cc_cong_avoid,
	.undo_cwnd = (void *)cc_undo_cwnd,
	.name = CC_NAME,
};

SEC(".struct_ops")
struct tcp_congestion_ops cc_legacy = {
	.init = (void *)cc_init_legacy,
	.ssthresh = (void *)cc_ssthresh,
	.cong_avoid = (void *)cc_cong_avoid,
	.undo_cwnd = (void *)cc_undo_cwnd,
	.name = CC_LEGACY_NAME,
};

char LICENSE[] SEC("license") = "GPL";
