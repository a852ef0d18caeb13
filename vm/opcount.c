// SPDX-License-Identifier: GPL-2.0
/*
 * opcount: guest time per page-table heavy operation, for runs under
 * QEMU's -icount shift=0, where guest time advances one nanosecond per
 * guest instruction: the figures are then instructions, not time. Under
 * any other clock they mean nothing. A static guest helper of the kpkeys
 * harness.
 *
 *   opcount [PASSES [OP...]]
 *
 * Prints one line per operation (all of them, or the OPs named):
 *
 *   opcount NAME: N (min A, max B) writes W
 *
 * with N the median over PASSES (default 5) of the per-operation figure
 * and W the median of the kpkeys register writes per operation, from the
 * kernel's counter (CONFIG_KPKEYS_DEBUG), or "n/a" without one. Only the
 * timed section is counted; it is system-wide, so run nothing else.
 *
 *   fork-small   fork + exit + wait of this small process
 *   fork-64m     the same with 64 MiB of touched anonymous memory
 *   fork-256m    the same with 256 MiB
 *   fork-exec    fork, exec of /bin/true, wait
 *   fault        first write to one 4K page of a fresh mapping
 *   fault-around first read of a page-cache file mapping, per 4K page
 *                (filemap_map_pages() maps the neighbours)
 *   munmap       unmapping one touched 4K page (of a 16 MiB range)
 *   mprotect     mprotect() of 1 MiB of touched memory to R and back
 *   mremap       moving 1 MiB of touched memory to another address
 *   brk          growing the heap by 1 MiB, touching it, shrinking it
 *   thp-split    unmapping 4K of a huge page (the PMD split)
 *
 * THP is off for the mappings but thp-split's, so that they are mapped by
 * 4K PTEs.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096UL
#define MIB (1UL << 20)
#define HPAGE (2 * MIB)
#define MAX_PASSES 15
#define STATS "/sys/kernel/debug/kpkeys/stats"
#define AROUND_FILE "/tmp/opcount-file"

static unsigned long long t_start, t_stop;
static long long w_start, w_stop;

static void die(const char *what)
{
	perror(what);
	exit(1);
}

static unsigned long long now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/* The kernel's count of kpkeys register writes, or -1. */
static long long reg_writes(void)
{
	static char buf[4096];
	int fd = open(STATS, O_RDONLY);
	ssize_t len;
	char *p;

	if (fd < 0)
		return -1;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return -1;
	buf[len] = '\0';
	p = strstr(buf, "\nreg_writes ");
	if (!p && !strncmp(buf, "reg_writes ", 11))
		p = buf - 1;
	return p ? atoll(p + 12) : -1;
}

/* Around the section measured, and nothing else. */
static void start(void)
{
	w_start = reg_writes();
	t_start = now();
}

static void stop(void)
{
	t_stop = now();
	w_stop = reg_writes();
}

static char *touched(unsigned long len)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("opcount: mmap");
	madvise(p, len, MADV_NOHUGEPAGE);
	for (unsigned long i = 0; i < len; i += PAGE)
		p[i] = 1;
	return p;
}

static void wait_child(pid_t pid)
{
	int status;

	if (pid < 0)
		die("opcount: fork");
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status) ||
	    WEXITSTATUS(status)) {
		fprintf(stderr, "opcount: child failed\n");
		exit(1);
	}
}

static void fork_wait(void)
{
	pid_t pid = fork();

	if (!pid)
		_exit(0);
	wait_child(pid);
}

/* Each runs one pass between start() and stop(); returns its op count. */
static unsigned long op_fork_small(void)
{
	start();
	for (int i = 0; i < 20; i++)
		fork_wait();
	stop();
	return 20;
}

static unsigned long fork_touched(unsigned long len)
{
	char *p = touched(len);

	start();
	fork_wait();
	stop();
	munmap(p, len);
	return 1;
}

static unsigned long op_fork_64m(void)
{
	return fork_touched(64 * MIB);
}

static unsigned long op_fork_256m(void)
{
	return fork_touched(256 * MIB);
}

static unsigned long op_fork_exec(void)
{
	start();
	for (int i = 0; i < 10; i++) {
		pid_t pid = fork();

		if (!pid) {
			execl("/bin/true", "true", (char *)NULL);
			_exit(127);
		}
		wait_child(pid);
	}
	stop();
	return 10;
}

static unsigned long op_fault(void)
{
	unsigned long len = 16 * MIB;
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		die("opcount: mmap");
	madvise(p, len, MADV_NOHUGEPAGE);
	start();
	for (unsigned long i = 0; i < len; i += PAGE)
		p[i] = 1;
	stop();
	munmap(p, len);
	return len / PAGE;
}

static unsigned long op_fault_around(void)
{
	unsigned long len = 16 * MIB;
	volatile char sum = 0;
	char *p;
	int fd;

	fd = open(AROUND_FILE, O_RDWR | O_CREAT, 0600);
	if (fd < 0 || ftruncate(fd, len))
		die("opcount: " AROUND_FILE);
	/* Every page in the page cache: the faults only map. */
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (p == MAP_FAILED)
		die("opcount: mmap");
	for (unsigned long i = 0; i < len; i += PAGE)
		p[i] = 1;
	munmap(p, len);
	p = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		die("opcount: mmap");
	madvise(p, len, MADV_NOHUGEPAGE);
	start();
	for (unsigned long i = 0; i < len; i += PAGE)
		sum += p[i];
	stop();
	munmap(p, len);
	close(fd);
	return len / PAGE;
}

