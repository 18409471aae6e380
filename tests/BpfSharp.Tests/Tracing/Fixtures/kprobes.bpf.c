/* kprobe, kretprobe, ksyscall and kprobe.multi sections: they load here; attaching them is what the kernel refuses. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

SEC("kprobe/do_sys_openat2")
int on_open(void *ctx)
{
	return 0;
}

SEC("kretprobe/do_sys_openat2")
int on_open_return(void *ctx)
{
	return 0;
}

SEC("ksyscall/openat")
int on_openat_syscall(void *ctx)
{
	return 0;
}

SEC("kprobe.multi/do_sys_open*")
int on_opens(void *ctx)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
