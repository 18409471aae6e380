namespace BpfSharp.Object.Tests.Btf.Dump;

/// <summary>A C program (or several, linked with <c>bpftool gen object</c>) whose BTF the dump tests compare.</summary>
public sealed record CFixture(string Name, string What, params string[] Sources)
{
    public override string ToString() => Name;
}

/// <summary>
/// C sources compiled by clang-19 at test time. Together they produce every BTF kind and the declarations the C
/// dumper has to get right: bitfields, padding, packing, alignment, inline anonymous aggregates, multi-dimensional
/// arrays, function pointers returning function pointers, qualifiers, type tags, enum64, signed and one-byte enums,
/// forward declarations, pointer cycles, and (after linking two objects) names that occur twice.
/// </summary>
public static class CFixtures
{
    public static readonly CFixture Layout = new("layout", "bitfields, padding, packed and over-aligned structs, nested anonymous aggregates",
        LayoutSource);

    public static readonly CFixture Declarators = new("decls", "function pointers, arrays of arrays, qualifiers, typedefs, enums, decl tags",
        DeclaratorsSource);

    public static readonly CFixture TagsAndCycles = new("tags", "type tags, pointer cycles between structs, typedefs of pointers",
        TagsSource);

    public static readonly CFixture Packing = new("pack", "packed and aligned structs and unions, zero-width bitfields",
        PackingSource);

    public static readonly CFixture Linkage = new("linkage", "extern kconfig/ksyms, static and global vars and funcs, floats, restrict",
        LinkageSource);

    public static readonly CFixture Maps = new("maps", "BTF-defined maps and global data sections, libbpf headers",
        MapsSource);

    public static readonly CFixture NameConflicts = new("conflicts", "two objects linked: one struct, typedef and enumerator name each defined twice",
        ConflictsASource, ConflictsBSource);

    public static IEnumerable<CFixture> All => [Layout, Declarators, TagsAndCycles, Packing, Linkage, Maps, NameConflicts];

    const string LayoutSource = """
        typedef unsigned char u8;
        typedef unsigned short u16;
        typedef unsigned int u32;
        typedef unsigned long long u64;

        struct bits {
        	u32 a: 3;
        	u32 b: 5;
        	u8 c;
        	u32 d: 20;
        	u64 e: 40;
        	int f: 1;
        	long g;
        	char h: 2;
        };

        struct __attribute__((packed)) packed_hdr {
        	u8 kind;
        	u32 len;
        	u16 flags;
        	u64 stamp;
        };

        struct packed_inner {
        	char c;
        	struct packed_hdr h;
        	int x;
        } __attribute__((packed));

        struct aligned16 {
        	int a;
        	int b __attribute__((aligned(16)));
        	char c;
        } __attribute__((aligned(32)));

        struct holes {
        	char a;
        	long b;
        	char c;
        	short d;
        	char e[3];
        	long long f;
        	char g;
        };

        struct nested {
        	int kind;
        	union {
        		struct { int x, y; } point;
        		struct { u64 lo; u64 hi; };
        		char raw[16];
        	};
        	struct {
        		enum { RED, GREEN = 5, BLUE } color: 4;
        		unsigned int lit: 1;
        	} style;
        	int grid[3][4][5];
        	const char *names[2][3];
        	struct bits bits_arr[2];
        };

        struct empty {};
        struct flex { int n; long data[]; };
        struct zero_tail { int n; char tail[0]; };

        struct __attribute__((packed)) odd_size { int a; char b; };
        struct misaligned_member { char c; struct odd_size o; short s; };

        struct bits g_bits;
        struct packed_hdr g_packed;
        struct packed_inner g_packed_inner;
        struct aligned16 g_aligned;
        struct holes g_holes;
        struct nested g_nested;
        struct empty g_empty;
        struct flex *g_flex;
        struct zero_tail g_zero_tail;
        struct misaligned_member g_misaligned;
        _Bool g_bool;
        __int128 g_i128;
        unsigned __int128 g_u128;
        float g_float;
        double g_double;
        long double g_ldouble;
        """;

