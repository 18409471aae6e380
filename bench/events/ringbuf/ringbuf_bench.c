// ringbuf_bench: the C/libbpf baseline for BpfSharp's ring buffer consumer (RingBufBench, same method).
//
// Loads producer.bpf.o with libbpf. For each record size (16 B, 64 B, 256 B, 1 KiB, 4 KiB): fill the 4 MiB ring
// exactly with produce_<size> (BPF_PROG_TEST_RUN, repeat = records that fit; untimed), then time one
// ring_buffer__consume() draining it. The sample callback reads the record's first 8 bytes and its size (as the
// C# handler does), so both sides touch the same memory. Filling costs far more than draining (a test run per
// record), so the measure is per drain: after 2 warm-up drains, 50 x SCALE drains (at least 5), each giving its ns
// per record; the median and the minimum over the drains are reported (on a shared machine a drain that was
// preempted is an outlier the median ignores; the minimum is the undisturbed cost). One line per size:
//   op=ringbuf_consume_<size> ns_per_op=<median ns per record> ops_per_s=<records/s at the median> min_ns_per_op=<min>
//
// Usage: ringbuf_bench PRODUCER.bpf.o [SCALE]      Needs root.

#define _GNU_SOURCE
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define HEADER 8

static const unsigned sizes[] = { 16, 64, 256, 1024, 4096 };
static uint64_t sink;
static uint64_t consumed;

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int on_sample(void *ctx, void *data, size_t size)
{
	(void)ctx;
	sink += *(const uint64_t *)data + size;
	consumed++;
	return 0;
}

static void fail(const char *what, int err)
{
	fprintf(stderr, "ringbuf_bench: %s failed: %s\n", what, strerror(err < 0 ? -err : err));
	exit(1);
}

// One timed drain of a freshly filled ring; returns its nanoseconds, adds the records to *records.
static uint64_t fill_and_consume(int prog_fd, struct ring_buffer *rb, unsigned capacity, uint64_t *records)
{
	char packet[64] = { 0 };
	LIBBPF_OPTS(bpf_test_run_opts, run, .data_in = packet, .data_size_in = sizeof(packet), .repeat = capacity);
	int err = bpf_prog_test_run_opts(prog_fd, &run);
	if (err)
		fail("BPF_PROG_TEST_RUN", err);
	consumed = 0;
	uint64_t t0 = now_ns();
	int n = ring_buffer__consume(rb);
	uint64_t t1 = now_ns();
	if (n < 0)
		fail("ring_buffer__consume", n);
	if (consumed != capacity) {
		fprintf(stderr, "ringbuf_bench: consumed %llu records, expected %u\n", (unsigned long long)consumed, capacity);
		exit(1);
	}
	*records += consumed;
	return t1 - t0;
}

static double drain_ns_per_record(int prog_fd, struct ring_buffer *rb, unsigned capacity)
{
	uint64_t records = 0;
	uint64_t ns = fill_and_consume(prog_fd, rb, capacity, &records);
	return (double)ns / (double)records;
}

static int compare(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s PRODUCER.bpf.o [SCALE]\n", argv[0]);
		return 2;
	}
	double scale = argc > 2 ? atof(argv[2]) : 1.0;
	libbpf_set_strict_mode(LIBBPF_STRICT_ALL);

	struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);
	if (!obj)
		fail("bpf_object__open_file", errno);
	int err = bpf_object__load(obj);
	if (err)
		fail("bpf_object__load", err);
	struct bpf_map *ring = bpf_object__find_map_by_name(obj, "ring");
	if (!ring)
		fail("finding map 'ring'", ENOENT);
	unsigned ring_size = bpf_map__max_entries(ring);
	struct ring_buffer *rb = ring_buffer__new(bpf_map__fd(ring), on_sample, NULL, NULL);
	if (!rb)
		fail("ring_buffer__new", errno);

	int drains = (int)(50 * scale) < 5 ? 5 : (int)(50 * scale);
	double *r = calloc((size_t)drains, sizeof(double));
	if (!r)
		fail("calloc", ENOMEM);
	printf("# ringbuf_bench: libbpf %u.%u, ring %u bytes, %d timed drains per size, median and min\n",
	       libbpf_major_version(), libbpf_minor_version(), ring_size, drains);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char name[32];
		snprintf(name, sizeof(name), "produce_%u", sizes[i]);
		struct bpf_program *prog = bpf_object__find_program_by_name(obj, name);
		if (!prog)
			fail(name, ENOENT);
		int prog_fd = bpf_program__fd(prog);
		unsigned capacity = ring_size / ((sizes[i] + HEADER + 7) & ~7u);

		for (int k = 0; k < 2; k++)
			drain_ns_per_record(prog_fd, rb, capacity);
		for (int k = 0; k < drains; k++)
			r[k] = drain_ns_per_record(prog_fd, rb, capacity);
		qsort(r, (size_t)drains, sizeof(double), compare);
		double median = r[drains / 2];
		printf("op=ringbuf_consume_%u ns_per_op=%.3f ops_per_s=%.1f min_ns_per_op=%.3f\n", sizes[i], median, 1e9 / median, r[0]);
		printf("# ringbuf_consume_%u: %u records per drain, ns_per_op max=%.3f\n", sizes[i], capacity, r[drains - 1]);
		fflush(stdout);
	}
	printf("# sink %llu\n", (unsigned long long)sink);
	free(r);
	ring_buffer__free(rb);
	bpf_object__close(obj);
	return 0;
}
