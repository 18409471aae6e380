// SPDX-License-Identifier: GPL-2.0
/* The small shared library the library-uprobe tests probe by name. */
__attribute__((noipa)) int bpfsharp_lib_add(int a, int b) { return a + b; }
