/* A BPF arena (kernel 6.9+): a sparse shared memory map, pages allocated with a kfunc and written
 * through an address-space-1 pointer. libbpf 1.1 knows neither the map type nor the kfunc. */
#include "fixtures.h"

#define __arena __attribute__((address_space(1)))
#define NUMA_NO_NODE (-1)

struct {
	__uint(type, BPF_MAP_TYPE_ARENA);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(max_entries, 4);
} arena SEC(".maps");

extern void __arena *bpf_arena_alloc_pages(void *map, void __arena *addr, __u32 page_cnt,
					   int node_id, __u64 flags) __ksym __weak;
extern void bpf_arena_free_pages(void *map, void __arena *ptr, __u32 page_cnt) __ksym __weak;

SEC("syscall")
int arena_alloc(void *ctx)
{
	__u64 __arena *page = bpf_arena_alloc_pages(&arena, NULL, 1, NUMA_NO_NODE, 0);
	if (!page)
		return 1;
	page[0] = 42;
	page[1] = page[0] + 1;
	bpf_arena_free_pages(&arena, page, 1);
	return 0;
}

FIXTURE_LICENSE;
