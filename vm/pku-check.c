// SPDX-License-Identifier: GPL-2.0
/*
 * pku-check: user-space protection keys still work with kpkeys. Allocates
 * a pkey, tags a page with it, and checks that a write faults with
 * SEGV_PKUERR when the pkey is write-disabled and succeeds when it is not.
 * Exits 0 on success, 1 on failure, 4 when the CPU or kernel has no PKU.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#ifndef SEGV_PKUERR
#define SEGV_PKUERR 4
#endif

static sigjmp_buf env;
static volatile int si_code;

static void on_segv(int sig, siginfo_t *si, void *uc)
{
	si_code = si->si_code;
	siglongjmp(env, 1);
}

static int try_write(volatile int *p)
{
	si_code = 0;
	if (sigsetjmp(env, 1))
		return si_code;
	*p = 1;
	return 0;
}

int main(void)
{
	struct sigaction sa = { .sa_sigaction = on_segv, .sa_flags = SA_SIGINFO };
	volatile int *page;
	int pkey, code;

#if defined(__x86_64__)
	pkey = pkey_alloc(0, 0);
#else
	pkey = -1;
	errno = ENOSYS;
#endif
	if (pkey < 0) {
		printf("pku-check: no user pkeys (%s)\n", strerror(errno));
		return 4;
	}
	sigaction(SIGSEGV, &sa, NULL);
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED || pkey_mprotect((void *)page, 4096,
						PROT_READ | PROT_WRITE, pkey)) {
		perror("pku-check: mmap/pkey_mprotect");
		return 1;
	}
	if (try_write(page)) {
		printf("pku-check: FAIL: write with the pkey enabled faulted\n");
		return 1;
	}
	pkey_set(pkey, PKEY_DISABLE_WRITE);
	code = try_write(page);
	pkey_set(pkey, 0);
	if (code != SEGV_PKUERR) {
		printf("pku-check: FAIL: write-disabled pkey gave si_code %d, not SEGV_PKUERR\n",
		       code);
		return 1;
	}
	if (try_write(page)) {
		printf("pku-check: FAIL: write after re-enabling faulted\n");
		return 1;
	}
	printf("pku-check: user pkey %d: write-disable faults with SEGV_PKUERR, enable writes: ok\n",
	       pkey);
	return 0;
}
