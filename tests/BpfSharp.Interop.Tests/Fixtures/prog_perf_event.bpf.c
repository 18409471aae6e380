/* perf_event program sampling the current stack into a stack-trace map. */
#include "fixtures.h"

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, 32 * sizeof(__u64));
	__uint(max_entries, 128);
} samples SEC(".maps");

SEC("perf_event")
int on_sample(struct bpf_perf_event_data *ctx)
{
	if (ctx->sample_period == 0)
		return 0;
	bpf_get_stackid(ctx, &samples, BPF_F_USER_STACK);
	return 0;
}

FIXTURE_LICENSE;
