// SPDX-License-Identifier: GPL-2.0
/*
 * pgstress MODE SECONDS [DIR]: one page-table workload of 'soak', in a
 * loop for SECONDS. Every iteration checks the data it wrote, so that a
 * lost or wrong page-table update is an error, not only an oops. Prints
 * "MODE: N iterations[, detail]" and exits 0, or names the first
 * mismatch and exits 1.
 *
 * Modes: mmap (map, touch, punch holes, MAP_FIXED over, unmap), mprotect
 * (flip read-only/read-write on touched ranges; a write to a read-only
 * page must fault), mremap (grow, shrink, move, PMD-sized moves), thp
 * (2 MiB-aligned MADV_HUGEPAGE ranges, split by a 4K mprotect and a 4K
 * munmap), anon (touch, fork and write in the child, MADV_PAGEOUT, which
 * swaps if there is swap, MADV_DONTNEED, free), file (page cache on tmpfs
 * in DIR: write, mmap shared and private, read back, truncate while
 * mapped). Any other SIGSEGV kills pgstress.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE	4096UL
#define HPAGE	(2UL << 20)

static unsigned long iters, huge;
static sigjmp_buf fault_jmp;
static volatile sig_atomic_t fault_expected;

static void __attribute__((noreturn)) fail(const char *what)
{
	fprintf(stderr, "pgstress: iteration %lu: %s%s%s\n", iters, what,
		errno ? ": " : "", errno ? strerror(errno) : "");
	exit(1);
}

static void *map(void *hint, size_t len, int prot, int flags)
{
	void *p = mmap(hint, len, prot, flags | MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		fail("mmap");
	return p;
}

static void unmap(void *p, size_t len)
{
	if (munmap(p, len))
		fail("munmap");
}

static void protect(void *p, size_t len, int prot)
{
	if (mprotect(p, len, prot))
		fail("mprotect");
}

/* One word per page of p[from, to), derived from the offset and a seed. */
static void fill(char *p, size_t from, size_t to, unsigned long seed)
{
	for (size_t off = from; off < to; off += PAGE)
		*(unsigned long *)(p + off) = seed ^ off;
}

static int check(const char *p, size_t from, size_t to, unsigned long seed)
{
	for (size_t off = from; off < to; off += PAGE)
		if (*(const unsigned long *)(p + off) != (seed ^ off))
			return 0;
	return 1;
}

static void must(int ok, const char *what)
{
	errno = 0;
	if (!ok)
		fail(what);
}

static void on_segv(int sig)
{
	if (fault_expected)
		siglongjmp(fault_jmp, 1);
	signal(sig, SIG_DFL);	/* the access faults again, and kills us */
}

/* Does a write to p fault? The value is left unchanged if it does. */
static int write_faults(volatile unsigned long *p)
{
	int faulted = 1;

	if (!sigsetjmp(fault_jmp, 1)) {
		fault_expected = 1;
		*p = *p;
		faulted = 0;
	}
	fault_expected = 0;
	return faulted;
}

/* A 2 MiB-aligned range of len bytes inside a larger mapping. */
static char *map_aligned(size_t len, char **base, size_t *base_len)
{
	*base_len = len + HPAGE;
	*base = map(NULL, *base_len, PROT_READ | PROT_WRITE, 0);
	return (char *)(((uintptr_t)*base + HPAGE - 1) & ~(HPAGE - 1));
}

static void do_mmap(const char *dir)
{
	enum { N = 16 };
	char *p[N];
	size_t len[N];
	int i;

	for (i = 0; i < N; i++) {
		len[i] = (1 + (iters + i) % 32) * PAGE;
		p[i] = map(NULL, len[i], PROT_READ | PROT_WRITE, 0);
		fill(p[i], 0, len[i], iters + i);
	}
	for (i = 0; i < N; i += 2) {
		if (len[i] < 3 * PAGE)
			continue;
		/* A hole in the middle splits the VMA... */
		unmap(p[i] + PAGE, PAGE);
		/* ...and a new mapping over the tail replaces its pages. */
		map(p[i] + 2 * PAGE, len[i] - 2 * PAGE, PROT_READ | PROT_WRITE, MAP_FIXED);
		must(check(p[i], 0, PAGE, iters + i) &&
		     *(unsigned long *)(p[i] + 2 * PAGE) == 0, "mmap: data after hole and MAP_FIXED");
	}
	for (i = N - 1; i >= 0; i--) {
		if (i % 2)
			must(check(p[i], 0, len[i], iters + i), "mmap: data");
		unmap(p[i], len[i]);
	}
}