    const string DeclaratorsSource = """
        typedef int (*binop_t)(int, int);
        typedef void (*handler_t)(void);
        typedef int (*vararg_t)(const char *fmt, ...);
        typedef int arr4_t[4];
        typedef arr4_t arr44_t[4];

        struct node;
        struct list { struct node *head; struct node **tail; };
        struct node { struct node *next; struct list *owner; int value; };

        struct opaque;
        typedef struct opaque opaque_t;
        typedef struct { int x; int y; } point_t;
        typedef union { int i; float f; } num_t;
        typedef enum { MODE_A, MODE_B } mode_t2;
        typedef struct named_s { int v; } named_t;

        struct ops {
        	int (*open)(struct ops *self, const char *name, int flags);
        	void (*close)(struct ops *);
        	binop_t combine;
        	int (*(*factory)(int))(long);
        	void (*table[4])(int);
        	const volatile int *cv;
        	int *const cp;
        	char *restrict rp;
        	const char *const *argv;
        	void *(*alloc)(unsigned long size, int (*cmp)(const void *, const void *));
        	opaque_t *priv;
        	point_t origin;
        	num_t num;
        	mode_t2 mode;
        	named_t named;
        	arr44_t matrix;
        	vararg_t log;
        	handler_t on_exit;
        	struct { int a; struct { int b; } inner; } *anon_ptr;
        	int (*arr_ptr)[8];
        	int *(*ptr_arr_ptr)[2][3];
        };

        struct ops g_ops;
        struct list g_list;
        volatile int g_vol;
        const int g_const = 3;

        enum level { LOW = -3, MID = 0, HIGH = 7 };
        enum big { SMALL = 1, HUGE = 0x123456789ULL };
        enum neg64 { NEG = -0x100000000LL, POS = 1 };
        enum __attribute__((packed)) tiny { T0, T1, T2 };
        enum { CONST_ONE = 1, CONST_TWO = 2 };
        enum empty_fwd;
        enum wide { WIDE_ONE = 1, WIDE_TWO = 2 } __attribute__((mode(word)));
        enum narrow { NARROW_ONE = 1 } __attribute__((mode(byte)));
        struct sized_enums { enum wide w; enum narrow n; char c; };
        struct sized_enums g_sized_enums;

        struct enums { enum level l; enum big b; enum neg64 n; enum tiny t; enum tiny t2; char c; };
        struct enums g_enums;
        int g_const_use = CONST_TWO;
        enum empty_fwd *g_fwd_enum;

        int __attribute__((btf_decl_tag("counter"))) g_tagged;
        struct tagged { int __attribute__((btf_decl_tag("field"))) f; int * __attribute__((btf_type_tag("user"))) uptr; };
        struct tagged g_tagged_s;

        __attribute__((section("tc"))) int prog(struct ops *ctx)
        {
        	return ctx->cv ? *ctx->cv : g_tagged + g_vol;
        }

        static __attribute__((noinline)) int helper(int (*cb)(int), long x) { return cb((int)x) + 1; }
        static int twice(int x) { return 2 * x; }
        __attribute__((section("xdp"))) int prog2(void *ctx) { return helper(twice, (long)ctx); }
        char _license[] __attribute__((section("license"))) = "GPL";
        """;

    const string TagsSource = """
        #define __user __attribute__((btf_type_tag("user")))
        #define __rcu __attribute__((btf_type_tag("rcu")))
        struct task { int pid; struct task __rcu *parent; };
        struct io { int __user *buf; const char __user * __rcu *names; struct task *t; };
        struct io g_io;
        struct cyc_b;
        struct cyc_a { struct cyc_b *b; int x; };
        struct cyc_b { struct cyc_a a; struct cyc_b *self; };
        typedef struct cyc_b *cyc_b_ptr;
        typedef cyc_b_ptr cyc_arr[2];
        struct user_of_typedef { cyc_arr arr; cyc_b_ptr p; };
        struct user_of_typedef g_cyc;
        enum { ANON_A = 1, ANON_B = 2 } g_anon_enum;
        typedef struct { int k; } anon_td_t;
        anon_td_t g_anon_td;
        struct fnret { int (*(*get)(void))(int); int (*(*arr[2])(void))[3]; };
        struct fnret g_fnret;
        """;

