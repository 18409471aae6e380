/* 3. A bounded loop over a map value: sum 64 u32 samples of an array-map slot into the slot's total. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define SAMPLE_COUNT 64

struct samples {
	__u32 values[SAMPLE_COUNT];
	__u64 total;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct samples);
} sample_sets SEC(".maps");

SEC("xdp")
int sum_samples(struct xdp_md *ctx)
{
	__u32 key = 0;
	struct samples *s = bpf_map_lookup_elem(&sample_sets, &key);
	if (!s)
		return XDP_ABORTED;

	__u64 total = 0;
	for (int i = 0; i < SAMPLE_COUNT; i++)
		total += s->values[i];
	s->total = total;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
