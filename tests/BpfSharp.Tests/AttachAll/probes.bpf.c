// SPDX-License-Identifier: GPL-2.0
/* One program per user-space attach kind that BpfObject.AttachAll attaches from the section name alone, all on the
 * test binary (Uprobes/uprobe_target.c) whose path, TARGET, is only known at test time (-DTARGET="\"/path\""):
 * a uprobe and a uretprobe on bpfsharp_target, a uprobe.multi on the glob bpfsharp_t* (bpfsharp_target and
 * bpfsharp_third), and USDT probes bpfsharp:tick (four arguments) and bpfsharp:guarded (behind a semaphore).
 * Each adds to slots of the results map. */
#include <stdbool.h>
#include <linux/bpf.h>
#include <linux/ptrace.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/usdt.bpf.h>

#ifndef TARGET
#error "compile with -DTARGET='\"/path/to/uprobe_target\"'"
#endif

enum {
	TARGET_CALLS, TARGET_SUM_A, TARGET_SUM_B, RETURN_CALLS, RETURN_SUM, MULTI_CALLS,
	TICK_CALLS, TICK_SUM_I, TICK_SUM_SCALED, TICK_SUM_FIVE, TICK_SUM_MEM, GUARDED_CALLS, GUARDED_SUM_I, SLOTS
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

/* bpfsharp_target(int a, int b) returns a * 10 + b */
SEC("uprobe/" TARGET ":bpfsharp_target")
int BPF_KPROBE(on_target, int a, int b)
{
	add(TARGET_CALLS, 1);
	add(TARGET_SUM_A, a);
	add(TARGET_SUM_B, b);
	return 0;
}

SEC("uretprobe/" TARGET ":bpfsharp_target")
int BPF_KRETPROBE(on_target_return, int ret)
{
	add(RETURN_CALLS, 1);
	add(RETURN_SUM, ret);
	return 0;
}

SEC("uprobe.multi/" TARGET ":bpfsharp_t*")
int on_t_functions(struct pt_regs *ctx)
{
	add(MULTI_CALLS, 1);
	return 0;
}

/* bpfsharp:tick(int i, long i * 1000 - 3, int 5, int on-the-stack i + 100) */
SEC("usdt/" TARGET ":bpfsharp:tick")
int BPF_USDT(on_tick, int i, long scaled, int five, int mem)
{
	add(TICK_CALLS, 1);
	add(TICK_SUM_I, i);
	add(TICK_SUM_SCALED, scaled);
	add(TICK_SUM_FIVE, five);
	add(TICK_SUM_MEM, mem);
	return 0;
}

/* bpfsharp:guarded(int i), fired only while its semaphore is raised */
SEC("usdt/" TARGET ":bpfsharp:guarded")
int BPF_USDT(on_guarded, int i)
{
	add(GUARDED_CALLS, 1);
	add(GUARDED_SUM_I, i);
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
