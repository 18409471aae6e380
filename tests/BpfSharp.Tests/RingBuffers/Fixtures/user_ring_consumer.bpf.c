/* Drains a user ring buffer that C# fills (UserRingBufferWriter tests), run with BPF_PROG_TEST_RUN as a socket filter.
 *
 * Each record C# writes starts with { u64 seq; u32 size; u32 check } where size is the record's own length and
 * check = (u32)(seq * 2654435761) ^ size; its last byte is (u8)(seq + size). For each record the callback checks the
 * header, that the byte at size - 1 is there with that value and that nothing is readable at offset size (so the
 * kernel handed over exactly `size` bytes), and sums into stats:
 *   [0] records accepted  [1] sum of sizes  [2] sum of sequence numbers  [3] bad records
 *   [4] what the last bpf_user_ringbuf_drain returned. */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct header {
	__u64 seq;
	__u32 size;
	__u32 check;
};

struct {
	__uint(type, BPF_MAP_TYPE_USER_RINGBUF);
	__uint(max_entries, 16 * 1024);
} commands SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 5);
	__type(key, __u32);
	__type(value, __u64);
} stats SEC(".maps");

static __always_inline void add(__u32 index, __u64 value)
{
	__u64 *v = bpf_map_lookup_elem(&stats, &index);
	if (v)
		__sync_fetch_and_add(v, value);
}

static long on_record(struct bpf_dynptr *record, void *ctx)
{
	struct header h;
	__u8 last, beyond;

	if (bpf_dynptr_read(&h, sizeof(h), record, 0, 0) ||
	    h.check != ((__u32)(h.seq * 2654435761u) ^ h.size) || h.size < sizeof(h) ||
	    bpf_dynptr_read(&last, 1, record, h.size - 1, 0) || last != (__u8)(h.seq + h.size) ||
	    bpf_dynptr_read(&beyond, 1, record, h.size, 0) == 0) {
		add(3, 1);
		return 0;
	}
	add(0, 1);
	add(1, h.size);
	add(2, h.seq);
	return 0;
}

SEC("socket")
int drain(struct __sk_buff *skb)
{
	long n = bpf_user_ringbuf_drain(&commands, on_record, NULL, 0);
	__u32 index = 4;
	__u64 *v = bpf_map_lookup_elem(&stats, &index);
	if (v)
		*v = n;
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
