/* The map kinds that are not plain key/value tables: queue, stack, bloom filter (map_extra),
 * ring buffers, perf event array, stack traces, per-object storage, redirect maps. */
#include "fixtures.h"

struct fx_sample {
	__u32 pid;
	__u32 cpu;
	__u64 ts;
};

struct {
	__uint(type, BPF_MAP_TYPE_QUEUE);
	__type(value, struct fx_sample);
	__uint(max_entries, 32);
} queue SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK);
	__type(value, __u64);
	__uint(max_entries, 16);
} stack SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_BLOOM_FILTER);
	__type(value, __u32);
	__uint(max_entries, 1000);
	__uint(map_extra, 3);
} bloom SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} events SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_USER_RINGBUF);
	__uint(max_entries, 4096);
} commands SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, sizeof(__u32));
} perf_out SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_STACK_TRACE);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, 127 * sizeof(__u64));
	__uint(max_entries, 64);
} stacks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct fx_sample);
} task_store SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_SK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, __u64);
} sk_store SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_DEVMAP);
	__type(key, __u32);
	__type(value, struct bpf_devmap_val);
	__uint(max_entries, 8);
} devmap SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_CPUMAP);
	__type(key, __u32);
	__type(value, struct bpf_cpumap_val);
	__uint(max_entries, 2);
} cpumap SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_XSKMAP);
	__type(key, __u32);
	__type(value, __u32);
	__uint(max_entries, 4);
} xsks SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, __u64);
	__uint(max_entries, 8);
	__uint(map_flags, BPF_F_MMAPABLE | BPF_F_RDONLY_PROG);
} mmapped SEC(".maps");

SEC("tracepoint/sched/sched_process_exec")
int on_exec(void *ctx)
{
	struct fx_sample s = {
		.pid = bpf_get_current_pid_tgid() >> 32,
		.cpu = bpf_get_smp_processor_id(),
		.ts = bpf_ktime_get_ns(),
	};
	__u32 zero = 0;

	bpf_map_push_elem(&queue, &s, BPF_ANY);
	bpf_map_push_elem(&stack, &s.ts, BPF_ANY);
	bpf_map_push_elem(&bloom, &s.pid, BPF_ANY);
	bpf_ringbuf_output(&events, &s, sizeof(s), 0);
	bpf_perf_event_output(ctx, &perf_out, BPF_F_CURRENT_CPU, &s, sizeof(s));
	bpf_get_stackid(ctx, &stacks, 0);
	struct task_struct *task = bpf_get_current_task_btf();
	struct fx_sample *t = bpf_task_storage_get(&task_store, task, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (t)
		t->ts = s.ts;
	__u64 *m = bpf_map_lookup_elem(&mmapped, &zero);
	if (m && *m)
		return 1;
	return 0;
}

SEC("xdp")
int redirect(struct xdp_md *ctx)
{
	__u32 q = ctx->rx_queue_index;
	if (q & 1)
		return bpf_redirect_map(&devmap, 0, XDP_PASS);
	if (q & 2)
		return bpf_redirect_map(&cpumap, 0, XDP_PASS);
	return bpf_redirect_map(&xsks, q, XDP_PASS);
}

static long drain_one(struct bpf_dynptr *dynptr, void *ctx)
{
	return 0;
}

SEC("cgroup_skb/egress")
int sk_note(struct __sk_buff *skb)
{
	struct bpf_sock *sk = skb->sk;
	if (!sk)
		return 1;
	sk = bpf_sk_fullsock(sk);
	if (!sk)
		return 1;
	__u64 *v = bpf_sk_storage_get(&sk_store, sk, 0, BPF_SK_STORAGE_GET_F_CREATE);
	if (v)
		*v += skb->len;
	return 1;
}

SEC("syscall")
int drain(void *ctx)
{
	bpf_user_ringbuf_drain(&commands, drain_one, NULL, 0);
	return 0;
}

FIXTURE_LICENSE;
