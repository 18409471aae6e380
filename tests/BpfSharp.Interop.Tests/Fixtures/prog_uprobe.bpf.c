/* uprobe/uretprobe without a target in the section (attached later by the user). */
#include "fixtures.h"

__u64 malloc_bytes;

SEC("uprobe")
int BPF_KPROBE(up_malloc, size_t size)
{
	malloc_bytes += size;
	return 0;
}

SEC("uretprobe")
int BPF_KRETPROBE(urp_malloc, void *ret)
{
	return ret == 0;
}

FIXTURE_LICENSE;
