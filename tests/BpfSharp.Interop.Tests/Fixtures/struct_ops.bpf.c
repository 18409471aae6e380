/* struct_ops: a TCP congestion control written in BPF (a .struct_ops map plus struct_ops programs). */
#include "fixtures.h"

SEC("struct_ops/fx_init")
void BPF_PROG(fx_init, struct sock *sk)
{
}

SEC("struct_ops/fx_ssthresh")
__u32 BPF_PROG(fx_ssthresh, struct sock *sk)
{
	const struct tcp_sock *tp = (const struct tcp_sock *)sk;
	__u32 half = tp->snd_cwnd >> 1;
	return half > 2 ? half : 2;
}

SEC("struct_ops/fx_cong_avoid")
void BPF_PROG(fx_cong_avoid, struct sock *sk, __u32 ack, __u32 acked)
{
}

SEC("struct_ops/fx_undo_cwnd")
__u32 BPF_PROG(fx_undo_cwnd, struct sock *sk)
{
	const struct tcp_sock *tp = (const struct tcp_sock *)sk;
	return tp->snd_cwnd;
}

SEC(".struct_ops")
struct tcp_congestion_ops fx_cc = {
	.init = (void *)fx_init,
	.ssthresh = (void *)fx_ssthresh,
	.cong_avoid = (void *)fx_cong_avoid,
	.undo_cwnd = (void *)fx_undo_cwnd,
	.name = "bpfsharp_fx",
};

FIXTURE_LICENSE;
