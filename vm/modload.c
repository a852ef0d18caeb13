// SPDX-License-Identifier: GPL-2.0
/*
 * modload: load a module once, with finit_module(2). A static guest helper
 * of the kpkeys harness: busybox's insmod and modprobe load a module again
 * with init_module(2) when finit_module(2) fails, and test modules such
 * as test_vmalloc fail by design once their tests have run.
 *
 *   modload FILE [PARAMS]
 *
 * Exits 0 if the module loaded, 1 with the error otherwise.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	int fd;

	if (argc < 2 || argc > 3) {
		fprintf(stderr, "usage: modload FILE [PARAMS]\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (fd < 0 || syscall(SYS_finit_module, fd, argc > 2 ? argv[2] : "", 0)) {
		fprintf(stderr, "modload: %s: %s\n", argv[1], strerror(errno));
		return 1;
	}
	return 0;
}
