/* Every shape the BTF value formatter shows, as clang-19 encodes it, in an initialised .data section. */
#define SEC(n) __attribute__((section(n), used))
typedef unsigned long long u64;
typedef unsigned int u32;
typedef unsigned short u16;
typedef unsigned char u8;

enum color { RED = 1, GREEN = 2, BLUE = -3 };
struct inner { u16 a; signed char b; _Bool ok; };
struct bits { u32 x : 3; u32 y : 5; int z : 4; enum color e : 4; u64 w : 40; };
union number { u32 i; float f; u8 b[4]; };

struct everything {
	u64 count;
	int neg;
	char name[8];
	char raw[4];
	enum color c;
	enum color unknown;
	struct inner in;
	struct bits bf;
	union number u;
	void *ptr;
	struct inner arr[2];
	u8 bytes[3];
	double d;
	__int128 wide;
	int (*fn)(int);
	union { u32 anon_a; u16 anon_b; };
	long long sl;
};

struct everything g = {
	.count = 42, .neg = -5, .name = "hi", .raw = { 1, 2, 3, 4 }, .c = GREEN, .unknown = 7,
	.in = { 7, -2, 1 }, .bf = { 5, 17, -3, BLUE, 0x123456789aULL }, .u = { .i = 0x3f800000 },
	.ptr = (void *)0x1234, .arr = { { 1, 2, 0 }, { 3, 4, 1 } }, .bytes = { 9, 8, 7 }, .d = 1.5,
	.wide = ((__int128)1 << 64) | 2, .anon_a = 0x10002, .sl = -9,
};
u32 counter = 3;

SEC("socket") int use(void *ctx) { counter++; return g.count; }
char LICENSE[] SEC("license") = "GPL";