static void do_mprotect(const char *dir)
{
	size_t len = 64 * PAGE;
	char *p = map(NULL, len, PROT_READ | PROT_WRITE, 0);
	int round;

	fill(p, 0, len, iters);
	for (round = 0; round < 8; round++) {
		size_t off = (round * 7 % 48) * PAGE, end = off + (1 + round * 2) * PAGE;

		protect(p + off, end - off, PROT_READ);
		must(check(p, 0, len, iters), "mprotect: data after PROT_READ");
		if (round == 0)
			must(write_faults((unsigned long *)(p + off)),
			     "mprotect: write to a PROT_READ page did not fault");
		protect(p + off, end - off, PROT_READ | PROT_WRITE);
		fill(p, off, end, ~iters);
		must(check(p, off, end, ~iters), "mprotect: write after PROT_READ|PROT_WRITE");
		fill(p, off, end, iters);
	}
	must(check(p, 0, len, iters), "mprotect: data");
	unmap(p, len);
}

static void do_mremap(const char *dir)
{
	size_t len = 16 * PAGE, len1, len2;
	char *p = map(NULL, len, PROT_READ | PROT_WRITE, 0), *q;
	char *base1, *base2, *dst1, *dst2;

	fill(p, 0, len, iters);
	q = mremap(p, len, 4 * len, MREMAP_MAYMOVE);
	if (q == MAP_FAILED)
		fail("mremap grow");
	must(check(q, 0, len, iters), "mremap: data after grow");
	fill(q, len, 4 * len, iters);
	p = mremap(q, 4 * len, len, 0);
	if (p == MAP_FAILED)
		fail("mremap shrink");
	must(check(p, 0, len, iters), "mremap: data after shrink");

	/* Move and grow to a 2 MiB-aligned address, then move a whole PMD. */
	dst1 = map_aligned(HPAGE, &base1, &len1);
	dst2 = map_aligned(HPAGE, &base2, &len2);
	q = mremap(p, len, HPAGE, MREMAP_MAYMOVE | MREMAP_FIXED, dst1);
	if (q != dst1)
		fail("mremap to a fixed address");
	must(check(q, 0, len, iters), "mremap: data after move");
	fill(q, len, HPAGE, iters);
	q = mremap(dst1, HPAGE, HPAGE, MREMAP_MAYMOVE | MREMAP_FIXED, dst2);
	if (q != dst2)
		fail("mremap of a PMD");
	must(check(q, 0, HPAGE, iters), "mremap: data after PMD move");
	unmap(base1, len1);
	unmap(base2, len2);
}

