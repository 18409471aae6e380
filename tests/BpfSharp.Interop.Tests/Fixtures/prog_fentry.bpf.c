/* fentry/fexit: trampoline programs. This sandbox kernel refuses them with EPERM at load. */
#include "fixtures.h"

__u64 fentry_calls;

SEC("fentry/do_unlinkat")
int BPF_PROG(fe_unlinkat, int dfd, struct filename *name)
{
	fentry_calls++;
	return 0;
}

SEC("fexit/do_unlinkat")
int BPF_PROG(fx_unlinkat, int dfd, struct filename *name, long ret)
{
	return 0;
}

FIXTURE_LICENSE;
