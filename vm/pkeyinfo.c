// SPDX-License-Identifier: GPL-2.0
/*
 * pkeyinfo: print which protection-key features the CPU offers and which
 * the running kernel enabled. A static guest helper of the kpkeys harness.
 */
#include <stdio.h>
#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>

static void cpu_features(void)
{
	unsigned int a, b, c, d;

	__cpuid_count(7, 0, a, b, c, d);
	printf("cpu: PKU (user pkeys)        %s\n", c & (1u << 3) ? "yes" : "no");
	printf("cpu: OSPKE (CR4.PKE set)     %s\n", c & (1u << 4) ? "yes" : "no");
	printf("cpu: PKS (supervisor pkeys)  %s\n", c & (1u << 31) ? "yes" : "no");
}
#elif defined(__aarch64__)
#include <sys/auxv.h>
#ifndef HWCAP2_POE
#define HWCAP2_POE (1UL << 63)
#endif

static void cpu_features(void)
{
	unsigned long hwcap2 = getauxval(AT_HWCAP2);

	printf("cpu: POE (permission overlays, as seen by EL0) %s\n",
	       hwcap2 & HWCAP2_POE ? "yes" : "no");
}
#endif

int main(void)
{
	char line[4096];
	FILE *f;

	cpu_features();
	f = fopen("/proc/cpuinfo", "r");
	if (!f)
		return 1;
	while (fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "flags", 5) || !strncmp(line, "Features", 8)) {
			int pku = strstr(line, " pku") != NULL;
			int ospke = strstr(line, " ospke") != NULL;
			int pks = strstr(line, " pks") != NULL;
			int poe = strstr(line, " poe") != NULL;

			printf("kernel: /proc/cpuinfo lists%s%s%s%s%s\n",
			       pku ? " pku" : "", ospke ? " ospke" : "",
			       pks ? " pks" : "", poe ? " poe" : "",
			       pku || ospke || pks || poe ? "" : " no pkey feature");
			break;
		}
	}
	fclose(f);
	return 0;
}
