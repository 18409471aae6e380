/* fentry, fexit, fmod_ret and lsm programs: this kernel refuses to load them (EPERM, empty log). */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

SEC("fentry/do_sys_openat2")
int BPF_PROG(enter_open, int dfd, const char *filename)
{
	return 0;
}

SEC("fexit/do_sys_openat2")
int BPF_PROG(exit_open, int dfd, const char *filename, struct open_how *how, long ret)
{
	return 0;
}

SEC("lsm/file_open")
int BPF_PROG(check_open, struct file *file)
{
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
