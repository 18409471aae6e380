/* Ring buffer output three ways: reserve/submit, output, and the dynptr helpers. */
#include "fixtures.h"

struct event {
	__u32 pid;
	__u32 kind;
	__u64 ts;
	char comm[16];
};

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 64 * 1024);
} rb SEC(".maps");

SEC("tracepoint/syscalls/sys_enter_write")
int rb_reserve(void *ctx)
{
	struct event *e = bpf_ringbuf_reserve(&rb, sizeof(*e), 0);
	if (!e)
		return 0;
	e->pid = bpf_get_current_pid_tgid() >> 32;
	e->kind = 1;
	e->ts = bpf_ktime_get_ns();
	bpf_get_current_comm(e->comm, sizeof(e->comm));
	bpf_ringbuf_submit(e, BPF_RB_NO_WAKEUP);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_read")
int rb_output(void *ctx)
{
	struct event e = { .kind = 2, .ts = bpf_ktime_get_ns() };
	bpf_ringbuf_output(&rb, &e, sizeof(e), 0);
	return 0;
}

SEC("tracepoint/syscalls/sys_enter_close")
int rb_dynptr(void *ctx)
{
	struct bpf_dynptr ptr;
	struct event e = { .kind = 3 };

	if (bpf_ringbuf_reserve_dynptr(&rb, sizeof(e), 0, &ptr)) {
		bpf_ringbuf_discard_dynptr(&ptr, 0);
		return 0;
	}
	e.pid = bpf_get_current_pid_tgid() >> 32;
	bpf_dynptr_write(&ptr, 0, &e, sizeof(e), 0);
	__u32 *kind = bpf_dynptr_data(&ptr, 4, sizeof(*kind));
	if (kind)
		*kind = 4;
	bpf_ringbuf_submit_dynptr(&ptr, 0);
	return 0;
}

FIXTURE_LICENSE;
