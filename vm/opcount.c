// SPDX-License-Identifier: GPL-2.0
/*
 * opcount: guest time per page-table heavy operation, for runs under
 * QEMU's -icount shift=0, where guest time advances one nanosecond per
 * guest instruction: the figures are then instructions, not time. Under
 * any other clock they mean nothing. A static guest helper of the kpkeys
 * harness.
 *
 *   opcount [PASSES]
 *
 * Prints one line per operation: "opcount NAME: N" with N the median
 * over PASSES (default 5) of the per-operation figure:
 *
 *   fork-small   fork + exit + wait of this small process
 *   fork-64m     the same with 64 MiB of touched anonymous memory
 *   fault        first write to one 4K page of a fresh mapping
 *   munmap       unmapping one touched 4K page (of a 16 MiB range)
 *   mprotect     mprotect() of 1 MiB of touched memory to R and back
 *
 * THP is off for the mappings, so that they are mapped by 4K PTEs.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096UL
#define MIB (1UL << 20)
#define MAX_PASSES 15

static unsigned long long now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static char *touched(unsigned long len)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED) {
		perror("opcount: mmap");
		exit(1);
	}
	madvise(p, len, MADV_NOHUGEPAGE);
	for (unsigned long i = 0; i < len; i += PAGE)
		p[i] = 1;
	return p;
}

static void fork_wait(void)
{
	pid_t pid = fork();

	if (pid < 0) {
		perror("opcount: fork");
		exit(1);
	}
	if (!pid)
		_exit(0);
	waitpid(pid, NULL, 0);
}

/* Each returns guest nanoseconds per operation for one pass. */
static unsigned long long op_fork_small(void)
{
	unsigned long long t = now();

	for (int i = 0; i < 20; i++)
		fork_wait();
	return (now() - t) / 20;
}

static unsigned long long op_fork_64m(void)
{
	char *p = touched(64 * MIB);
	unsigned long long t = now();

	fork_wait();
	t = now() - t;
	munmap(p, 64 * MIB);
	return t;
}

static unsigned long long op_fault(void)
{
	unsigned long len = 16 * MIB, t;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	madvise(p, len, MADV_NOHUGEPAGE);
	t = now();
	for (unsigned long i = 0; i < len; i += PAGE)
		p[i] = 1;
	t = now() - t;
	munmap(p, len);
	return t / (len / PAGE);
}

static unsigned long long op_munmap(void)
{
	unsigned long len = 16 * MIB;
	char *p = touched(len);
	unsigned long long t = now();

	munmap(p, len);
	return (now() - t) / (len / PAGE);
}

static unsigned long long op_mprotect(void)
{
	char *p = touched(MIB);
	unsigned long long t = now();

	for (int i = 0; i < 20; i++) {
		mprotect(p, MIB, PROT_READ);
		mprotect(p, MIB, PROT_READ | PROT_WRITE);
	}
	t = (now() - t) / 20;
	munmap(p, MIB);
	return t;
}

static const struct {
	const char *name;
	unsigned long long (*fn)(void);
} ops[] = {
	{ "fork-small", op_fork_small },
	{ "fork-64m", op_fork_64m },
	{ "fault", op_fault },
	{ "munmap", op_munmap },
	{ "mprotect", op_mprotect },
};

static int cmp(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a;
	unsigned long long y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	int passes = argc > 1 ? atoi(argv[1]) : 5;
	unsigned long long v[MAX_PASSES];

	if (passes < 1 || passes > MAX_PASSES) {
		fprintf(stderr, "usage: opcount [PASSES (1-%d)]\n", MAX_PASSES);
		return 2;
	}
	for (unsigned int o = 0; o < sizeof(ops) / sizeof(ops[0]); o++) {
		ops[o].fn();	/* warm up */
		for (int i = 0; i < passes; i++)
			v[i] = ops[o].fn();
		qsort(v, passes, sizeof(v[0]), cmp);
		printf("opcount %s: %llu (min %llu, max %llu)\n", ops[o].name,
		       v[passes / 2], v[0], v[passes - 1]);
	}
	return 0;
}
