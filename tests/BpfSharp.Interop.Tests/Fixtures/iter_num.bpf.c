/* Open-coded numeric iterators: kfuncs bpf_iter_num_new/next/destroy on a stack iterator. */
#include "fixtures.h"

__u64 iter_sum;

SEC("raw_tp/sys_enter")
int sum_iter(void *ctx)
{
	struct bpf_iter_num it;
	int *v;
	__u64 sum = 0;

	bpf_iter_num_new(&it, 0, 10);
	while ((v = bpf_iter_num_next(&it)))
		sum += *v;
	bpf_iter_num_destroy(&it);
	iter_sum = sum;
	return 0;
}

FIXTURE_LICENSE;