static long anon_huge_kb(void)
{
	char line[128];
	long kb = 0;
	FILE *f = fopen("/proc/self/smaps_rollup", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "AnonHugePages: %ld", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

static void do_thp(const char *dir)
{
	size_t len = 2 * HPAGE, big;
	char *base, *p = map_aligned(len, &base, &big);
	char *ro = p + 5 * PAGE, *hole = p + HPAGE + 9 * PAGE;

	if (madvise(p, len, MADV_HUGEPAGE) && errno != EINVAL)
		fail("madvise(MADV_HUGEPAGE)");
	fill(p, 0, len, iters);
	if (anon_huge_kb() >= 2048)
		huge++;
	/* Split the first PMD with a 4K mprotect, the second with a 4K hole. */
	protect(ro, PAGE, PROT_READ);
	must(write_faults((unsigned long *)ro),
	     "thp: write to a PROT_READ 4K of a huge page did not fault");
	protect(ro, PAGE, PROT_READ | PROT_WRITE);
	unmap(hole, PAGE);
	must(check(p, 0, hole - p, iters) && check(p, hole - p + PAGE, len, iters),
	     "thp: data after 4K mprotect and munmap");
	if (madvise(p, HPAGE, MADV_DONTNEED))
		fail("madvise(MADV_DONTNEED)");
	must(*(unsigned long *)ro == 0, "thp: page not zero after MADV_DONTNEED");
	unmap(base, big);
}

static void do_anon(const char *dir)
{
	size_t len = 8UL << 20;
	char *p = map(NULL, len, PROT_READ | PROT_WRITE, 0);
	int status;
	pid_t pid;

	fill(p, 0, len, iters);
	pid = fork();
	if (pid < 0)
		fail("fork");
	if (pid == 0) {
		/* The child's writes are copies; the parent must not see them. */
		if (!check(p, 0, len, iters))
			_exit(2);
		fill(p, 0, len, ~iters);
		_exit(check(p, 0, len, ~iters) ? 0 : 3);
	}
	if (waitpid(pid, &status, 0) != pid)
		fail("waitpid");
	must(WIFEXITED(status) && WEXITSTATUS(status) == 0, "anon: child saw wrong data");
	must(check(p, 0, len, iters), "anon: parent data after the child's writes");
	if (madvise(p + len / 2, len / 8, MADV_PAGEOUT) && errno != EINVAL)
		fail("madvise(MADV_PAGEOUT)");
	must(check(p, 0, len, iters), "anon: data after MADV_PAGEOUT");
	if (madvise(p, len / 2, MADV_DONTNEED))
		fail("madvise(MADV_DONTNEED)");
	must(*(unsigned long *)p == 0 && check(p, len / 2, len, iters),
	     "anon: data after MADV_DONTNEED");
	unmap(p, len);
}

static void do_file(const char *dir)
{
	size_t len = 64 * PAGE;
	char path[256], *buf = malloc(len), *p, *q;
	int fd;

	if (!buf)
		fail("malloc");
	snprintf(path, sizeof(path), "%s/pgstress.%d", dir, getpid());
	fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		fail("open");
	fill(buf, 0, len, iters);
	if (write(fd, buf, len) != (ssize_t)len)
		fail("write");
	p = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	q = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED || q == MAP_FAILED)
		fail("mmap of a file");
	must(check(p, 0, len, iters) && check(q, 0, len, iters), "file: mapped data");
	fill(q, 0, len / 2, ~iters);	/* private copies */
	fill(p, 0, len, iters + 1);	/* through the page cache */
	if (pread(fd, buf, len, 0) != (ssize_t)len)
		fail("pread");
	must(check(buf, 0, len, iters + 1), "file: read after a shared write");
	must(check(q, 0, len / 2, ~iters) && check(q, len / 2, len, iters + 1),
	     "file: private mapping");
	/* Truncating zaps the mapped tail; re-extending reads zeroes. */
	if (ftruncate(fd, len / 2) || ftruncate(fd, len))
		fail("ftruncate");
	must(*(unsigned long *)(p + len / 2) == 0 && check(p, 0, len / 2, iters + 1),
	     "file: data after truncation");
	unmap(p, len);
	unmap(q, len);
	close(fd);
	unlink(path);
	free(buf);
}

static const struct {
	const char *name;
	void (*fn)(const char *dir);
} modes[] = {
	{ "mmap", do_mmap }, { "mprotect", do_mprotect }, { "mremap", do_mremap },
	{ "thp", do_thp }, { "anon", do_anon }, { "file", do_file },
};

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_segv };
	const char *dir = argc > 3 ? argv[3] : "/tmp";
	unsigned int i, n = sizeof(modes) / sizeof(modes[0]);
	time_t end;

	for (i = 0; argc >= 3 && i < n; i++)
		if (!strcmp(argv[1], modes[i].name))
			break;
	if (argc < 3 || i == n) {
		fprintf(stderr, "usage: pgstress mmap|mprotect|mremap|thp|anon|file SECONDS [DIR]\n");
		return 2;
	}
	end = time(NULL) + atol(argv[2]);
	sigaction(SIGSEGV, &sa, NULL);
	do {
		modes[i].fn(dir);
		iters++;
	} while (time(NULL) < end);

	printf("%s: %lu iterations", modes[i].name, iters);
	if (modes[i].fn == do_thp)
		printf(", %lu with a huge page", huge);
	printf("\n");
	return 0;
}