static unsigned long op_munmap(void)
{
	unsigned long len = 16 * MIB;
	char *p = touched(len);

	start();
	munmap(p, len);
	stop();
	return len / PAGE;
}

static unsigned long op_mprotect(void)
{
	char *p = touched(MIB);

	start();
	for (int i = 0; i < 20; i++) {
		mprotect(p, MIB, PROT_READ);
		mprotect(p, MIB, PROT_READ | PROT_WRITE);
	}
	stop();
	munmap(p, MIB);
	return 20;
}

/* Back and forth between two addresses, PMD-aligned so that it moves PTEs. */
static unsigned long op_mremap(void)
{
	char *area = mmap(NULL, 8 * MIB, PROT_NONE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *a, *b, *p = touched(MIB);

	if (area == MAP_FAILED)
		die("opcount: mmap");
	a = (char *)(((unsigned long)area + HPAGE - 1) & ~(HPAGE - 1)) + PAGE;
	b = a + 4 * MIB;
	p = mremap(p, MIB, MIB, MREMAP_MAYMOVE | MREMAP_FIXED, a);
	if (p == MAP_FAILED)
		die("opcount: mremap");
	start();
	for (int i = 0; i < 10; i++) {
		p = mremap(p, MIB, MIB, MREMAP_MAYMOVE | MREMAP_FIXED,
			   p == a ? b : a);
		if (p == MAP_FAILED)
			die("opcount: mremap");
	}
	stop();
	munmap(area, 8 * MIB);
	return 10;
}

static unsigned long op_brk(void)
{
	start();
	for (int i = 0; i < 10; i++) {
		char *p = sbrk(MIB);

		if (p == (void *)-1)
			die("opcount: sbrk");
		for (unsigned long off = 0; off < MIB; off += PAGE)
			p[off] = 1;
		if (sbrk(-(long)MIB) == (void *)-1)
			die("opcount: sbrk");
	}
	stop();
	return 10;
}

/* Bytes of this process's anonymous memory mapped by huge pages. */
static unsigned long anon_huge(void)
{
	char line[256];
	unsigned long kb = 0;
	FILE *f = fopen("/proc/self/smaps_rollup", "r");

	if (!f)
		die("opcount: smaps_rollup");
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "AnonHugePages: %lu kB", &kb) == 1)
			break;
	fclose(f);
	return kb << 10;
}

static unsigned long op_thp_split(void)
{
	char *area = mmap(NULL, 2 * HPAGE, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	char *p;

	if (area == MAP_FAILED)
		die("opcount: mmap");
	p = (char *)(((unsigned long)area + HPAGE - 1) & ~(HPAGE - 1));
	if (madvise(p, HPAGE, MADV_HUGEPAGE))
		die("opcount: MADV_HUGEPAGE");
	p[0] = 1;
	if (anon_huge() < HPAGE) {
		fprintf(stderr, "opcount: thp-split: no huge page (THP off?)\n");
		exit(1);
	}
	start();
	munmap(p + HPAGE - PAGE, PAGE);
	stop();
	munmap(area, 2 * HPAGE);
	return 1;
}

static const struct {
	const char *name;
	unsigned long (*fn)(void);
} ops[] = {
	{ "fork-small", op_fork_small },
	{ "fork-64m", op_fork_64m },
	{ "fork-256m", op_fork_256m },
	{ "fork-exec", op_fork_exec },
	{ "fault", op_fault },
	{ "fault-around", op_fault_around },
	{ "munmap", op_munmap },
	{ "mprotect", op_mprotect },
	{ "mremap", op_mremap },
	{ "brk", op_brk },
	{ "thp-split", op_thp_split },
};

static int cmp_ull(const void *a, const void *b)
{
	unsigned long long x = *(const unsigned long long *)a;
	unsigned long long y = *(const unsigned long long *)b;

	return x < y ? -1 : x > y;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void run(unsigned int o, int passes)
{
	unsigned long long v[MAX_PASSES];
	double w[MAX_PASSES];
	int counted = 1;

	ops[o].fn();	/* warm up */
	for (int i = 0; i < passes; i++) {
		unsigned long n = ops[o].fn();

		v[i] = (t_stop - t_start) / n;
		w[i] = (double)(w_stop - w_start) / n;
		counted &= w_start >= 0 && w_stop >= 0;
	}
	qsort(v, passes, sizeof(v[0]), cmp_ull);
	qsort(w, passes, sizeof(w[0]), cmp_double);
	printf("opcount %s: %llu (min %llu, max %llu) writes ", ops[o].name,
	       v[passes / 2], v[0], v[passes - 1]);
	if (counted)
		printf("%.3f\n", w[passes / 2]);
	else
		printf("n/a\n");
	fflush(stdout);
}

int main(int argc, char **argv)
{
	int passes = argc > 1 ? atoi(argv[1]) : 5;
	unsigned int o;

	if (passes < 1 || passes > MAX_PASSES) {
		fprintf(stderr, "usage: opcount [PASSES (1-%d) [OP...]]\n", MAX_PASSES);
		return 2;
	}
	if (argc <= 2) {
		for (o = 0; o < sizeof(ops) / sizeof(ops[0]); o++)
			run(o, passes);
		return 0;
	}
	for (int a = 2; a < argc; a++) {
		for (o = 0; o < sizeof(ops) / sizeof(ops[0]); o++)
			if (!strcmp(argv[a], ops[o].name))
				break;
		if (o == sizeof(ops) / sizeof(ops[0])) {
			fprintf(stderr, "opcount: unknown operation '%s'\n", argv[a]);
			return 2;
		}
		run(o, passes);
	}
	return 0;
}