    const string PackingSource = """
        struct p1 { char a; int b; } __attribute__((packed));
        struct p2 { char a; struct p1 p; long c; };
        struct p3 { int a: 4; long b: 60; char c; } __attribute__((packed));
        struct p4 { short a; char b; } __attribute__((packed, aligned(2)));
        struct p5 { struct p4 x; char y; };
        struct p6 { char a; long b __attribute__((packed)); int c; };
        struct p7 { long a; char b; } __attribute__((packed));
        struct p8 { char c; struct p7 s; };
        union u1 { struct p1 p; int i; } __attribute__((packed));
        union u2 { char c[5]; int i; };
        struct z1 { int a: 3; int : 0; int b: 2; };
        struct z2 { char a; long : 0; char b; };
        struct z3 { int a: 7; long long b: 50; int c: 20; char d; };
        struct z4 { char a; long b: 3; };
        struct z5 { int a; char b: 1; } __attribute__((aligned(16)));
        struct z6 { char a; char pad[7]; long long b; short c: 9; };
        struct z7 { long long a: 1; long long : 62; long long b: 1; char c; };
        struct z8 { char a; int b __attribute__((aligned(8))); char c __attribute__((aligned(4))); };
        struct z9 { char a; short b __attribute__((aligned(64))); };
        struct z10 { struct z9 x; char y; struct z8 z[2]; };
        struct z11 { unsigned int a: 1; unsigned char : 7; unsigned char b; unsigned short : 0; char c; };
        struct z12 { char a[3]; int b: 12; char c: 4; short d; long e: 33; };
        struct p1 g1; struct p2 g2; struct p3 g3; struct p4 g4; struct p5 g5; struct p6 g6; struct p7 g7; struct p8 g8;
        union u1 gu1; union u2 gu2;
        struct z1 h1; struct z2 h2; struct z3 h3; struct z4 h4; struct z5 h5; struct z6 h6; struct z7 h7; struct z8 h8; struct z10 h10;
        struct z11 h11; struct z12 h12;
        """;

    const string LinkageSource = """
        extern int LINUX_KERNEL_VERSION __attribute__((section(".kconfig")));
        extern _Bool CONFIG_BPF_SYSCALL __attribute__((section(".kconfig"), weak));
        extern int bpf_fake_kfunc(int *p, unsigned long n) __attribute__((section(".ksyms"), weak));
        static volatile int counter;
        static const char banner[] = "hello";
        float ratio = 1.5f;
        double precise = 2.25;
        static __attribute__((noinline)) int add(int *restrict a, const int *restrict b) { return *a + *b + counter; }
        __attribute__((section("socket"))) int prog(void *ctx)
        {
        	int x = LINUX_KERNEL_VERSION, y = banner[1];
        	if (CONFIG_BPF_SYSCALL && bpf_fake_kfunc) x += bpf_fake_kfunc(&x, 4);
        	return add(&x, &y) + sizeof(ratio) + sizeof(precise);
        }
        char _license[] __attribute__((section("license"))) = "GPL";
        """;

    const string MapsSource = """
        #include <linux/bpf.h>
        #include <bpf/bpf_helpers.h>

        struct key { __u32 pid; __u32 cpu; };
        struct value { __u64 count; __u64 bytes; char comm[16]; };

        struct {
        	__uint(type, BPF_MAP_TYPE_HASH);
        	__uint(max_entries, 1024);
        	__type(key, struct key);
        	__type(value, struct value);
        } counts SEC(".maps");

        struct {
        	__uint(type, BPF_MAP_TYPE_RINGBUF);
        	__uint(max_entries, 4096);
        } events SEC(".maps");

        int global_data = 1;
        int global_bss;
        const volatile int global_ro = 5;
        static int static_data = 2;

        SEC("tracepoint/syscalls/sys_enter_openat")
        int handle(void *ctx)
        {
        	struct key k = { .pid = bpf_get_current_pid_tgid() >> 32 };
        	struct value *v = bpf_map_lookup_elem(&counts, &k);
        	if (v) __sync_fetch_and_add(&v->count, global_ro + static_data);
        	global_bss++;
        	return 0;
        }

        char LICENSE[] SEC("license") = "GPL";
        """;

    const string ConflictsASource = """
        struct conf { int a; struct conf *next; };
        typedef int myint;
        enum color { SHARED = 1, ONLY_A = 2 };
        struct holder_a { struct conf c; myint m; enum color col; };
        struct holder_a g_a;
        __attribute__((section("xdp"))) int prog_a(void *ctx) { return g_a.m; }
        char _license[] __attribute__((section("license"))) = "GPL";
        """;

    const string ConflictsBSource = """
        struct conf { long b; char name[8]; };
        typedef long myint;
        enum shade { SHARED = 7, ONLY_B };
        typedef enum shade myint2;
        struct holder_b { struct conf c; myint m; enum shade s; myint2 m2; };
        struct holder_b g_b;
        __attribute__((section("xdp"))) int prog_b(void *ctx) { return (int)g_b.m; }
        """;
}
