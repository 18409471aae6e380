/* A medium-sized object for load benchmarks: a small firewall with telemetry. 10 BTF maps plus
 * .data/.bss/.rodata, 7 programs of 5 types, shared subprograms, a tail call and a loop callback. */
#include "fixtures.h"

struct lpm_v4 {
	__u32 prefixlen;
	__u32 addr;
};

struct rule {
	__u32 action;
	__u32 priority;
	__u64 hits;
};

struct conn_key {
	__u32 saddr;
	__u32 daddr;
	__u16 sport;
	__u16 dport;
	__u32 proto;
};

struct conn_state {
	__u64 first_seen;
	__u64 last_seen;
	__u64 packets;
	__u64 bytes;
};

struct telemetry {
	__u32 kind;
	__u32 len;
	__u64 ts;
};

struct { __uint(type, BPF_MAP_TYPE_LPM_TRIE); __type(key, struct lpm_v4); __type(value, struct rule);
	 __uint(max_entries, 1024); __uint(map_flags, BPF_F_NO_PREALLOC); } allow_list SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_LPM_TRIE); __type(key, struct lpm_v4); __type(value, struct rule);
	 __uint(max_entries, 1024); __uint(map_flags, BPF_F_NO_PREALLOC); } deny_list SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_LRU_HASH); __type(key, struct conn_key); __type(value, struct conn_state);
	 __uint(max_entries, 4096); } conntrack SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __type(key, __u32); __type(value, __u64);
	 __uint(max_entries, 16); } verdicts SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_HASH); __type(key, __u32); __type(value, __u64);
	 __uint(max_entries, 256); } proto_bytes SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_ARRAY); __type(key, __u32); __type(value, struct rule);
	 __uint(max_entries, 8); } defaults SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_RINGBUF); __uint(max_entries, 256 * 1024); } telemetry_rb SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_PERCPU_HASH); __type(key, __u32); __type(value, __u64);
	 __uint(max_entries, 1024); } pid_syscalls SEC(".maps");
struct { __uint(type, BPF_MAP_TYPE_QUEUE); __type(value, __u32); __uint(max_entries, 64); } recent_drops SEC(".maps");

int xdp_stage(struct xdp_md *ctx);
struct { __uint(type, BPF_MAP_TYPE_PROG_ARRAY); __type(key, __u32); __uint(max_entries, 2);
	 __array(values, int (void *)); } stages SEC(".maps") = { .values = { [0] = (void *)&xdp_stage } };

const volatile __u32 default_action = XDP_PASS;
const volatile __u32 sample_every = 64;
__u64 packets_seen;
__u32 enabled = 1;

static __noinline void count_verdict(__u32 verdict)
{
	__u64 *v = bpf_map_lookup_elem(&verdicts, &verdict);
	if (v)
		(*v)++;
}

static __noinline void emit(__u32 kind, __u32 len)
{
	if (++packets_seen % sample_every)
		return;
	struct telemetry *t = bpf_ringbuf_reserve(&telemetry_rb, sizeof(*t), 0);
	if (!t)
		return;
	t->kind = kind;
	t->len = len;
	t->ts = bpf_ktime_get_ns();
	bpf_ringbuf_submit(t, BPF_RB_NO_WAKEUP);
}

static __noinline int classify(__u32 saddr)
{
	struct lpm_v4 key = { .prefixlen = 32, .addr = saddr };
	struct rule *r = bpf_map_lookup_elem(&deny_list, &key);
	if (r) {
		__sync_fetch_and_add(&r->hits, 1);
		bpf_map_push_elem(&recent_drops, &saddr, BPF_EXIST);
		return XDP_DROP;
	}
	r = bpf_map_lookup_elem(&allow_list, &key);
	if (r)
		return XDP_PASS;
	__u32 zero = 0;
	r = bpf_map_lookup_elem(&defaults, &zero);
	return r ? r->action : default_action;
}

SEC("xdp")
int xdp_firewall(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data, *end = (void *)(long)ctx->data_end;
	struct ethhdr *eth = data;
	if (!enabled || (void *)(eth + 1) > end)
		return XDP_PASS;
	if (eth->h_proto != bpf_htons(0x0800)) {
		bpf_tail_call(ctx, &stages, 0);
		return XDP_PASS;
	}
	struct iphdr *ip = (void *)(eth + 1);
	if ((void *)(ip + 1) > end)
		return XDP_ABORTED;
	int verdict = classify(ip->saddr);
	count_verdict(verdict);
	emit(1, end - data);
	return verdict;
}

SEC("xdp")
int xdp_stage(struct xdp_md *ctx)
{
	count_verdict(XDP_PASS);
	return XDP_PASS;
}

SEC("tc")
int tc_conntrack(struct __sk_buff *skb)
{
	struct conn_key key = { .proto = skb->protocol };
	struct iphdr ip;
	if (bpf_skb_load_bytes(skb, sizeof(struct ethhdr), &ip, sizeof(ip)))
		return TC_ACT_OK;
	key.saddr = ip.saddr;
	key.daddr = ip.daddr;
	__u64 now = bpf_ktime_get_ns();
	struct conn_state *st = bpf_map_lookup_elem(&conntrack, &key);
	if (!st) {
		struct conn_state init = { .first_seen = now, .last_seen = now, .packets = 1, .bytes = skb->len };
		bpf_map_update_elem(&conntrack, &key, &init, BPF_NOEXIST);
		return TC_ACT_OK;
	}
	st->last_seen = now;
	st->packets++;
	st->bytes += skb->len;
	return TC_ACT_OK;
}

SEC("socket")
int sock_proto_bytes(struct __sk_buff *skb)
{
	__u32 proto = skb->protocol;
	__u64 *v = bpf_map_lookup_elem(&proto_bytes, &proto);
	if (v)
		__sync_fetch_and_add(v, skb->len);
	else {
		__u64 len = skb->len;
		bpf_map_update_elem(&proto_bytes, &proto, &len, BPF_NOEXIST);
	}
	return 0;
}

SEC("cgroup_skb/egress")
int cg_egress_sample(struct __sk_buff *skb)
{
	emit(2, skb->len);
	return 1;
}

SEC("tracepoint/raw_syscalls/sys_enter")
int count_syscalls(void *ctx)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	__u64 one = 1, *v = bpf_map_lookup_elem(&pid_syscalls, &pid);
	if (v)
		(*v)++;
	else
		bpf_map_update_elem(&pid_syscalls, &pid, &one, BPF_ANY);
	return 0;
}

static int age_step(__u32 i, void *data)
{
	__u64 *budget = data;
	if (*budget == 0)
		return 1;
	(*budget)--;
	return 0;
}

SEC("raw_tp/sched_process_exit")
int on_exit(void *ctx)
{
	__u32 pid = bpf_get_current_pid_tgid() >> 32;
	__u64 budget = 16;
	bpf_map_delete_elem(&pid_syscalls, &pid);
	bpf_loop(32, age_step, &budget, 0);
	return 0;
}

FIXTURE_LICENSE;
