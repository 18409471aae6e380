/* Loads one BPF object with the system's libbpf exactly as an application would
 * (bpf_object__open_file + bpf_object__load), prints one JSON line describing the result, then keeps
 * the object alive until stdin closes so the caller can inspect the kernel objects by id.
 *
 *   libbpf_reference OBJECT PIN_ROOT
 *
 * Output (one line):
 *   {"stage":"open"|"load"|"loaded","error":-errno,"log":"...",
 *    "maps":[{"name":..,"id":..}],
 *    "programs":[{"name":..,"section":..,"type":..,"attach":..,"autoload":..,"insns":..,"id":..}]}
 * "insns" is the instruction count libbpf submitted (after relocation, subprograms appended). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <bpf/bpf.h>
#include <bpf/libbpf.h>

static char log_buf[256 * 1024];
static size_t log_len;

static int capture(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG || log_len >= sizeof(log_buf) - 1)
		return 0;
	int n = vsnprintf(log_buf + log_len, sizeof(log_buf) - log_len, fmt, args);
	if (n > 0)
		log_len += (size_t)n < sizeof(log_buf) - log_len ? (size_t)n : sizeof(log_buf) - log_len - 1;
	return 0;
}

static void json_string(const char *s)
{
	putchar('"');
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c == '\n')
			fputs("\\n", stdout);
		else if (c == '\t')
			fputs("\\t", stdout);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static __u32 id_of(int fd)
{
	if (fd < 0)
		return 0;
	char info[256] = {0}; /* bpf_map_info and bpf_prog_info both begin with type, id */
	__u32 len = sizeof(info) < sizeof(struct bpf_prog_info) ? sizeof(info) : sizeof(struct bpf_prog_info);
	struct bpf_prog_info *p = (void *)info;
	if (bpf_obj_get_info_by_fd(fd, info, &len))
		return 0;
	return p->id;
}

static void finish(const char *stage, int err, struct bpf_object *obj)
{
	printf("{\"stage\":\"%s\",\"error\":%d,\"log\":", stage, err);
	json_string(log_buf);
	printf(",\"maps\":[");
	struct bpf_map *map;
	int first = 1;
	if (obj && err == 0) {
		bpf_object__for_each_map(map, obj) {
			printf("%s{\"name\":", first ? "" : ",");
			json_string(bpf_map__name(map));
			printf(",\"id\":%u}", id_of(bpf_map__fd(map)));
			first = 0;
		}
	}
	printf("],\"programs\":[");
	first = 1;
	struct bpf_program *prog;
	if (obj) {
		bpf_object__for_each_program(prog, obj) {
			printf("%s{\"name\":", first ? "" : ",");
			json_string(bpf_program__name(prog));
			printf(",\"section\":");
			json_string(bpf_program__section_name(prog));
			printf(",\"type\":%d,\"attach\":%d,\"autoload\":%s,\"insns\":%zu,\"id\":%u}",
			       bpf_program__type(prog), bpf_program__expected_attach_type(prog),
			       bpf_program__autoload(prog) ? "true" : "false", bpf_program__insn_cnt(prog),
			       err == 0 ? id_of(bpf_program__fd(prog)) : 0);
			first = 0;
		}
	}
	printf("]}\n");
	fflush(stdout);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: %s OBJECT PIN_ROOT\n", argv[0]);
		return 2;
	}
	libbpf_set_print(capture);
	LIBBPF_OPTS(bpf_object_open_opts, opts, .pin_root_path = argv[2]);
	struct bpf_object *obj = bpf_object__open_file(argv[1], &opts);
	long err = libbpf_get_error(obj);
	if (err) {
		finish("open", (int)err, NULL);
		return 0;
	}
	err = bpf_object__load(obj);
	finish(err ? "load" : "loaded", (int)err, obj);

	/* Keep every fd open until the caller has read what it needs. */
	char buf[64];
	while (read(STDIN_FILENO, buf, sizeof(buf)) > 0)
		;
	bpf_object__close(obj);
	return 0;
}
