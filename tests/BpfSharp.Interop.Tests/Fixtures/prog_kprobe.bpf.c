/* kprobe/kretprobe programs: they load here (attaching fails: no kprobe PMU in this sandbox). */
#include "fixtures.h"

__u64 unlink_calls;

SEC("kprobe/do_unlinkat")
int BPF_KPROBE(kp_unlinkat, int dfd, struct filename *name)
{
	unlink_calls++;
	return 0;
}

SEC("kretprobe/do_unlinkat")
int BPF_KRETPROBE(krp_unlinkat, long ret)
{
	return ret != 0;
}

FIXTURE_LICENSE;
