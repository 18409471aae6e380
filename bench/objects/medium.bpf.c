// SPDX-License-Identifier: GPL-2.0
// medium.bpf.c: the "medium object" of the object-load benchmark (bench/libbpf/object_bench.c and
// ObjectLoadBenchmarks in bench/BpfSharp.Benchmarks). Everything in it loads on this kernel (6.18, see
// docs/benchmarks.md), so open + load + close measures the whole pipeline: ELF and BTF parsing, map
// creation (8 BTF-defined maps + .data/.rodata/.bss), subprogram linking, CO-RE relocation against
// vmlinux BTF and 7 BPF_PROG_LOADs with func_info/line_info.
//
// Built by bench/libbpf/Makefile: clang-19 -g -O2 -target bpf, with build/vmlinux.h from bpftool.

#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

char LICENSE[] SEC("license") = "GPL";

#define ETH_P_IP 0x0800
#define TC_ACT_OK 0

struct medium_flow_key {
	__u32 saddr;
	__u32 daddr;
	__u16 sport;
	__u16 dport;
	__u8 proto;
	__u8 pad[3];
};

struct medium_flow_stats {
	__u64 packets;
	__u64 bytes;
	__u64 last_seen_ns;
};

struct medium_task_event {
	__u32 pid;
	__u32 ppid;
	__u32 uid;
	__u32 kind;
	__u64 start_time;
	char comm[16];
};

// --- BTF-defined maps (8) ------------------------------------------------------------------------

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__type(key, struct medium_flow_key);
	__type(value, struct medium_flow_stats);
} flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 256);
	__type(key, __u32);
	__type(value, __u64);
} proto_counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 8);
	__type(key, __u32);
	__type(value, struct medium_flow_stats);
} cpu_totals SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__uint(max_entries, 1024);
	__type(key, __u32);
	__type(value, __u64);
} syscall_counts SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__uint(max_entries, 2048);
	__type(key, __u32);
	__type(value, struct medium_task_event);
} recent_tasks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__uint(max_entries, 512);
	__type(key, __u64);
	__type(value, __u64);
} cgroup_bytes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 128);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, __u32);
	__type(value, __u32);
} blocked_ports SEC(".maps");

// --- global data: .rodata, .data, .bss -----------------------------------------------------------

const volatile __u32 sample_rate = 1;      // .rodata
const volatile __u16 watched_port = 8080;  // .rodata
__u64 packets_seen = 1;                    // .data
__u32 drop_verdict = XDP_PASS;             // .data
__u64 tasks_seen;                          // .bss
__u64 ringbuf_drops;                       // .bss

// --- subprograms (.text) -------------------------------------------------------------------------

// A real BPF-to-BPF call (noinline): every packet program counts through it.
static __noinline int count_packet(__u32 proto, __u64 len)
{
	__u64 *count = bpf_map_lookup_elem(&proto_counts, &proto);
	if (count)
		__sync_fetch_and_add(count, 1);
	__u32 zero = 0;
	struct medium_flow_stats *total = bpf_map_lookup_elem(&cpu_totals, &zero);
	if (total) {
		total->packets++;
		total->bytes += len;
	}
	__sync_fetch_and_add(&packets_seen, 1);
	return proto == IPPROTO_TCP || proto == IPPROTO_UDP;
}

// CO-RE reads of task_struct, shared by the tracing programs.
static __noinline int record_task(__u32 kind)
{
	struct task_struct *task = (struct task_struct *)bpf_get_current_task();
	__u32 pid = BPF_CORE_READ(task, tgid);
	if (sample_rate > 1 && pid % sample_rate)
		return 0;

	struct medium_task_event ev = {};
	ev.pid = pid;
	ev.ppid = BPF_CORE_READ(task, real_parent, tgid);
	ev.uid = BPF_CORE_READ(task, cred, uid.val);
	ev.kind = kind;
	if (bpf_core_field_exists(task->start_time))
		ev.start_time = BPF_CORE_READ(task, start_time);
	bpf_core_read_str(ev.comm, sizeof(ev.comm), &task->comm);
	bpf_map_update_elem(&recent_tasks, &pid, &ev, BPF_ANY);

	struct medium_task_event *out = bpf_ringbuf_reserve(&events, sizeof(*out), 0);
	if (!out) {
		__sync_fetch_and_add(&ringbuf_drops, 1);
		return 0;
	}
	__builtin_memcpy(out, &ev, sizeof(ev));
	bpf_ringbuf_submit(out, 0);
	__sync_fetch_and_add(&tasks_seen, 1);
	return 1;
}

// --- programs (7) --------------------------------------------------------------------------------

SEC("xdp")
int xdp_count(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *data_end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	if ((void *)(eth + 1) > data_end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(ETH_P_IP))
		return XDP_PASS;
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > data_end)
		return XDP_PASS;

	struct medium_flow_key key = { .saddr = ip->saddr, .daddr = ip->daddr, .proto = ip->protocol };
	if (count_packet(ip->protocol, data_end - data)) {
		struct medium_flow_stats *st = bpf_map_lookup_elem(&flows, &key);
		if (st) {
			__sync_fetch_and_add(&st->packets, 1);
			st->last_seen_ns = bpf_ktime_get_ns();
		} else {
			struct medium_flow_stats init = { .packets = 1, .bytes = data_end - data };
			bpf_map_update_elem(&flows, &key, &init, BPF_NOEXIST);
		}
	}
	return drop_verdict;
}

SEC("tc")
int tc_ingress(struct __sk_buff *skb)
{
	count_packet(skb->protocol == bpf_htons(ETH_P_IP) ? IPPROTO_IP : 255, skb->len);
	__u32 port = watched_port;
	if (bpf_map_lookup_elem(&blocked_ports, &port))
		return 2; // TC_ACT_SHOT
	return TC_ACT_OK;
}

SEC("socket")
int socket_filter(struct __sk_buff *skb)
{
	count_packet(skb->protocol == bpf_htons(ETH_P_IP) ? IPPROTO_IP : 255, skb->len);
	return skb->len;
}

SEC("cgroup_skb/egress")
int cgroup_egress(struct __sk_buff *skb)
{
	__u64 cg = bpf_skb_cgroup_id(skb);
	__u64 *bytes = bpf_map_lookup_elem(&cgroup_bytes, &cg);
	if (bytes) {
		*bytes += skb->len;
	} else {
		__u64 len = skb->len;
		bpf_map_update_elem(&cgroup_bytes, &cg, &len, BPF_ANY);
	}
	return 1;
}

SEC("tracepoint/syscalls/sys_enter_openat")
int tp_openat(struct trace_event_raw_sys_enter *ctx)
{
	__u32 nr = (__u32)BPF_CORE_READ(ctx, id);
	__u64 one = 1, *count = bpf_map_lookup_elem(&syscall_counts, &nr);
	if (count)
		*count += 1;
	else
		bpf_map_update_elem(&syscall_counts, &nr, &one, BPF_ANY);
	return record_task(1);
}

SEC("raw_tp/sched_process_exec")
int raw_tp_exec(struct bpf_raw_tracepoint_args *ctx)
{
	return record_task(2);
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(tp_btf_fork, struct task_struct *parent, struct task_struct *child)
{
	__u32 pid = child->tgid; // direct BTF access, CO-RE relocated
	struct medium_task_event *ev = bpf_map_lookup_elem(&recent_tasks, &pid);
	if (ev)
		ev->ppid = parent->tgid;
	return record_task(3);
}
