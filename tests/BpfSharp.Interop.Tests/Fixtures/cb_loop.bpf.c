/* bpf_loop with a static callback (a pseudo-func ld_imm64 reference) and a context struct. */
#include "fixtures.h"

struct loop_ctx {
	__u64 sum;
	__u32 limit;
};

__u64 loop_result;

static int add_step(__u32 index, void *data)
{
	struct loop_ctx *c = data;
	if (index >= c->limit)
		return 1;
	c->sum += index * index;
	return 0;
}

SEC("raw_tp/sys_enter")
int run_loop(void *ctx)
{
	struct loop_ctx c = { .limit = 50 };
	bpf_loop(100, add_step, &c, 0);
	loop_result = c.sum;
	return 0;
}

FIXTURE_LICENSE;
