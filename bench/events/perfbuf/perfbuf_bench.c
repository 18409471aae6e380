// perfbuf_bench: the C/libbpf baseline for BpfSharp's perf buffer reader (bench/events/perfbuf).
//
// Loads producer.bpf.o, opens libbpf's perf_buffer on its `events` map (PAGES pages per CPU, a wakeup watermark
// of half a ring) and, for each record size, measures how fast perf_buffer__consume drains a ring:
// each fill is one BPF_PROG_TEST_RUN of `produce` on CPU (BPF_F_TEST_RUN_ON_CPU) writing as many records as the
// ring holds without loss, then perf_buffer__consume is timed until it has taken them all. Run the harness
// pinned to that same CPU (run.sh does): the records are then in the consumer's own cache and the time is the
// consumer's work, not the cross-core transfer, which costs every consumer the same and on a VM varies with
// where the host places the vCPUs.
// The callback reads each record's sequence number and adds it to a checksum, as the C# side does.
//
// libbpf 1.1's perf_buffer__new always asks for a wakeup per sample, which makes filling the ring (not draining
// it) slow here: every record raises a wakeup interrupt (with producer and consumer on one CPU, the whole
// run took 65 s instead of 3 s). So the buffer is opened with perf_buffer__new_raw and the same event attributes plus a
// watermark; its event callback does what perf_buffer__new's sample path does (dispatch on the record type,
// hand over the raw bytes). perf_buffer__consume reads the rings the same way in both modes.
//
// Per size: one warm-up round, then 11 rounds of 16 x SCALE fills each; the median round is reported (the machine
// is shared: the median drops rounds a preemption hit). Filling costs far more than draining (each record wakes
// the event), so rounds are counted in fills rather than in consume time. One line per size:
//   op=perfbuf_consume_<size> ns_per_record=<f> events_per_s=<f> best_events_per_s=<f> records=<n> lost=<n>
// (best = the fastest round: on a shared machine, noise only ever slows a round down)
//
// Usage: perfbuf_bench OBJECT [SCALE [CPU]]   (CPU default 0; needs root)
#define _GNU_SOURCE
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <errno.h>
#include <linux/perf_event.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define PAGES 256
#define ROUNDS 11
#define FILLS_PER_ROUND 16

static const unsigned sizes[] = { 16, 64, 256, 1024, 4096 };

struct stats {
	uint64_t records;
	uint64_t checksum;
	uint64_t lost;
};

struct sample_record {
	struct perf_event_header header;
	__u32 size;
	__u8 data[];
};

struct lost_record {
	struct perf_event_header header;
	__u64 id;
	__u64 lost;
};

static enum bpf_perf_event_ret on_event(void *ctx, int cpu, struct perf_event_header *event)
{
	struct stats *s = ctx;
	uint64_t seq;

	(void)cpu;
	switch (event->type) {
	case PERF_RECORD_SAMPLE:
		memcpy(&seq, ((struct sample_record *)event)->data, sizeof(seq)); // only 4-byte aligned
		s->records++;
		s->checksum += seq;
		break;
	case PERF_RECORD_LOST:
		s->lost += ((struct lost_record *)event)->lost;
		break;
	default:
		return LIBBPF_PERF_EVENT_ERROR;
	}
	return LIBBPF_PERF_EVENT_CONT;
}

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void die(const char *what, int err)
{
	fprintf(stderr, "perfbuf_bench: %s failed: %s\n", what, strerror(err < 0 ? -err : err));
	exit(1);
}

static int prog_fd;
static int producer_cpu;
static struct perf_buffer *pb;
static struct stats stats;

static void fill(unsigned count, unsigned size)
{
	__u64 args[2] = { count, size };
	LIBBPF_OPTS(bpf_test_run_opts, opts, .ctx_in = args, .ctx_size_in = sizeof(args),
		    .flags = BPF_F_TEST_RUN_ON_CPU, .cpu = producer_cpu);
	int err = bpf_prog_test_run_opts(prog_fd, &opts);
	if (err)
		die("BPF_PROG_TEST_RUN", err);
}

