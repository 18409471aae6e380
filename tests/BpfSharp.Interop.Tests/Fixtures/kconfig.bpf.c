/* .kconfig externs: the kernel version, bool/tristate/int/string options, and a __weak option
 * this kernel does not have (it must read as zero). */
#include "fixtures.h"

extern __u32 LINUX_KERNEL_VERSION __kconfig;
extern bool CONFIG_BPF_SYSCALL __kconfig;
extern enum libbpf_tristate CONFIG_BPF_JIT __kconfig __weak;
extern int CONFIG_HZ __kconfig;
extern char CONFIG_LOCALVERSION[16] __kconfig __weak;
extern bool CONFIG_BPFSHARP_NOT_A_REAL_OPTION __kconfig __weak;
extern bool LINUX_HAS_BPF_COOKIE __kconfig;

__u64 kconfig_seen[6];

SEC("raw_tp/sys_enter")
int read_kconfig(void *ctx)
{
	kconfig_seen[0] = LINUX_KERNEL_VERSION;
	kconfig_seen[1] = CONFIG_BPF_SYSCALL;
	kconfig_seen[2] = CONFIG_BPF_JIT;
	kconfig_seen[3] = CONFIG_HZ;
	kconfig_seen[4] = CONFIG_LOCALVERSION[0] + CONFIG_BPFSHARP_NOT_A_REAL_OPTION;
	kconfig_seen[5] = LINUX_HAS_BPF_COOKIE;
	return 0;
}

FIXTURE_LICENSE;
