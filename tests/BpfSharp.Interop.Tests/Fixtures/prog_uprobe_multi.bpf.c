/* uprobe.multi (kernel 6.6+, BPF_TRACE_UPROBE_MULTI). libbpf 1.1 predates the section name. */
#include "fixtures.h"

__u64 multi_hits;

SEC("uprobe.multi")
int upm_any(struct pt_regs *ctx)
{
	multi_hits++;
	return 0;
}

FIXTURE_LICENSE;
