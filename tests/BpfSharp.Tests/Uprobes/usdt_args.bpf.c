// SPDX-License-Identifier: GPL-2.0
/* Reads the arguments of the test binary's USDT probes through libbpf's <bpf/usdt.bpf.h> protocol (spec map +
 * BPF cookie), as any libbpf user's program would. Built by clang-19 at test time, loaded with BpfObject.Load. */
#include <stdbool.h>
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/usdt.bpf.h>

/* "usdt", or "uprobe.multi" for a copy loaded with expected attach type BPF_TRACE_UPROBE_MULTI. */
#ifndef PROBE_SECTION
#define PROBE_SECTION "usdt"
#endif

enum {
	TICK_CALLS, TICK_SUM_I, TICK_SUM_SCALED, TICK_SUM_FIVE, TICK_SUM_ARG_COUNT, TICK_SUM_COOKIE, TICK_SUM_MEM,
	GUARDED_CALLS, GUARDED_SUM_I, ERRORS, SLOTS
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SLOTS);
	__type(key, __u32);
	__type(value, __s64);
} results SEC(".maps");

static __always_inline void add(__u32 slot, __s64 value)
{
	__s64 *p = bpf_map_lookup_elem(&results, &slot);
	if (p)
		__sync_fetch_and_add(p, value);
}

/* bpfsharp:tick(int i, long i * 1000 - 3, int 5, int on-the-stack i) */
SEC(PROBE_SECTION)
int BPF_USDT(on_tick, int i, long scaled, int five, int mem)
{
	long fourth;

	add(TICK_CALLS, 1);
	add(TICK_SUM_I, i);
	add(TICK_SUM_SCALED, scaled);
	add(TICK_SUM_FIVE, five);
	add(TICK_SUM_MEM, mem);
	add(TICK_SUM_ARG_COUNT, bpf_usdt_arg_cnt(ctx));
	add(TICK_SUM_COOKIE, bpf_usdt_cookie(ctx));
	if (bpf_usdt_arg(ctx, 4, &fourth) != -ENOENT)
		add(ERRORS, 1);
	return 0;
}

/* bpfsharp:guarded(int i), behind a semaphore */
SEC(PROBE_SECTION)
int BPF_USDT(on_guarded, int i)
{
	add(GUARDED_CALLS, 1);
	add(GUARDED_SUM_I, i);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
