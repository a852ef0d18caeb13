#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# export.sh export       regenerate patches/ and series from build/linux
# export.sh check        list work in build/linux that is not in patches/
# export.sh fingerprint-{tree,series}
#                        one hash of the ordered patch contents
#
# Patches are written without dates, commit hashes or version footers,
# so exporting an unchanged tree is a no-op for git status.

. "$(dirname "$0")/lib.sh"

# Write the commits on top of the base as patches into $1.
format() {
	tgit -c core.abbrev=12 format-patch -q -N --zero-commit --no-signature \
		-o "$1" "$BASE_TAG..HEAD" >/dev/null
	sed -i '/^Date: /d' "$1"/*.patch 2>/dev/null || true
}

# Content hash of a patch file, its name aside.
phash() {
	sha1sum <"$1" | cut -d' ' -f1
}

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

case ${1:-} in
export)
	[ -d "$TREE/.git" ] || die "no build/linux to export from: run 'make tree' first"
	dirty=$(tgit status --porcelain)
	[ -z "$dirty" ] || die "build/linux has uncommitted changes; commit them there first ($(wc -l <<<"$dirty") paths)"
	format "$tmp"
	mkdir -p "$PATCHES"
	rm -f "$PATCHES"/*.patch
	: >"$PATCHES/series"
	for f in "$tmp"/*.patch; do
		[ -e "$f" ] || continue
		cp "$f" "$PATCHES/"
		basename "$f" >>"$PATCHES/series"
	done
	info "export: $(series | wc -l) patches in patches/"
	;;
check)
	[ -d "$TREE/.git" ] || exit 0
	bad=0
	while IFS= read -r l; do
		echo "build/linux: uncommitted change: ${l:3}"
		bad=1
	done < <(tgit status --porcelain)
	declare -A known=()
	while read -r p; do
		[ -f "$PATCHES/$p" ] && known[$(phash "$PATCHES/$p")]=1
	done < <(series)
	format "$tmp"
	for f in "$tmp"/*.patch; do
		[ -e "$f" ] || continue
		[ -n "${known[$(phash "$f")]:-}" ] && continue
		echo "build/linux: commit not exported: $(sed -n 's/^Subject: \[PATCH\] //p' "$f" | head -n1)"
		bad=1
	done
	exit $bad
	;;
fingerprint-tree)
	format "$tmp"
	cat "$tmp"/*.patch 2>/dev/null | sha1sum | cut -d' ' -f1
	;;
fingerprint-series)
	(cd "$PATCHES" && series | xargs -r cat) | sha1sum | cut -d' ' -f1
	;;
*)
	die "usage: export.sh export|check|fingerprint-tree|fingerprint-series"
	;;
esac
