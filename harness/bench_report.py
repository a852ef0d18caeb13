#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""bench_report.py WORK RESULTS SETUP: turn make bench's guest output into
RESULTS/bench.md, RESULTS/bench.csv and RESULTS/bench-GROUP.png.

WORK holds one file per mode and boot, MODE.BOOT, with opcount's lines:
'opcount NAME: N (min A, max B) writes W'. Instructions are per
operation; W is kpkeys register writes per operation, or n/a.
"""
import csv
import os
import re
import subprocess
import sys

MODES = ["base", "nokpkeys", "on", "nobatch"]
SERIES = MODES[1:]
CYCLES = [30, 60, 120]
LINE = re.compile(r"^opcount (\S+): (\d+) \(min (\d+), max (\d+)\) writes (\S+)$")


def group(op):
    return "vmalloc" if op.startswith("vmalloc-") else "mm"


def load(work):
    """{(mode, op): [(boot, median, min, max, writes)]}, op order."""
    runs, order = {}, []
    for name in sorted(os.listdir(work)):
        mode, boot = name.rsplit(".", 1)
        with open(os.path.join(work, name)) as f:
            for line in f:
                m = LINE.match(line.strip())
                if not m:
                    continue
                op = m.group(1)
                if op not in order:
                    order.append(op)
                w = None if m.group(5) == "n/a" else float(m.group(5))
                runs.setdefault((mode, op), []).append(
                    (int(boot), int(m.group(2)), int(m.group(3)), int(m.group(4)), w))
    return runs, order


def summary(rows):
    """Mean of the boots' medians, pass spread, boot spread, writes."""
    meds = [r[1] for r in rows]
    mean = sum(meds) / len(meds)
    passes = max((r[3] - r[2]) / r[1] for r in rows)
    boots = (max(meds) - min(meds)) / mean
    ws = [r[4] for r in rows if r[4] is not None]
    return mean, max(passes, boots), passes, boots, (sum(ws) / len(ws) if ws else None)


def pct(x):
    return f"{(x - 1) * 100:+.2f}%"


def main():
    work, out, setup = sys.argv[1:4]
    runs, order = load(work)
    missing = [f"{m}/{op}" for m in MODES for op in order if (m, op) not in runs]
    boots = {len(v) for v in runs.values()}
    if missing or len(boots) != 1:
        sys.exit(f"bench_report: incomplete results: {', '.join(missing) or 'boot counts differ'}")

    with open(os.path.join(out, "bench.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["group", "operation", "mode", "boot", "instructions_median",
                    "instructions_min", "instructions_max", "reg_writes_per_op"])
        for op in order:
            for mode in MODES:
                for b, med, lo, hi, wr in runs[(mode, op)]:
                    w.writerow([group(op), op, mode, b, med, lo, hi,
                                "" if wr is None else f"{wr:.3f}"])

    s = {(m, op): summary(runs[(m, op)]) for m in MODES for op in order}
    md = ["# make bench: instructions and kpkeys register writes per operation", "",
          f"Guest instructions under QEMU TCG `-icount shift=0` ({setup}), 1 vCPU,",
          "`nokaslr norandmaps`; not time. *base*: the base tree without the series, same",
          "config fragments (the series' own options dropped); *nokpkeys*: the series",
          "compiled in and booted `nokpkeys` (what a kernel pays on CPUs without the",
          "feature); *on*: hardening on; *nobatch*: `kpkeys_pgtables=nobatch`. Each",
          "figure is the mean over boots of the median over passes. *spread*: the",
          "larger of the pass range and the boot range, relative; a ratio marked `~`",
          "differs from 1 by less than the spread of its own figure or of base's, and",
          "is noise. Writes: kpkeys register writes per operation, from the kernel's",
          "counter (a register write is not an instruction that icount can price).",
          "",
          "*Modelled cycles* adds to the instruction delta a cost per register write of",
          "30, 60 and 120 cycles, one instruction taken as one cycle: section 7 of the",
          "design brief measured WRPKRU, PKRS's user-space twin, at ~38 cycles on a",
          "Xeon (a write window, WRPKRU + store + WRPKRU, ~81), and the SDM documents",
          "the WRMSR to IA32_PKRS as not serializing; no PKS hardware was measured. A",
          "model, not a measurement; TLB and cache effects are not in it.", ""]
    for g in ["mm", "vmalloc"]:
        ops = [op for op in order if group(op) == g]
        if not ops:
            continue
        md += [f"## {'mm operations (vm/opcount)' if g == 'mm' else 'lib/test_vmalloc.c (vm/vmallocbench), per loop'}", "",
               "| operation | base | spread | nokpkeys/base | on/base | nobatch/base | writes on | writes nobatch | on, modelled 30/60/120 cycles | nobatch, modelled 30/60/120 |",
               "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        dat = []
        for op in ops:
            b = s[("base", op)]
            row = [f"`{op}`", f"{b[0]:,.0f}", f"{b[1] * 100:.2f}%"]
            ratios = []
            for m in SERIES:
                r = s[(m, op)][0] / b[0]
                noise = max(s[(m, op)][1], b[1]) >= abs(r - 1)
                row.append(("~" if noise else "") + pct(r))
                ratios.append((r - 1) * 100)
            for m in ["on", "nobatch"]:
                wr = s[(m, op)][4]
                row.append("n/a" if wr is None else f"{wr:.3f}")
            for m in ["on", "nobatch"]:
                ins, wr = s[(m, op)][0], s[(m, op)][4] or 0
                row.append(" / ".join(pct((ins + wr * c) / b[0]) for c in CYCLES))
            md.append("| " + " | ".join(row) + " |")
            dat.append((op, ratios))
        md += ["", f"![{g}](bench-{g}.png)", ""]
        md += ["Spread per mode (pass range, boot range): " + "; ".join(
            f"`{op}` " + ", ".join(f"{m} {s[(m, op)][2] * 100:.2f}/{s[(m, op)][3] * 100:.2f}%"
                                   for m in MODES) for op in ops) + ".", ""]
        chart(out, g, dat)
    md.append("Raw figures, per boot: `results/bench.csv`. Reproduce with `make bench`.")
    with open(os.path.join(out, "bench.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    print("\n".join(md))


def chart(out, g, dat):
    data = os.path.join(out, f".bench-{g}.dat")
    with open(data, "w") as f:
        f.write("# op nokpkeys on nobatch\n")
        for op, r in dat:
            f.write(f"{op} " + " ".join(f"{x:.3f}" for x in r) + "\n")
    script = f"""
set terminal pngcairo size 1000,480 font ',10'
set output '{os.path.join(out, f'bench-{g}.png')}'
set title 'instructions vs the base tree ({g}), QEMU -icount; not time'
set ylabel 'overhead, %'
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set key top left
set grid ytics
set xtics rotate by -30
plot '{data}' using 2:xtic(1) title 'nokpkeys', '' using 3 title 'on', '' using 4 title 'nobatch'
"""
    subprocess.run(["gnuplot"], input=script, text=True, check=True)
    os.unlink(data)


if __name__ == "__main__":
    main()
