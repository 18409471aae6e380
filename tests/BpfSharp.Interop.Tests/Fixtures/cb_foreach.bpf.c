/* bpf_for_each_map_elem over a hash and an array map, with two different callbacks. */
#include "fixtures.h"

struct entry {
	__u64 value;
	__u32 seen;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, __u32);
	__type(value, struct entry);
	__uint(max_entries, 64);
} table SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 16);
} weights SEC(".maps");

struct walk {
	__u64 total;
	__u32 visited;
};

static long sum_entries(struct bpf_map *map, __u32 *key, struct entry *val, struct walk *w)
{
	w->total += val->value;
	w->visited++;
	val->seen = 1;
	return 0;
}

static long stop_at_zero(struct bpf_map *map, __u32 *key, __u64 *val, struct walk *w)
{
	if (*val == 0)
		return 1;
	w->total += *val;
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_getpid")
int walk_maps(void *ctx)
{
	struct walk w = {};
	bpf_for_each_map_elem(&table, sum_entries, &w, 0);
	bpf_for_each_map_elem(&weights, stop_at_zero, &w, 0);
	return w.visited;
}

FIXTURE_LICENSE;
