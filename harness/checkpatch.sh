#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# checkpatch.pl --strict on every patch of the series. A failing patch
# gets its findings and a 'failed: PATCH: ...' line; the last line is
# 'checkpatch: N passed, N failed'.

. "$(dirname "$0")/lib.sh"

# checkpatch's helpers (spdxcheck.py) need Debian's python3-ply and
# python3-git, not whatever python3 comes first in PATH.
export PATH=/usr/bin:$PATH

[ -d "$TREE/.git" ] || "$TOP/harness/tree.sh" >/dev/null
pass=0
fail=0
while read -r p; do
	out=$(cd "$TREE" && scripts/checkpatch.pl --strict --terse --show-types \
			"$PATCHES/$p" 2>&1) && rc=0 || rc=$?
	# Findings left once the known false positives are taken out.
	left=$(grep -E '(ERROR|WARNING|CHECK):' <<<"$out" |
	       grep -vFf <(grep -v '^#' "$TOP/harness/checkpatch-allow") || true)
	if [ $rc = 0 ] || { [ -z "$left" ] && grep -q ' 0 errors, 0 warnings' <<<"$out"; }; then
		[ $rc = 0 ] || echo "checkpatch: $p: only allowed findings (harness/checkpatch-allow)"
		pass=$((pass + 1))
	else
		printf '%s\n' "$out" | sed "s|^|  |" | grep -v 'total:' >&2 || true
		echo "failed: $p: $(tail -n1 <<<"$out")"
		fail=$((fail + 1))
	fi
done < <(series)
echo "checkpatch: $pass passed, $fail failed"
[ $fail = 0 ]
