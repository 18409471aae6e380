/* Live globals: each run adds `step` (.data) to `runs` (.bss) and counts itself in `hist` (.bss); the return value
 * comes from .rodata. `hidden` sits alone in a section with only a static variable, which is not mmapable. */
#define SEC(n) __attribute__((section(n), used))
typedef unsigned long long u64;
typedef unsigned int u32;

struct settings {
	u32 bonus;
	u32 mode;
};

u64 runs;                                          /* .bss */
u64 hist[4];                                       /* .bss */
u32 step = 1;                                      /* .data */
const volatile u32 answer = 7;                     /* .rodata */
const volatile struct settings cfg = { .bonus = 2, .mode = 3 };
static u32 hidden SEC(".data.hidden") = 100;       /* static only: not mmapable */

SEC("socket")
int bump(void *ctx)
{
	u64 now = __sync_fetch_and_add(&runs, step) + step;
	__sync_fetch_and_add(&hist[now & 3], 1);
	hidden++;
	return answer + cfg.bonus;
}

char LICENSE[] SEC("license") = "GPL";
