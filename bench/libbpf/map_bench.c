// map_bench: the C/libbpf baseline for BpfSharp's map benchmarks.
//
// Uses only libbpf's thin syscall wrappers (bpf/bpf.h) and mmap. Map shapes, which the C# suite
// must mirror:
//   hash:  BPF_MAP_TYPE_HASH, u32 key, 64-byte value (8 x u64), max_entries 100000, default flags
//          (preallocated), filled with keys 0..99999.
//   array: BPF_MAP_TYPE_ARRAY with BPF_F_MMAPABLE, 100000 x 64-byte values (8 x u64); a sweep reads
//          the first u64 of every element through the mapping and sums it.
//
// Each measurement: one short warm-up round, then 5 rounds of about 1 s x SCALE each; the median
// round is reported. Output, one line per measurement (lines starting with '#' are comments):
//   op=<name> ns_per_op=<float> ops_per_s=<float>
//
// Usage: map_bench [SCALE]   (SCALE multiplies the round duration; default 1.0)
// Needs root (or CAP_BPF) to create maps.

#define _GNU_SOURCE
#include <bpf/bpf.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#define N_ENTRIES 100000u
#define BATCH 1024u
#define ROUNDS 5

struct value {
	uint64_t f[8];
};

_Static_assert(sizeof(struct value) == 64, "value must be 64 bytes");

static int hash_fd = -1;
static int array_fd = -1;
static void *array_mem = MAP_FAILED;
static size_t array_len;
static double scale = 1.0;
static volatile uint64_t sink; // keeps results observable so nothing is optimised away

static void cleanup(void)
{
	if (array_mem != MAP_FAILED)
		munmap(array_mem, array_len);
	array_mem = MAP_FAILED;
	if (array_fd >= 0)
		close(array_fd);
	array_fd = -1;
	if (hash_fd >= 0)
		close(hash_fd);
	hash_fd = -1;
}

