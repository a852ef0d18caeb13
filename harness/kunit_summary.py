#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Summarise a KUnit run from a serial log with the tree's own KTAP parser.

Usage: kunit_summary.py LINUX_TREE LOG

Prints kunit.py's condensed results, then one line per suite, one
'failed: SUITE.CASE: ... FAILED at FILE:LINE' line per failed case (or
'failed: the run: WHY' when it broke down), and a final line
'kunit: N passed, N failed, N skipped'. Exits 1 on any failed or
crashed case, on a parse error, and when no test ran at all.
"""
import re
import sys

tree, log = sys.argv[1], sys.argv[2]
sys.path.insert(0, tree + '/tools/testing/kunit')
import kunit_parser  # noqa: E402

with open(log, errors='replace') as f:
    test = kunit_parser.parse_run_tests(f.readlines())


def leaves(t):
    if not t.subtests:
        yield t
    for s in t.subtests:
        yield from leaves(s)


S = kunit_parser.TestStatus
totals = {'passed': 0, 'failed': 0, 'skipped': 0}
failed = []
for suite in test.subtests:
    c = {'passed': 0, 'failed': 0, 'skipped': 0}
    for case in leaves(suite):
        if case.status == S.SUCCESS:
            c['passed'] += 1
        elif case.status == S.SKIPPED:
            c['skipped'] += 1
        else:
            c['failed'] += 1
            # The first 'EXPECTATION/ASSERTION FAILED at file:line'.
            why = [m.group(0) for m in
                   (re.search(r'\w+ FAILED at \S+', ln) for ln in case.log) if m]
            failed.append(f"failed: {suite.name}.{case.name or '(missing case)'}"
                          f"{': ' + why[0] if why else ''}")
    for k in c:
        totals[k] += c[k]
    print(f"suite {suite.name}: {c['passed']} passed, {c['failed']} failed, "
          f"{c['skipped']} skipped")

for line in failed:
    print(line)

# A run that broke down (parse errors, crash, nothing ran) counts as one
# more failure, so that it can never be summed up as a pass.
broke = []
if test.counts.errors:
    broke.append(f'{test.counts.errors} KTAP parse errors')
if not totals['passed'] + totals['failed'] + totals['skipped']:
    broke.append('no test case ran')
elif test.status not in (S.SUCCESS, S.SKIPPED) and not totals['failed']:
    broke.append(test.status.name.lower())
for why in broke:
    print(f'failed: the run: {why}')
broken = int(bool(broke) and not totals['failed'])
print(f"kunit: {totals['passed']} passed, {totals['failed'] + broken} failed, "
      f"{totals['skipped']} skipped")
sys.exit(1 if totals['failed'] + broken else 0)
