// SPDX-License-Identifier: GPL-2.0
// The producer both perf buffer consumers are measured against (bench/events/perfbuf): one BPF_PROG_TEST_RUN
// of `produce` on a chosen CPU (BPF_F_TEST_RUN_ON_CPU) writes ctx[0] records of ctx[1] bytes into that CPU's
// ring of `events` with bpf_perf_event_output, through bpf_loop. Each record starts with a per-CPU sequence
// number. `outcome` counts the records written ([0]) and refused ([1], ring full).
//
// raw_tp, not a socket filter with `repeat`: the kernel's test run takes `repeat` only for packet programs and
// BPF_F_TEST_RUN_ON_CPU only for raw tracepoints, so the loop runs inside the program instead.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define MAX_RECORD 4096

char LICENSE[] SEC("license") = "GPL";

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} events SEC(".maps");

struct record_bytes {
	__u8 bytes[MAX_RECORD];
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct record_bytes);
} record SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 2);
	__type(key, __u32);
	__type(value, __u64);
} outcome SEC(".maps");

struct emit_state {
	void *ctx;
	struct record_bytes *record;
	__u64 size;
	__u64 written;
	__u64 refused;
};

static long emit_one(__u32 index, struct emit_state *s)
{
	__u64 size = s->size;

	if (size > MAX_RECORD)
		return 1;
	*(__u64 *)s->record->bytes += 1;
	if (bpf_perf_event_output(s->ctx, &events, BPF_F_CURRENT_CPU, s->record, size) == 0)
		s->written++;
	else
		s->refused++;
	return 0;
}

SEC("raw_tp")
int produce(__u64 *ctx)
{
	__u32 zero = 0, one = 1;
	struct emit_state s = { .ctx = ctx, .size = ctx[1] };
	__u64 *count;

	if (s.size < 8)
		return 0;
	s.record = bpf_map_lookup_elem(&record, &zero);
	if (!s.record)
		return 0;
	bpf_loop(ctx[0], emit_one, &s, 0);
	count = bpf_map_lookup_elem(&outcome, &zero);
	if (count)
		__sync_fetch_and_add(count, s.written);
	count = bpf_map_lookup_elem(&outcome, &one);
	if (count)
		__sync_fetch_and_add(count, s.refused);
	return 0;
}