// libbpf 1.x returns -errno from its wrappers (and sets errno as well).
static void check(int err, const char *what, uint32_t key)
{
	if (err == 0)
		return;
	fprintf(stderr, "map_bench: %s (key %u) failed: %s\n", what, key, strerror(-err));
	exit(1); // cleanup() runs from atexit
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

// One chunk of work. Returns the number of operations done; adds its timed nanoseconds to *ns.
typedef uint64_t (*chunk_fn)(uint64_t *ns);

static void fill_hash(void)
{
	struct value v;
	memset(&v, 0, sizeof(v));
	for (uint32_t k = 0; k < N_ENTRIES; k++) {
		v.f[0] = k;
		check(bpf_map_update_elem(hash_fd, &k, &v, BPF_ANY), "fill update", k);
	}
}

static uint64_t chunk_hash_update(uint64_t *ns)
{
	struct value v;
	memset(&v, 0, sizeof(v));
	uint64_t t0 = now_ns();
	for (uint32_t k = 0; k < N_ENTRIES; k++) {
		v.f[0] = k + 1;
		check(bpf_map_update_elem(hash_fd, &k, &v, BPF_ANY), "update", k);
	}
	*ns += now_ns() - t0;
	return N_ENTRIES;
}

static uint64_t chunk_hash_lookup(uint64_t *ns)
{
	struct value v;
	uint64_t sum = 0;
	uint64_t t0 = now_ns();
	for (uint32_t k = 0; k < N_ENTRIES; k++) {
		check(bpf_map_lookup_elem(hash_fd, &k, &v), "lookup", k);
		sum += v.f[0];
	}
	*ns += now_ns() - t0;
	sink += sum;
	return N_ENTRIES;
}

// Deletes every key of a full map (timed), then refills it (not timed).
static uint64_t chunk_hash_delete(uint64_t *ns)
{
	uint64_t t0 = now_ns();
	for (uint32_t k = 0; k < N_ENTRIES; k++)
		check(bpf_map_delete_elem(hash_fd, &k), "delete", k);
	*ns += now_ns() - t0;
	fill_hash();
	return N_ENTRIES;
}

static uint32_t batch_keys[BATCH];
static struct value batch_values[BATCH];

// One full sweep of the hash map with BPF_MAP_LOOKUP_BATCH, BATCH elements per call.
static uint64_t hash_sweep(void)
{
	LIBBPF_OPTS(bpf_map_batch_opts, opts);
	uint32_t in_token = 0, out_token = 0;
	uint64_t seen = 0, sum = 0;
	int first = 1;
	for (;;) {
		uint32_t count = BATCH;
		int err = bpf_map_lookup_batch(hash_fd, first ? NULL : &in_token, &out_token, batch_keys,
					       batch_values, &count, &opts);
		if (err && err != -ENOENT)
			check(err, "lookup_batch", (uint32_t)seen);
		for (uint32_t i = 0; i < count; i++)
			sum += batch_values[i].f[0];
		seen += count;
		if (err == -ENOENT)
			break;
		in_token = out_token;
		first = 0;
	}
	if (seen != N_ENTRIES) {
		fprintf(stderr, "map_bench: batch sweep saw %llu elements, expected %u\n",
			(unsigned long long)seen, N_ENTRIES);
		exit(1);
	}
	sink += sum;
	return seen;
}

static uint64_t chunk_hash_batch(uint64_t *ns)
{
	uint64_t t0 = now_ns();
	uint64_t n = hash_sweep();
	*ns += now_ns() - t0;
	return n;
}

static uint64_t chunk_mmap_read(uint64_t *ns)
{
	const struct value *vals = array_mem;
	uint64_t sum = 0;
	uint64_t t0 = now_ns();
	for (uint32_t i = 0; i < N_ENTRIES; i++)
		sum += vals[i].f[0];
	*ns += now_ns() - t0;
	sink += sum;
	return N_ENTRIES;
}

// Runs chunks until at least `seconds` of timed work; returns ns per operation.
static double round_ns_per_op(chunk_fn fn, double seconds)
{
	uint64_t ns = 0, ops = 0;
	uint64_t target = (uint64_t)(seconds * 1e9);
	if (target == 0)
		target = 1;
	while (ns < target)
		ops += fn(&ns);
	return (double)ns / (double)ops;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void print_op(const char *name, double ns_per_op)
{
	printf("op=%s ns_per_op=%.3f ops_per_s=%.1f\n", name, ns_per_op, 1e9 / ns_per_op);
}

// Warm-up, ROUNDS timed rounds; prints and returns the median ns per operation.
static double measure(const char *name, chunk_fn fn)
{
	double r[ROUNDS];
	round_ns_per_op(fn, 0.2 * scale); // warm-up
	for (int i = 0; i < ROUNDS; i++)
		r[i] = round_ns_per_op(fn, 1.0 * scale);
	qsort(r, ROUNDS, sizeof(r[0]), cmp_double);
	double med = r[ROUNDS / 2];
	print_op(name, med);
	printf("# %s: %d rounds, ns_per_op min=%.3f max=%.3f\n", name, ROUNDS, r[0], r[ROUNDS - 1]);
	fflush(stdout);
	return med;
}

int main(int argc, char **argv)
{
	if (argc > 2 || (argc == 2 && (scale = strtod(argv[1], NULL)) <= 0)) {
		fprintf(stderr, "usage: %s [SCALE]   (SCALE > 0 multiplies the ~1 s round duration)\n",
			argv[0]);
		return 2;
	}
	atexit(cleanup);

	struct utsname u;
	uname(&u);
	printf("# map_bench: libbpf low-level API, kernel %s %s, rounds=%d x %.2fs, median reported\n",
	       u.release, u.machine, ROUNDS, scale);
	printf("# hash: u32 key, 64-byte value, max_entries %u, prefilled; batch size %u\n",
	       N_ENTRIES, BATCH);
	printf("# mmap array: BPF_F_MMAPABLE, %u x 64-byte values, sum of the first u64 per element\n",
	       N_ENTRIES);

	hash_fd = bpf_map_create(BPF_MAP_TYPE_HASH, "bench_hash", sizeof(uint32_t),
				 sizeof(struct value), N_ENTRIES, NULL);
	if (hash_fd < 0)
		check(hash_fd, "create hash map", 0);
	fill_hash();

	measure("hash_update", chunk_hash_update);
	measure("hash_lookup", chunk_hash_lookup);
	measure("hash_delete", chunk_hash_delete);
	double per_elem = measure("hash_batch_lookup_per_elem", chunk_hash_batch);
	// Same rounds, expressed per full sweep of the 100000-element map.
	print_op("hash_batch_lookup_per_sweep", per_elem * N_ENTRIES);

	LIBBPF_OPTS(bpf_map_create_opts, aopts, .map_flags = BPF_F_MMAPABLE);
	array_fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "bench_array", sizeof(uint32_t),
				  sizeof(struct value), N_ENTRIES, &aopts);
	if (array_fd < 0)
		check(array_fd, "create mmapable array", 0);
	long page = sysconf(_SC_PAGESIZE);
	array_len = ((size_t)N_ENTRIES * sizeof(struct value) + page - 1) / page * page;
	array_mem = mmap(NULL, array_len, PROT_READ | PROT_WRITE, MAP_SHARED, array_fd, 0);
	if (array_mem == MAP_FAILED)
		check(-errno, "mmap array", 0);
	struct value *vals = array_mem;
	for (uint32_t i = 0; i < N_ENTRIES; i++)
		vals[i].f[0] = i;

	measure("mmap_array_read_per_elem", chunk_mmap_read);

	cleanup();
	return 0;
}
