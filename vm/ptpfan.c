// SPDX-License-Identifier: GPL-2.0
/*
 * ptpfan: page-table pages in bulk, and memory pressure. A static guest
 * helper of the kpkeys harness (make bench-ptp-cache).
 *
 *   ptpfan fan NPROC MIB CMD   NPROC processes, spread over the online
 *                              CPUs, each map MIB MiB and write one byte
 *                              every 2 MiB of it: one PTE table each 2 MiB,
 *                              a PMD table each 1 GiB. Once all have, run
 *                              CMD with sh -c, then let them all exit.
 *   ptpfan hog MIB             map MIB MiB and write to each 4K page; exit
 *                              0 if that worked (an OOM kill ends it with
 *                              SIGKILL instead).
 *
 * fan exits 0 if CMD and every process did.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define PAGE_SIZE	4096UL
#define STRIDE		(2UL << 20)

static void fail(const char *what)
{
	fprintf(stderr, "ptpfan: %s: %s\n", what, strerror(errno));
	exit(1);
}

static char *map(size_t len)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (p == MAP_FAILED)
		fail("mmap");
	/* 4K pages, so that every touch needs a PTE table. */
	if (madvise(p, len, MADV_NOHUGEPAGE) && errno != EINVAL)
		fail("madvise(MADV_NOHUGEPAGE)");
	return p;
}

static void touch(volatile char *p, size_t len, size_t stride)
{
	size_t off;

	for (off = 0; off < len; off += stride)
		p[off] = 1;
}

/* The child: pin, map and touch, say so on @ready, wait for @go to close. */
static void child(int cpu, size_t len, int ready, int go)
{
	cpu_set_t set;
	char c = 1;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		fail("sched_setaffinity");
	touch(map(len), len, STRIDE);
	if (write(ready, &c, 1) != 1)
		fail("write");
	while (read(go, &c, 1) < 0 && errno == EINTR)
		;
	_exit(0);
}

static int fan(int nproc, size_t len, const char *cmd)
{
	int ready[2], go[2], ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int i, status, rc = 0;
	char c;

	if (pipe(ready) || pipe(go))
		fail("pipe");
	for (i = 0; i < nproc; i++) {
		pid_t pid = fork();

		if (pid < 0)
			fail("fork");
		if (!pid) {
			close(ready[0]);
			close(go[1]);
			child(i % (ncpu > 0 ? ncpu : 1), len, ready[1], go[0]);
		}
	}
	close(ready[1]);
	close(go[0]);
	for (i = 0; i < nproc; i++)
		if (read(ready[0], &c, 1) != 1)
			fail("a child died before touching its mapping");

	status = system(cmd);
	if (status)
		rc = 1;
	close(go[1]);
	while (wait(&status) > 0)
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			rc = 1;
	return rc;
}

int main(int argc, char **argv)
{
	const char *op = argc > 1 ? argv[1] : "";
	char *end = "";

	if (!strcmp(op, "fan") && argc == 5) {
		int nproc = strtol(argv[2], &end, 10);
		size_t mib = *end ? 0 : strtoul(argv[3], &end, 10);

		if (nproc > 0 && mib && !*end)
			return fan(nproc, mib << 20, argv[4]);
	} else if (!strcmp(op, "hog") && argc == 3) {
		size_t mib = strtoul(argv[2], &end, 10);

		if (mib && !*end) {
			touch(map(mib << 20), mib << 20, PAGE_SIZE);
			return 0;
		}
	}
	fprintf(stderr, "usage: ptpfan fan NPROC MIB CMD | ptpfan hog MIB\n");
	return 2;
}
