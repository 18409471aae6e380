/* Typed ksym variables: per-CPU kernel variables found by name in vmlinux BTF, read through
 * bpf_per_cpu_ptr / bpf_this_cpu_ptr. */
#include "fixtures.h"

extern const struct rq runqueues __ksym;
extern const int bpf_prog_active __ksym;

__u64 rq_clock;
__s64 active;

SEC("raw_tp/sched_switch")
int read_ksyms(void *ctx)
{
	const struct rq *rq = bpf_per_cpu_ptr(&runqueues, 0);
	if (rq)
		rq_clock = rq->clock;
	const int *a = bpf_this_cpu_ptr(&bpf_prog_active);
	active = *a;
	return 0;
}

FIXTURE_LICENSE;
