/* sizeof and _Alignof of assorted C types as clang computes them, in one array the test reads back
 * from its own section and compares with BtfSpec.SizeOf and BtfSpec.Alignment. Keep `facts` in the order of
 * the Names list in BtfLayoutTests. */
typedef unsigned long long u64;
struct plain { char c; u64 v; };
struct packed_s { char c; u64 v; } __attribute__((packed));
struct aligned2 { char c; int i; } __attribute__((packed, aligned(2)));
struct bits { unsigned a : 3; unsigned b : 30; char tail; };
union mixed { char c[3]; short s; };
struct with_array { short s[5]; char c; };
struct nested { struct plain p; char c; };
struct empty_tail { int i; char c[]; };
typedef struct plain plain_t;
enum small_enum { A = 1, B = 2 };
struct holder {
	struct plain a; struct packed_s b; struct aligned2 c; struct bits d; union mixed e;
	struct with_array f; struct nested g; struct empty_tail *h; plain_t i; enum small_enum j;
	const volatile plain_t k[2];
};
struct holder the_holder __attribute__((section(".data"), used));
struct empty_tail the_tail __attribute__((section(".data"), used));
#define FACT(T) sizeof(T), _Alignof(T)
unsigned int facts[] __attribute__((section(".data.facts"), used)) = {
	FACT(struct plain), FACT(struct packed_s), FACT(struct aligned2), FACT(struct bits),
	FACT(union mixed), FACT(struct with_array), FACT(struct nested), FACT(struct empty_tail),
	FACT(plain_t), FACT(enum small_enum), FACT(struct holder),
};
