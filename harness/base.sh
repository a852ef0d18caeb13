#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Extract Debian's linux-source-6.12 once into a cache outside the work
# tree, as a git repository whose single commit is tagged $BASE_TAG.
# Prints the repository's path on stdout.

. "$(dirname "$0")/lib.sh"

want=$(sed -n '1{s/[[:space:]]//g;p}' "$TOP/BASE_VERSION" 2>/dev/null || true)
[ -n "$want" ] || die "BASE_VERSION is missing or empty"
case $want in
6.12.*) ;;
*) die "BASE_VERSION '$want' is not a linux-source-6.12 version" ;;
esac

pkg=linux-source-6.12
served=$(apt-cache madison "$pkg" 2>/dev/null | awk '{print $3}' | sort -uV)
[ -n "$served" ] || apt-get update -qq >/dev/null 2>&1 || true
served=$(apt-cache madison "$pkg" 2>/dev/null | awk '{print $3}' | sort -uV)
ver=$want
if ! grep -qxF -- "$want" <<<"$served"; then
	ver=$(tail -n1 <<<"$served")
	[ -n "$ver" ] || die "base version $want is not served and no $pkg is available from apt"
	warn "base version $want is no longer served; using the newest served, $ver"
fi

# The suffix names the layout of the cache; bump it when that changes.
repo=$CACHE/linux-${ver//\~/_}-2
if [ -f "$repo/.git/kpkeys-base-done" ]; then
	echo "$repo"
	exit 0
fi

info "base: extracting $pkg $ver into $repo (once)" >&2
rm -rf "$repo" "$repo.tmp"
mkdir -p "$repo.tmp"
(cd "$repo.tmp" && apt-get download -q "$pkg=$ver" >/dev/null 2>&1) ||
	die "could not download $pkg=$ver from apt"
deb=$(ls "$repo.tmp"/*.deb)
mkdir -p "$repo"
dpkg-deb --fsys-tarfile "$deb" | tar -xO "./usr/src/$pkg.tar.xz" |
	tar -xJ -C "$repo" --strip-components=1
rm -rf "$repo.tmp"
# Debian's .gitignore ignores every top-level path (its packaging keeps
# the source out of git). Drop that rule, or new files in build/linux
# would be invisible to git status, export and export-check.
sed -i '/^# Debian packaging: ignore everything at the top level/,/^!\/debian\/$/d' \
	"$repo/.gitignore"

# A fixed identity and date make the base commit hash reproducible.
export GIT_AUTHOR_NAME="$AUTHOR_NAME" GIT_AUTHOR_EMAIL="$AUTHOR_EMAIL"
export GIT_COMMITTER_NAME="$AUTHOR_NAME" GIT_COMMITTER_EMAIL="$AUTHOR_EMAIL"
export GIT_AUTHOR_DATE="2000-01-01T00:00:00Z" GIT_COMMITTER_DATE="2000-01-01T00:00:00Z"
git -C "$repo" init -q
git -C "$repo" add -A -f
git -C "$repo" commit -q -m "Debian $pkg $ver" \
	-m "Debian's top-level ignore-everything rule is dropped from .gitignore."
git -C "$repo" tag "$BASE_TAG"
touch "$repo/.git/kpkeys-base-done"
echo "$repo"
