/* Shared by every fixture: kernel types from the running kernel's BTF (vmlinux.h, generated at test
 * time) plus libbpf 1.1's headers, and the few declarations those headers are too old to have. */
#ifndef BPFSHARP_FIXTURES_H
#define BPFSHARP_FIXTURES_H

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_endian.h>

/* Legacy map definition for SEC("maps"); libbpf 1.0 removed it from bpf_helpers.h. */
struct bpf_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

/* Open-coded numeric iterator kfuncs (kernel 6.4+), newer than libbpf 1.1's headers. */
extern int bpf_iter_num_new(struct bpf_iter_num *it, int start, int end) __weak __ksym;
extern int *bpf_iter_num_next(struct bpf_iter_num *it) __weak __ksym;
extern void bpf_iter_num_destroy(struct bpf_iter_num *it) __weak __ksym;

/* tc verdicts are #defines in linux/pkt_cls.h, so vmlinux.h does not carry them. */
#define TC_ACT_UNSPEC (-1)
#define TC_ACT_OK 0
#define TC_ACT_SHOT 2

#ifndef __arg_ctx
#define __arg_ctx __attribute__((btf_decl_tag("arg:ctx")))
#endif

#define FIXTURE_LICENSE char LICENSE[] SEC("license") = "GPL"

#endif