// Fills and drains `fills` times; returns the consume time per record.
static double round_ns_per_record(unsigned size, unsigned per_fill, unsigned fills, uint64_t *records)
{
	uint64_t spent = 0, before = stats.records;
	for (unsigned f = 0; f < fills; f++) {
		uint64_t expected = stats.records + per_fill;
		fill(per_fill, size);
		uint64_t t0 = now_ns();
		while (stats.records < expected) {
			int err = perf_buffer__consume(pb);
			if (err)
				die("perf_buffer__consume", err);
		}
		spent += now_ns() - t0;
	}
	*records = stats.records - before;
	return (double)spent / (double)*records;
}

static int compare(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: perfbuf_bench OBJECT [SCALE [CPU]]\n");
		return 2;
	}
	double scale = argc > 2 ? atof(argv[2]) : 1.0;
	producer_cpu = argc > 3 ? atoi(argv[3]) : 0;
	libbpf_set_strict_mode(LIBBPF_STRICT_ALL);

	struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);
	if (!obj)
		die("bpf_object__open_file", errno);
	int err = bpf_object__load(obj);
	if (err)
		die("bpf_object__load", err);
	prog_fd = bpf_program__fd(bpf_object__find_program_by_name(obj, "produce"));
	int events_fd = bpf_map__fd(bpf_object__find_map_by_name(obj, "events"));

	long page = sysconf(_SC_PAGESIZE);
	struct perf_event_attr attr = {
		.size = sizeof(attr),
		.type = PERF_TYPE_SOFTWARE,
		.config = PERF_COUNT_SW_BPF_OUTPUT,
		.sample_period = 1,
		.sample_type = PERF_SAMPLE_RAW,
		.watermark = 1,
		.wakeup_watermark = (__u32)(PAGES * page / 2),
	};
	pb = perf_buffer__new_raw(events_fd, PAGES, &attr, on_event, &stats, NULL);
	if (!pb)
		die("perf_buffer__new_raw", errno);

	printf("# perfbuf_bench: libbpf %s, %d pages per CPU, producer on CPU %d, wakeup watermark %u bytes\n",
	       libbpf_version_string(), PAGES, producer_cpu, attr.wakeup_watermark);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		unsigned size = sizes[i];
		unsigned footprint = 8 + ((size + 4 + 7) / 8 * 8); // header + u32 size + data padded to 8
		unsigned per_fill = (unsigned)((PAGES * page - 1) / footprint);
		uint64_t records, total = 0;
		double ns[ROUNDS];

		unsigned fills = (unsigned)(FILLS_PER_ROUND * scale) ? (unsigned)(FILLS_PER_ROUND * scale) : 1;

		round_ns_per_record(size, per_fill, fills, &records); // warm-up
		for (int r = 0; r < ROUNDS; r++) {
			ns[r] = round_ns_per_record(size, per_fill, fills, &records);
			total += records;
		}
		qsort(ns, ROUNDS, sizeof(ns[0]), compare);
		printf("op=perfbuf_consume_%u ns_per_record=%.3f events_per_s=%.0f best_events_per_s=%.0f records=%llu lost=%llu\n",
		       size, ns[ROUNDS / 2], 1e9 / ns[ROUNDS / 2], 1e9 / ns[0], (unsigned long long)total,
		       (unsigned long long)stats.lost);
		fflush(stdout);
	}
	if (stats.lost)
		fprintf(stderr, "perfbuf_bench: %llu records were lost: a fill did not fit the ring\n", (unsigned long long)stats.lost);
	printf("# checksum %llu\n", (unsigned long long)stats.checksum);
	perf_buffer__free(pb);
	bpf_object__close(obj);
	return stats.lost ? 1 : 0;
}
