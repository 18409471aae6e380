/* Lightweight tunnel programs: lwt_in, lwt_out, lwt_xmit. */
#include "fixtures.h"

SEC("lwt_in")
int lwt_in_prog(struct __sk_buff *skb)
{
	return skb->len ? BPF_OK : BPF_DROP;
}

SEC("lwt_out")
int lwt_out_prog(struct __sk_buff *skb)
{
	return BPF_OK;
}

SEC("lwt_xmit")
int lwt_xmit_prog(struct __sk_buff *skb)
{
	skb->mark = 1;
	return BPF_OK;
}

FIXTURE_LICENSE;
