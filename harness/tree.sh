#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Make build/linux: the base tree with every patch of the series applied
# as its own commit. Refuses to touch a tree holding unexported work.

. "$(dirname "$0")/lib.sh"

base=$("$TOP/harness/base.sh")

# A tree cloned from an older base cache is recreated (after the check
# below that it holds no unexported work).
stale=
if [ -d "$TREE/.git" ] &&
   [ "$(tgit rev-parse -q --verify "$BASE_TAG^{commit}" 2>/dev/null)" != \
     "$(git -C "$base" rev-parse "$BASE_TAG^{commit}")" ]; then
	stale=1
fi

if [ -d "$TREE/.git" ]; then
	if ! problems=$("$TOP/harness/export.sh" check 2>&1); then
		printf '%s\n' "$problems" >&2
		die "build/linux holds work that is not in patches/: keep it with 'make export' (then commit patches/), or discard it with 'rm -rf build/linux'"
	fi
	if [ -z "$stale" ] && [ "$("$TOP/harness/export.sh" fingerprint-tree)" = \
	     "$("$TOP/harness/export.sh" fingerprint-series)" ]; then
		info "tree: build/linux is up to date with the series ($(series | wc -l) patches)"
		exit 0
	fi
fi
if [ -d "$TREE/.git" ] && [ -z "$stale" ]; then
	tgit am --abort >/dev/null 2>&1 || true
	tgit checkout -q -B kpkeys "$BASE_TAG"
	tgit reset -q --hard "$BASE_TAG"
else
	mkdir -p "$BUILD"
	rm -rf "$TREE"
	git clone -q --shared --no-checkout "$base" "$TREE"
	tgit checkout -q -b kpkeys "$BASE_TAG"
	tgit config user.name "$AUTHOR_NAME"
	tgit config user.email "$AUTHOR_EMAIL"
fi

n=0
while read -r p; do
	[ -f "$PATCHES/$p" ] || die "series names $p, but patches/$p does not exist"
	if ! err=$(tgit am -q --3way "$PATCHES/$p" 2>&1); then
		tgit am --abort >/dev/null 2>&1 || true
		where=$(sed -n 's/^error: patch failed: \(.*\)$/\1/p; s/^CONFLICT ([^)]*): .* in \(.*\)$/\1/p' <<<"$err" | head -n1)
		die "patch $p does not apply${where:+ at $where}"
	fi
	n=$((n + 1))
done < <(series)
info "tree: build/linux = $(tgit describe --tags --always "$BASE_TAG") + $n patches"
