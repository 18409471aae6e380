/* A bpf_timer inside a map value, armed with a callback (pseudo-func reference). */
#include "fixtures.h"

#define CLOCK_MONOTONIC 1

struct elem {
	struct bpf_timer timer;
	__u64 fired;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct elem);
	__uint(max_entries, 1);
} timers SEC(".maps");

static int on_timer(void *map, __u32 *key, struct elem *e)
{
	e->fired++;
	return 0;
}

SEC("tc")
int arm_timer(struct __sk_buff *skb)
{
	__u32 zero = 0;
	struct elem *e = bpf_map_lookup_elem(&timers, &zero);
	if (!e)
		return TC_ACT_OK;
	bpf_timer_init(&e->timer, &timers, CLOCK_MONOTONIC);
	bpf_timer_set_callback(&e->timer, on_timer);
	bpf_timer_start(&e->timer, 1000000, 0);
	return TC_ACT_OK;
}

FIXTURE_LICENSE;
