/* The one producer both ring buffer benchmarks consume (ringbuf_bench.c with libbpf, RingBufBench with BpfSharp):
 * socket filters run with BPF_PROG_TEST_RUN, each run writing one record of a fixed size with bpf_ringbuf_output and
 * BPF_RB_NO_WAKEUP (no wakeup cost; the consumers never sleep). The first 8 bytes count the records written. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define RING_SIZE (4 * 1024 * 1024)

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, RING_SIZE);
} ring SEC(".maps");

struct payload {
	__u64 seq;
	__u8 bytes[4096 - 8];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct payload);
} source SEC(".maps");

static __always_inline int produce(__u32 size)
{
	__u32 zero = 0;
	struct payload *p = bpf_map_lookup_elem(&source, &zero);
	if (!p)
		return 0;
	p->seq++;
	bpf_ringbuf_output(&ring, p, size, BPF_RB_NO_WAKEUP);
	return 0;
}

SEC("socket") int produce_16(struct __sk_buff *skb) { return produce(16); }
SEC("socket") int produce_64(struct __sk_buff *skb) { return produce(64); }
SEC("socket") int produce_256(struct __sk_buff *skb) { return produce(256); }
SEC("socket") int produce_1024(struct __sk_buff *skb) { return produce(1024); }
SEC("socket") int produce_4096(struct __sk_buff *skb) { return produce(4096); }

char LICENSE[] SEC("license") = "GPL";
