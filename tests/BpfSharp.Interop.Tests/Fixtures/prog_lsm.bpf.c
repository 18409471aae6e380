/* An LSM hook program. This sandbox kernel refuses trampolines (lsm included) with EPERM. */
#include "fixtures.h"

SEC("lsm/file_open")
int BPF_PROG(lsm_open, struct file *file)
{
	return 0;
}

FIXTURE_LICENSE;
