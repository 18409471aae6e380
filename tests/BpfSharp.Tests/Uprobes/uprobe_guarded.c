// SPDX-License-Identifier: GPL-2.0
/* A USDT probe behind a semaphore (its own translation unit: <sys/sdt.h> wants a semaphore for every probe of a file
 * compiled with _SDT_HAS_SEMAPHORES). The kernel raises the semaphore while a uprobe with its reference-counter offset
 * is attached, so the probe and the work of preparing its arguments happen only while someone listens. */
#define _SDT_HAS_SEMAPHORES 1
#include <sys/sdt.h>

__attribute__((section(".probes"))) volatile unsigned short bpfsharp_guarded_semaphore;

__attribute__((noipa)) int bpfsharp_guarded(int i)
{
	if (!bpfsharp_guarded_semaphore)
		return 0;
	STAP_PROBE1(bpfsharp, guarded, i);
	return 1;
}
