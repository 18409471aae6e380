/* Two TCP congestion controls that behave like Reno and count their init calls: cc_linked in .struct_ops.link (AttachAll
 * makes a struct_ops link for it) and cc_legacy in .struct_ops (AttachAll registers it by writing its value). The names
 * come from the compiler command line so that every run registers its own. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#ifndef CC_NAME
#define CC_NAME "bpfsharp_aa"
#endif
#ifndef CC_LEGACY_NAME
#define CC_LEGACY_NAME "bpfsharp_aal"
#endif

extern __u32 tcp_reno_ssthresh(struct sock *sk) __ksym;
extern void tcp_reno_cong_avoid(struct sock *sk, __u32 ack, __u32 acked) __ksym;
extern __u32 tcp_reno_undo_cwnd(struct sock *sk) __ksym;

__u64 inits_linked, inits_legacy;

SEC("struct_ops/aa_init_linked")
void BPF_PROG(aa_init_linked, struct sock *sk)
{
	__sync_fetch_and_add(&inits_linked, 1);
}

SEC("struct_ops/aa_init_legacy")
void BPF_PROG(aa_init_legacy, struct sock *sk)
{
	__sync_fetch_and_add(&inits_legacy, 1);
}

SEC("struct_ops/aa_ssthresh")
__u32 BPF_PROG(aa_ssthresh, struct sock *sk)
{
	return tcp_reno_ssthresh(sk);
}

SEC("struct_ops/aa_cong_avoid")
void BPF_PROG(aa_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
	tcp_reno_cong_avoid(sk, ack, acked);
}

SEC("struct_ops/aa_undo_cwnd")
__u32 BPF_PROG(aa_undo_cwnd, struct sock *sk)
{
	return tcp_reno_undo_cwnd(sk);
}

SEC(".struct_ops.link")
struct tcp_congestion_ops cc_linked = {
	.init = (void *)aa_init_linked,
	.ssthresh = (void *)aa_ssthresh,
	.cong_avoid = (void *)aa_cong_avoid,
	.undo_cwnd = (void *)aa_undo_cwnd,
	.name = CC_NAME,
};

SEC(".struct_ops")
struct tcp_congestion_ops cc_legacy = {
	.init = (void *)aa_init_legacy,
	.ssthresh = (void *)aa_ssthresh,
	.cong_avoid = (void *)aa_cong_avoid,
	.undo_cwnd = (void *)aa_undo_cwnd,
	.name = CC_LEGACY_NAME,
};

char LICENSE[] SEC("license") = "GPL";
