/* BPF_PROG_TYPE_SYSCALL: a program run by BPF_PROG_TEST_RUN that itself calls bpf(2) (sleepable). */
#include "fixtures.h"

struct args {
	__u32 map_fd;
	__s32 result;
};

SEC("syscall")
int call_bpf(struct args *ctx)
{
	union bpf_attr attr = {};
	__u32 key = 0;
	__u64 value = 0;

	attr.map_fd = ctx->map_fd;
	attr.key = (__u64)(long)&key;
	attr.value = (__u64)(long)&value;
	ctx->result = bpf_sys_bpf(BPF_MAP_LOOKUP_ELEM, &attr, sizeof(attr));
	return 0;
}

FIXTURE_LICENSE;
