/* Every BTF kind clang emits: the fixture for parse, encode and sanitize tests. Compiled with
 * clang-19 -g -O2 -target bpf; -DNO_KSYM leaves out the extern function (the kernel only accepts
 * its BTF after the loader's .ksyms fix-ups). */
typedef unsigned int u32;
typedef unsigned long long u64;
#define SEC(n) __attribute__((section(n), used))
#define __tag(x) __attribute__((btf_decl_tag(x)))
#define __user __attribute__((btf_type_tag("user")))

enum color { RED, GREEN = 5, BLUE = -1 };
enum big : unsigned long long { HUGE = 0xffffffff00000000ULL, SMALL = 1 };
struct fwd_only;
union fwd_union;
struct flags { u32 a : 3; u32 b : 5; int c : 24; char d; } __attribute__((packed));
struct node {
	volatile int counter;
	const char *restrict name;
	struct node *next;
	struct fwd_only *opaque;
	union fwd_union *u;
	int (*log)(const char *fmt, ...);
	int __user *uptr;
	float ratio;
	double ratio2;
	enum color col;
	enum big b;
	struct flags f;
	union { u32 word; unsigned char bytes[4]; } raw;
	u64 table[2][3];
	int x __tag("field_tag");
};
struct node___v2 { int counter; };
struct pkt { char c; int i; } __attribute__((packed, aligned(2)));

struct node global_node SEC(".data");
struct node___v2 flavoured SEC(".data");
struct pkt p SEC(".data");
int counter __tag("var_tag") SEC(".data") = 1;
const volatile int ro_value = 7;
static int hidden_static;
#ifndef NO_KSYM
extern int bpf_extern_thing(int) __attribute__((section(".ksyms")));
#define EXTERN_CALL bpf_extern_thing(1)
#else
#define EXTERN_CALL 0
#endif

static __attribute__((noinline)) int helper(struct node *n __tag("param_tag"), int k)
{
	return n->counter + k + n->f.b + hidden_static++;
}

__tag("func_tag") SEC("xdp") int prog(void *ctx)
{
	return helper(&global_node, ro_value) + flavoured.counter + p.i + EXTERN_CALL;
}
char LICENSE[] SEC("license") = "GPL";
