/* Every kind of global data libbpf turns into an array map: .data, .bss, .rodata (frozen),
 * and the custom .data.NAME / .rodata.NAME sections. */
#include "fixtures.h"

struct config {
	__u32 mode;
	__u32 limit;
	char tag[8];
};

int counter = 7;                                       /* .data */
__u64 total;                                           /* .bss */
__u64 hist[16];                                        /* .bss */
const volatile struct config cfg = { .mode = 1, .limit = 100, .tag = "fix" }; /* .rodata */
const volatile __u32 debug_level;                      /* .rodata (zero, still .rodata) */
int custom_counter SEC(".data.custom") = 3;            /* .data.custom */
__u64 custom_slots[4] SEC(".data.custom");
const volatile __u32 custom_limit SEC(".rodata.custom") = 42; /* .rodata.custom */

SEC("socket")
int use_globals(struct __sk_buff *skb)
{
	__u32 len = skb->len;

	counter++;
	total += len;
	hist[len & 15]++;
	custom_counter++;
	custom_slots[len & 3] = len;
	if (cfg.mode == 1 && len > cfg.limit + custom_limit)
		return debug_level;
	return cfg.tag[0];
}

FIXTURE_LICENSE;
