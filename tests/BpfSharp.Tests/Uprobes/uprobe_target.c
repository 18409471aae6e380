// SPDX-License-Identifier: GPL-2.0
/* The process the uprobe and USDT tests probe. Built by gcc at test time (see TestBinary.cs):
 *
 *   uprobe_target N
 *
 * prints "ready PID", waits for a line on stdin (the test attaches meanwhile), then N times: calls bpfsharp_target
 * once, bpfsharp_second twice, bpfsharp_third three times, fires USDT bpfsharp:tick, calls bpfsharp_guarded (a USDT
 * probe behind a semaphore, fired only while something is attached), libc's getpid and the test library's
 * bpfsharp_lib_add; then prints "done sum=S guarded=G semaphore=V" and exits. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <sys/sdt.h>

int bpfsharp_guarded(int i);                     /* uprobe_guarded.c */
extern volatile unsigned short bpfsharp_guarded_semaphore;
int bpfsharp_lib_add(int a, int b);              /* uprobe_lib.c, a shared library */

/* noipa: not inlined, not cloned, not specialised for its constant arguments, so the symbol is the code that runs. */
__attribute__((noipa)) int bpfsharp_target(int a, int b) { return a * 10 + b; }
__attribute__((noipa)) int bpfsharp_second(int a) { return a + 1; }
__attribute__((noipa)) int bpfsharp_third(int a) { return a + 2; }

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 1;
	char line[64];
	long sum = 0;
	int guarded = 0;
	unsigned semaphore;

	printf("ready %d\n", getpid());
	fflush(stdout);
	if (!fgets(line, sizeof(line), stdin))
		return 2;
	semaphore = bpfsharp_guarded_semaphore;
	for (int i = 0; i < n; i++) {
		volatile int on_stack = i + 100; /* a memory operand: the probe reads it as OFFSET(%rsp) */

		sum += bpfsharp_target(i, 7);
		sum += bpfsharp_second(i) + bpfsharp_second(i);
		sum += bpfsharp_third(i) + bpfsharp_third(i) + bpfsharp_third(i);
		STAP_PROBE4(bpfsharp, tick, i, (long)i * 1000 - 3, 5, on_stack);
		guarded += bpfsharp_guarded(i);
		sum += getpid() > 0;
		sum += bpfsharp_lib_add(i, 1);
	}
	printf("done sum=%ld guarded=%d semaphore=%u\n", sum, guarded, semaphore);
	return 0;
}
