// SPDX-License-Identifier: GPL-2.0
/*
 * ptbench: count the kpkeys register writes that one page-table heavy
 * operation makes. A static guest helper of the kpkeys harness.
 *
 *   ptbench fork|munmap|fault MIB
 *
 * fork:   fork a process with MIB MiB of touched anonymous memory; the
 *         child exits at once, the parent waits (so the child's teardown
 *         is counted too)
 * munmap: unmap MIB MiB of touched anonymous memory
 * fault:  write once to each 4K page of a fresh MIB MiB mapping
 *
 * THP is off for the mapping, so that it is mapped by 4K PTEs. The
 * kpkeys stats file is read just before and just after the operation;
 * the output is two lines, the headline counters with derived figures
 * and the delta of every counter in the file:
 *
 *   ptbench fork 1024MiB: reg_writes=N lazy_mmu_batches=N ... pages=N
 *   ptbench fork 1024MiB deltas: name=N ...
 *
 * A counter the kernel does not have is "n/a". The counters are
 * system-wide: run nothing else meanwhile. Without the stats file the
 * operation still runs, and ptbench exits 1.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#define STATS "/sys/kernel/debug/kpkeys/stats"
#define PAGE_SIZE 4096UL
#define MAX_STATS 64

struct stats {
	int n;
	struct {
		char name[48];
		long long val;
	} v[MAX_STATS];
};

static struct stats before, after;
static char buf[8192];

static void fail(const char *what)
{
	fprintf(stderr, "ptbench: %s: %s\n", what, strerror(errno));
	exit(1);
}

/* Static buffers only: reading the stats allocates nothing. */
static int read_stats(struct stats *s)
{
	int fd = open(STATS, O_RDONLY);
	ssize_t len = 0, r;
	char *line, *save;

	s->n = 0;
	if (fd < 0)
		return -1;
	while ((r = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0)
		len += r;
	close(fd);
	if (r < 0)
		return -1;
	buf[len] = '\0';
	for (line = strtok_r(buf, "\n", &save); line && s->n < MAX_STATS;
	     line = strtok_r(NULL, "\n", &save))
		if (sscanf(line, "%47s %lld", s->v[s->n].name, &s->v[s->n].val) == 2)
			s->n++;
	return 0;
}

static int get(const struct stats *s, const char *name, long long *val)
{
	int i;

	for (i = 0; i < s->n; i++) {
		if (!strcmp(s->v[i].name, name)) {
			*val = s->v[i].val;
			return 1;
		}
	}
	return 0;
}

static int delta(const char *name, long long *d)
{
	long long a, b;

	if (!get(&before, name, &b) || !get(&after, name, &a))
		return 0;
	*d = a - b;
	return 1;
}

static void print_delta(const char *name)
{
	long long d;

	if (delta(name, &d))
		printf(" %s=%lld", name, d);
	else
		printf(" %s=n/a", name);
}

static void print_ratio(const char *label, const char *num, const char *den,
			long long den_val, int prec)
{
	long long n, d = den_val;

	if (delta(num, &n) && (!den || delta(den, &d)) && d)
		printf(" %s=%.*f", label, prec, (double)n / d);
	else
		printf(" %s=n/a", label);
}

static char *map(size_t len)
{
	char *p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		fail("mmap");
	/* EINVAL: a kernel without THP, which maps 4K pages anyway. */
	if (madvise(p, len, MADV_NOHUGEPAGE) && errno != EINVAL)
		fail("madvise(MADV_NOHUGEPAGE)");
	return p;
}

static void touch(volatile char *p, size_t len)
{
	size_t off;

	for (off = 0; off < len; off += PAGE_SIZE)
		p[off] = 1;
}

int main(int argc, char **argv)
{
	const char *op = argc > 1 ? argv[1] : "";
	char *end = "", *p;
	unsigned long mib = argc == 3 ? strtoul(argv[2], &end, 10) : 0;
	size_t len = mib << 20;
	int have_stats, status, i;
	pid_t pid;

	if (!mib || *end || mib > (1UL << 20) ||
	    (strcmp(op, "fork") && strcmp(op, "munmap") && strcmp(op, "fault"))) {
		fprintf(stderr, "usage: ptbench fork|munmap|fault MIB\n");
		return 2;
	}
	p = map(len);
	if (strcmp(op, "fault"))
		touch(p, len);

	/* A first read faults in the buffers and the code path. */
	have_stats = !read_stats(&after);
	if (!have_stats)
		fprintf(stderr, "ptbench: %s: %s (kernel without kpkeys page-table stats)\n",
			STATS, strerror(errno));
	read_stats(&before);
	if (!strcmp(op, "fork")) {
		pid = fork();
		if (!pid)
			_exit(0);
		if (pid < 0 || waitpid(pid, &status, 0) < 0)
			fail("fork");
	} else if (!strcmp(op, "munmap")) {
		if (munmap(p, len))
			fail("munmap");
	} else {
		touch(p, len);
	}
	read_stats(&after);

	printf("ptbench %s %luMiB:", op, mib);
	print_delta("reg_writes");
	print_delta("lazy_mmu_batches");
	print_delta("lazy_mmu_writes");
	print_ratio("batch_writes_per_batch", "lazy_mmu_writes", "lazy_mmu_batches", 0, 2);
	print_ratio("total_writes_per_batch", "reg_writes", "lazy_mmu_batches", 0, 2);
	print_ratio("writes_per_page", "reg_writes", NULL, len / PAGE_SIZE, 3);
	printf(" pages=%zu\n", len / PAGE_SIZE);
	printf("ptbench %s %luMiB deltas:", op, mib);
	for (i = 0; i < after.n; i++)
		print_delta(after.v[i].name);
	printf("%s\n", after.n ? "" : " n/a");
	return have_stats ? 0 : 1;
}
