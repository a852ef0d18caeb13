# SPDX-License-Identifier: GPL-2.0
#
# kpkeys harness. Entry points only; the work is in harness/*.sh, and
# everything that differs between architectures is data in harness/arch/
# and configs/. 'make help' lists the targets.

ARCH     ?= x86_64
FLAVOUR  ?= default
FILTER   ?=
CMD      ?=
QEMU_CPU ?=
export FILTER CMD QEMU_CPU QEMU TIMEOUT SMP MEM APPEND SOAK_SECONDS NPROC MIB PASSES BOOTS

H := harness
MAKEFLAGS += --no-print-directory

# Bad input is one line and exit status 2, before anything runs.
ifeq ($(wildcard $(H)/arch/$(ARCH).sh),)
$(error unknown ARCH '$(ARCH)' (known: $(basename $(notdir $(wildcard $(H)/arch/*.sh)))))
endif
ifeq ($(wildcard configs/flavour/$(FLAVOUR).config),)
$(error unknown FLAVOUR '$(FLAVOUR)' (known: $(basename $(notdir $(wildcard configs/flavour/*.config)))))
endif

.PHONY: help deps base tree export export-check build run kunit \
	checkpatch test demo bench bench-batching bench-ptp-cache icount soak clean

help:
	@sed -n 's/^## //p' $(MAKEFILE_LIST)

## demo          build the x86-64 kernel, boot it with PKS, show what kpkeys does;
##               ARCH=arm64: the arm64 kernel with POE, on harness/qemu.sh's QEMU
demo: deps
	@$(H)/demo.sh $(ARCH)

## test          everything: checkpatch, x86-64 KUnit with and without PKS, arm64;
##               ARCH=arm64 [QEMU=newer qemu-system-aarch64]: checkpatch and arm64 only
test: deps
	@TEST_ARCH=$(if $(filter command line environment,$(origin ARCH)),$(ARCH)) $(H)/test.sh

## bench         instructions and register writes per operation: the base tree,
##               the series booted nokpkeys, on and nobatch, QEMU -icount
##               [PASSES=3 BOOTS=2]; writes results/bench.{md,csv} and charts
bench: deps
	@$(H)/bench.sh

## bench-batching count kpkeys register writes of fork/munmap/fault, batching on and off
##               [ARCH=arm64]
bench-batching: deps
	@$(H)/bench-batching.sh $(ARCH)

## bench-ptp-cache direct map and PTP cache figures, cache on and off, two
##               NUMA nodes [NPROC=64 MIB=1024]; writes results/ptp-cache.md
bench-ptp-cache: deps
	@$(H)/bench-ptp-cache.sh

## icount        guest instructions per fork/fault/munmap/mprotect, hardening
##               on and kpkeys_pgtables=off, QEMU -icount shift=0 [PASSES=5]
icount: deps
	@$(H)/icount.sh

## soak          no false positives: a page-table soak and the mm selftests,
##               hardening on and off [SOAK_SECONDS=300]; writes results/soak.md
##               (ARCH=arm64: results/soak-arm64.md)
soak: deps
	@$(H)/soak.sh $(ARCH)

## deps          install the Debian packages the harness needs (idempotent)
deps:
	@$(H)/deps.sh

## base          extract the base tree (BASE_VERSION) into the cache, once
base: deps
	@$(H)/base.sh >/dev/null

## tree          build/linux = base + patches/series, one commit per patch
tree: deps
	@$(H)/tree.sh

## export        regenerate patches/ and series from the commits in build/linux
export:
	@$(H)/export.sh export

## export-check  fail, one line per problem, if build/linux holds unexported work
export-check:
	@$(H)/export.sh check

## build         build the kernel [ARCH=x86_64|arm64] [FLAVOUR=default|debug]
build: deps
	@$(H)/build.sh $(ARCH) $(FLAVOUR)

## run           boot it under QEMU TCG: a shell, or CMD='...' [QEMU_CPU=max,-pks]
run: build
	@$(H)/vm.sh run $(ARCH) $(FLAVOUR)

## kunit         run the KUnit suites in the VM [FILTER='kpkeys*'] [QEMU_CPU=..]
kunit: build
	@$(H)/vm.sh kunit $(ARCH) $(FLAVOUR)

## checkpatch    scripts/checkpatch.pl --strict on every patch of the series
checkpatch: deps
	@$(H)/checkpatch.sh

## clean         remove build outputs (keeps build/linux and the base cache)
clean:
	rm -rf build/out-* build/logs build/*.cpio.gz build/*.d
