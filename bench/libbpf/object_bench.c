// object_bench: the C/libbpf baseline for BpfSharp's object-load and BTF-parse benchmarks.
//
// Measurements (op names shared with the C# side, see bench/BpfSharp.Benchmarks/Compare.cs):
//   object_open_load_close  bpf_object__open_file + bpf_object__load + bpf_object__close of OBJECT
//                           (default bench/build/medium.bpf.o: 8 BTF maps + .data/.rodata/.bss, 7 programs,
//                           2 subprograms, CO-RE). The load includes libbpf parsing vmlinux BTF (once per
//                           load, freed at its end: CO-RE and tp_btf need it), feature probes (once per
//                           process: the warm-up absorbs them), BPF_BTF_LOAD, 11 map creations and 7
//                           BPF_PROG_LOADs (verifier included).
//   object_open_close       bpf_object__open_file + bpf_object__close (ELF/BTF parsing only, no kernel).
//   vmlinux_btf_parse       btf__parse("/sys/kernel/btf/vmlinux", NULL) + btf__free: read + validate + index.
//   vmlinux_btf_parse_walk  the same plus a walk of every type: kind, name, and each member/param/enumerator
//                           name and type, so a lazy parser on the C# side can be compared honestly.
//
// Method as map_bench.c: per op one short warm-up round, then 5 rounds of at least 1 s x SCALE (and at least
// MIN_ITERS iterations) of timed iterations; the median round is reported. Output, one line per measurement
// (lines starting with '#' are comments):
//   op=<name> ns_per_op=<float> ops_per_s=<float>
//
// Usage: object_bench [SCALE [OBJECT]]    Needs root (the load creates maps and programs).

#define _GNU_SOURCE
#include <bpf/btf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <time.h>

#define ROUNDS 5
#define MIN_ITERS 3

static const char *object_path = "bench/build/medium.bpf.o";
static const char *vmlinux_path = "/sys/kernel/btf/vmlinux";
static double scale = 1.0;
static volatile uint64_t sink; // keeps results observable so nothing is optimised away

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

// libbpf prints warnings (and the verifier log on failure) through this; keep them, drop debug chatter.
static int print_fn(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG)
		return 0;
	return vfprintf(stderr, fmt, args);
}

static void fail(const char *what, int err)
{
	fprintf(stderr, "object_bench: %s failed: %s\n", what, strerror(err < 0 ? -err : err));
	exit(1);
}

static struct bpf_object *open_object(void)
{
	struct bpf_object *obj = bpf_object__open_file(object_path, NULL);
	if (!obj)
		fail(object_path, -errno);
	return obj;
}

static void op_open_load_close(void)
{
	struct bpf_object *obj = open_object();
	int err = bpf_object__load(obj);
	if (err)
		fail("bpf_object__load", err);
	bpf_object__close(obj);
}

static void op_open_close(void)
{
	bpf_object__close(open_object());
}

static struct btf *parse_vmlinux(void)
{
	struct btf *btf = btf__parse(vmlinux_path, NULL);
	if (!btf)
		fail(vmlinux_path, -errno);
	return btf;
}

static void op_btf_parse(void)
{
	struct btf *btf = parse_vmlinux();
	sink += btf__type_cnt(btf);
	btf__free(btf);
}

static uint64_t name_len(const struct btf *btf, uint32_t off)
{
	const char *s = btf__name_by_offset(btf, off);
	return s ? (uint64_t)(unsigned char)s[0] : 0;
}

static void op_btf_parse_walk(void)
{
	struct btf *btf = parse_vmlinux();
	uint64_t acc = 0;
	uint32_t n = btf__type_cnt(btf);
	for (uint32_t id = 1; id < n; id++) {
		const struct btf_type *t = btf__type_by_id(btf, id);
		acc += btf_kind(t) + name_len(btf, t->name_off);
		uint16_t vlen = btf_vlen(t);
		switch (btf_kind(t)) {
		case BTF_KIND_STRUCT:
		case BTF_KIND_UNION: {
			const struct btf_member *m = btf_members(t);
			for (uint16_t i = 0; i < vlen; i++, m++)
				acc += m->type + m->offset + name_len(btf, m->name_off);
			break;
		}
		case BTF_KIND_ENUM: {
			const struct btf_enum *e = btf_enum(t);
			for (uint16_t i = 0; i < vlen; i++, e++)
				acc += (uint32_t)e->val + name_len(btf, e->name_off);
			break;
		}
		case BTF_KIND_ENUM64: {
			const struct btf_enum64 *e = btf_enum64(t);
			for (uint16_t i = 0; i < vlen; i++, e++)
				acc += e->val_lo32 + name_len(btf, e->name_off);
			break;
		}
		case BTF_KIND_FUNC_PROTO: {
			const struct btf_param *p = btf_params(t);
			for (uint16_t i = 0; i < vlen; i++, p++)
				acc += p->type + name_len(btf, p->name_off);
			break;
		}
		case BTF_KIND_ARRAY:
			acc += btf_array(t)->nelems;
			break;
		default:
			acc += t->size;
			break;
		}
	}
	sink += acc;
	btf__free(btf);
}

// Runs whole iterations until at least `seconds` of timed work and min_iters iterations; returns ns per op.
static double round_ns_per_op(void (*fn)(void), double seconds, int min_iters, uint64_t *iters_out)
{
	uint64_t ns = 0, iters = 0;
	uint64_t target = (uint64_t)(seconds * 1e9);
	while (ns < target || iters < (uint64_t)min_iters) {
		uint64_t t0 = now_ns();
		fn();
		ns += now_ns() - t0;
		iters++;
	}
	if (iters_out)
		*iters_out += iters;
	return (double)ns / (double)iters;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void measure(const char *name, void (*fn)(void))
{
	double r[ROUNDS];
	uint64_t iters = 0;
	round_ns_per_op(fn, 0.2 * scale, 1, NULL); // warm-up (also libbpf's one-time feature probes)
	for (int i = 0; i < ROUNDS; i++)
		r[i] = round_ns_per_op(fn, 1.0 * scale, MIN_ITERS, &iters);
	qsort(r, ROUNDS, sizeof(r[0]), cmp_double);
	double med = r[ROUNDS / 2];
	printf("op=%s ns_per_op=%.3f ops_per_s=%.1f\n", name, med, 1e9 / med);
	printf("# %s: %d rounds, %llu iterations, ns_per_op min=%.3f max=%.3f\n", name, ROUNDS,
	       (unsigned long long)iters, r[0], r[ROUNDS - 1]);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	if (argc > 3 || (argc >= 2 && (scale = strtod(argv[1], NULL)) <= 0)) {
		fprintf(stderr, "usage: %s [SCALE [OBJECT]]   (SCALE > 0 multiplies the ~1 s round duration)\n",
			argv[0]);
		return 2;
	}
	if (argc == 3)
		object_path = argv[2];
	libbpf_set_print(print_fn);

	struct utsname u;
	uname(&u);
	printf("# object_bench: libbpf %u.%u, kernel %s %s, rounds=%d x %.2fs (>= %d iterations), median reported\n",
	       libbpf_major_version(), libbpf_minor_version(), u.release, u.machine, ROUNDS, scale, MIN_ITERS);
	printf("# object: %s; vmlinux BTF: %s\n", object_path, vmlinux_path);
	fflush(stdout);

	measure("object_open_load_close", op_open_load_close);
	measure("object_open_close", op_open_close);
	measure("vmlinux_btf_parse", op_btf_parse);
	measure("vmlinux_btf_parse_walk", op_btf_parse_walk);
	return 0;
}
