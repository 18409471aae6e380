/* BTF-defined maps whose keys and values are structs: hash, array, per-CPU, LRU, with flags. */
#include "fixtures.h"

struct flow_key {
	__u32 saddr;
	__u32 daddr;
	__u16 sport;
	__u16 dport;
	__u8 proto;
	__u8 pad[3];
};

struct fx_flow_stats {
	__u64 packets;
	__u64 bytes;
	struct bpf_spin_lock lock;
	__u32 last_len;
};

struct counters {
	__u64 hits;
	__u64 misses;
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__type(key, struct flow_key);
	__type(value, struct fx_flow_stats);
	__uint(max_entries, 1024);
	__uint(map_flags, BPF_F_NO_PREALLOC);
} flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__type(key, __u32);
	__type(value, struct counters);
	__uint(max_entries, 4);
} totals SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_HASH);
	__type(key, struct flow_key);
	__type(value, struct counters);
	__uint(max_entries, 256);
} pcpu_flows SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__type(key, __u32);
	__type(value, struct counters);
	__uint(max_entries, 2);
} pcpu_totals SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_HASH);
	__type(key, struct flow_key);
	__type(value, __u64);
	__uint(max_entries, 512);
} recent SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_LRU_PERCPU_HASH);
	__type(key, __u32);
	__type(value, struct counters);
	__uint(max_entries, 128);
	__uint(map_flags, BPF_F_NO_COMMON_LRU);
} lru_pcpu SEC(".maps");

/* key_size/value_size given as numbers instead of types: the map gets no BTF key/value. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(key_size, 8);
	__uint(value_size, 16);
	__uint(max_entries, 64);
} sized SEC(".maps");

SEC("xdp")
int count_flows(struct xdp_md *ctx)
{
	void *data = (void *)(long)ctx->data;
	void *end = (void *)(long)ctx->data_end;
	struct flow_key key = {};
	__u32 zero = 0;
	__u32 len = end - data;

	key.proto = len & 0xff;
	key.sport = len;
	struct fx_flow_stats *st = bpf_map_lookup_elem(&flows, &key);
	if (st) {
		bpf_spin_lock(&st->lock);
		st->packets++;
		st->bytes += len;
		st->last_len = len;
		bpf_spin_unlock(&st->lock);
	} else {
		struct fx_flow_stats init = { .packets = 1, .bytes = len };
		bpf_map_update_elem(&flows, &key, &init, BPF_NOEXIST);
	}

	struct counters *c = bpf_map_lookup_elem(&totals, &zero);
	if (c)
		__sync_fetch_and_add(&c->hits, 1);
	c = bpf_map_lookup_elem(&pcpu_totals, &zero);
	if (c)
		c->hits++;
	c = bpf_map_lookup_elem(&pcpu_flows, &key);
	if (c)
		c->misses++;
	c = bpf_map_lookup_elem(&lru_pcpu, &zero);
	if (c)
		c->hits++;

	__u64 now = bpf_ktime_get_ns();
	bpf_map_update_elem(&recent, &key, &now, BPF_ANY);
	__u64 k8 = len;
	char v16[16] = {};
	bpf_map_update_elem(&sized, &k8, v16, BPF_ANY);
	return XDP_PASS;
}

FIXTURE_LICENSE;
