/* Ring buffer producers for the RingBufferReader tests, run with BPF_PROG_TEST_RUN as socket filters.
 *
 * Every record starts with struct record_header; the payload after it is a pattern derived from the sequence
 * number, so the reader can check every byte of every record it gets:
 *   the u64 word at byte offset 8*k (k >= 2) is  seq * GOLDEN + k  (little-endian), cut off at `size` bytes;
 *   check = (u32)(seq * 2654435761) ^ size.
 * stats: [0] next sequence number, [1] records committed, [2] records the ring refused (full), [3] discarded. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define GOLDEN 0x9E3779B97F4A7C15ULL
#define MAX_RECORD 272 /* 16 + 255 + padding to whole words */
#define WORDS (MAX_RECORD / 8)

struct record_header {
	__u64 seq;
	__u32 size;
	__u32 check;
};

struct record {
	struct record_header h;
	__u64 words[WORDS - 2];
};

struct fixed_record {
	struct record_header h;
	__u64 words[3];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} ring SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct record);
} scratch SEC(".maps");

static __always_inline __u64 *stat(__u32 index)
{
	return bpf_map_lookup_elem(&stats, &index);
}

static __always_inline __u64 next_seq(void)
{
	__u64 *next = stat(0);
	return next ? __sync_fetch_and_add(next, 1) : 0;
}

static __always_inline void count(__u32 index)
{
	__u64 *v = stat(index);
	if (v)
		__sync_fetch_and_add(v, 1);
}

static __always_inline void fill(struct record_header *h, __u64 *words, int nwords, __u64 seq, __u32 size)
{
	h->seq = seq;
	h->size = size;
	h->check = (__u32)(seq * 2654435761u) ^ size;
	for (int k = 0; k < nwords; k++)
		words[k] = seq * GOLDEN + (k + 2);
}

/* Records of 16..271 bytes (sizes not multiples of 8 included), no wakeup: the overload producer. */
SEC("socket")
int output_varying(struct __sk_buff *skb)
{
	__u32 zero = 0;
	struct record *r = bpf_map_lookup_elem(&scratch, &zero);
	if (!r)
		return 0;
	__u64 seq = next_seq();
	__u32 size = 16 + ((seq * 37) & 255);
	fill(&r->h, r->words, WORDS - 2, seq, size);
	if (bpf_ringbuf_output(&ring, r, size, BPF_RB_NO_WAKEUP) == 0)
		count(1);
	else
		count(2);
	return 0;
}

/* 40-byte records with the default wakeup: the kernel signals a reader that has caught up. */
SEC("socket")
int output_fixed(struct __sk_buff *skb)
{
	struct fixed_record r;
	__u64 seq = next_seq();
	fill(&r.h, r.words, 3, seq, sizeof(r));
	if (bpf_ringbuf_output(&ring, &r, sizeof(r), 0) == 0)
		count(1);
	else
		count(2);
	return 0;
}

/* reserve + submit, or reserve + discard for every third sequence number (seq % 3 == 2). */
SEC("socket")
int reserve_commit(struct __sk_buff *skb)
{
	__u64 seq = next_seq();
	struct fixed_record *r = bpf_ringbuf_reserve(&ring, sizeof(*r), 0);
	if (!r) {
		count(2);
		return 0;
	}
	fill(&r->h, r->words, 3, seq, sizeof(*r));
	if (seq % 3 == 2) {
		bpf_ringbuf_discard(r, BPF_RB_NO_WAKEUP);
		count(3);
	} else {
		bpf_ringbuf_submit(r, BPF_RB_NO_WAKEUP);
		count(1);
	}
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
