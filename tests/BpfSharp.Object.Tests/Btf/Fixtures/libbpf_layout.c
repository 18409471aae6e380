/* Prints "id size align" for every type of a raw BTF file as libbpf computes them (btf__resolve_size,
 * btf__align_of); size or align is an empty field where libbpf reports an error. Built by the tests
 * with gcc -O2 libbpf_layout.c -lbpf. */
#include <stdio.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

int main(int argc, char **argv)
{
	libbpf_set_print(NULL);
	struct btf *btf = btf__parse(argv[1], NULL);
	if (!btf) {
		perror("btf__parse");
		return 1;
	}
	btf__set_pointer_size(btf, 8);
	for (unsigned id = 1; id < btf__type_cnt(btf); id++) {
		long long size = btf__resolve_size(btf, id);
		int align = btf__align_of(btf, id);
		printf("%u ", id);
		if (size >= 0) printf("%lld", size);
		printf(" ");
		if (align > 0) printf("%d", align);
		printf("\n");
	}
	btf__free(btf);
	return 0;
}
