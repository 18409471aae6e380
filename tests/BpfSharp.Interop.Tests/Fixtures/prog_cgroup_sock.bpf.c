/* cgroup/sock_create and cgroup/sock_release: refuse raw sockets, count releases. */
#include "fixtures.h"

__u64 released;

SEC("cgroup/sock_create")
int sock_create(struct bpf_sock *sk)
{
	return sk->type != 3 /* SOCK_RAW */;
}

SEC("cgroup/sock_release")
int sock_release(struct bpf_sock *sk)
{
	released++;
	return 1;
}

FIXTURE_LICENSE;
