"""Figures out of the samples: summary table (text and markdown), CSV, gnuplot PNG."""

import csv
import math
import os
import random
import shutil
import statistics
import subprocess
from dataclasses import dataclass


@dataclass
class Sample:
    scenario: str
    runtime: str
    iteration: int
    wall_ns: int
    maxrss_kib: int


@dataclass
class Summary:
    n: int
    median_ms: float
    p90_ms: float
    min_ms: float
    rss_mib: float  # median over samples of each sample's peak RSS
    by_iteration: dict  # round -> wall ms, to pair runtimes that ran in the same round


def p90(sorted_values):
    return sorted_values[max(0, math.ceil(0.9 * len(sorted_values)) - 1)]  # nearest rank


def summarize(samples):
    walls = sorted(s.wall_ns / 1e6 for s in samples)
    rss = statistics.median(s.maxrss_kib for s in samples) / 1024
    by_iteration = {s.iteration: s.wall_ns / 1e6 for s in samples}
    return Summary(len(walls), statistics.median(walls), p90(walls), walls[0], rss, by_iteration)


def summaries(samples, scenarios, runtimes, failures):
    """{(scenario, runtime): Summary or None (n/a)}"""
    out = {}
    for sc in scenarios:
        for rt in runtimes:
            mine = [s for s in samples if s.scenario == sc.name and s.runtime == rt.name]
            ok = mine and (sc.name, rt.name) not in failures
            out[(sc.name, rt.name)] = summarize(mine) if ok else None
    return out


def ratio(table, scenario, runtime, reference):
    a, b = table.get((scenario, runtime)), table.get((scenario, reference))
    if a is None or b is None:
        return "n/a"
    return f"{a.median_ms / b.median_ms:.2f}x"


def ratio_interval(table, scenario, runtime, reference, resamples=1000):
    """95% bootstrap interval of the ratio of medians, resampling whole rounds.

    The runtimes alternate within a round, so resampling rounds keeps each pair of samples
    under the same machine load; this VM's load moves medians by several percent between
    runs, and the interval says how far a ratio can be trusted. Seeded: the same samples
    give the same interval.
    """
    a, b = table.get((scenario, runtime)), table.get((scenario, reference))
    if a is None or b is None:
        return "n/a"
    if runtime == reference:
        return "-"
    rounds = sorted(set(a.by_iteration) & set(b.by_iteration))
    if len(rounds) < 10:
        return "n/a"
    rng = random.Random(1)
    ratios = []
    for _ in range(resamples):
        pick = [rng.choice(rounds) for _ in rounds]
        ratios.append(statistics.median(a.by_iteration[i] for i in pick) /
                      statistics.median(b.by_iteration[i] for i in pick))
    ratios.sort()
    return f"{ratios[int(0.025 * resamples)]:.2f}-{ratios[int(0.975 * resamples) - 1]:.2f}"


HEADER = ["scenario", "runtime", "median ms", "p90 ms", "min ms", "vs crun", "crun 95% CI",
          "vs runc", "peak RSS MiB"]


def rows(table, scenarios, runtimes):
    for sc in scenarios:
        for rt in runtimes:
            s = table[(sc.name, rt.name)]
            if s is None:
                yield [sc.name, rt.name] + ["n/a"] * (len(HEADER) - 2)
                continue
            yield [sc.name, rt.name, f"{s.median_ms:.2f}", f"{s.p90_ms:.2f}", f"{s.min_ms:.2f}",
                   ratio(table, sc.name, rt.name, "crun"),
                   ratio_interval(table, sc.name, rt.name, "crun"),
                   ratio(table, sc.name, rt.name, "runc"), f"{s.rss_mib:.1f}"]


def text_table(table, scenarios, runtimes):
    all_rows = [HEADER, *rows(table, scenarios, runtimes)]
    widths = [max(len(r[i]) for r in all_rows) for i in range(len(HEADER))]
    lines = []
    for k, r in enumerate(all_rows):
        cells = [c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))]
        lines.append("  ".join(cells))
        if k == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def markdown_table(table, scenarios, runtimes):
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * 2 + "---:|" * (len(HEADER) - 2)]
    for r in rows(table, scenarios, runtimes):
        lines.append("| " + " | ".join(r) + " |")
    return "\n".join(lines)


def write_csv(path, samples):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["scenario", "runtime", "iteration", "wall_ms", "peak_rss_kib"])
        for s in samples:
            w.writerow([s.scenario, s.runtime, s.iteration, f"{s.wall_ns / 1e6:.3f}",
                        s.maxrss_kib])


COLORS = {"minirun": "#1b9e77", "crun": "#7570b3", "runc": "#d95f02"}
SPARE_COLORS = ["#e7298a", "#66a61e", "#e6ab02", "#a6761d", "#666666"]


def write_plot(out_dir, samples, scenarios, runtimes, table, title):
    """One box plot panel per scenario (own y scale), one box per runtime."""
    if not shutil.which("gnuplot"):
        return None
    data_dir = os.path.join(out_dir, "plotdata")
    os.makedirs(data_dir, exist_ok=True)
    cols = 3
    rows_n = math.ceil(len(scenarios) / cols)
    xtics = ", ".join(f'"{rt.name}" {i + 1}' for i, rt in enumerate(runtimes))
    script = [
        f"set terminal pngcairo size {cols * 460},{rows_n * 330} font ',9'",
        f"set output '{os.path.join(out_dir, 'bench.png')}'",
        f"set multiplot layout {rows_n},{cols} title '{title}'",
        "set style fill solid 0.3 border -1",
        "set style data boxplot",
        "set style boxplot outliers pointtype 7",
        "set boxwidth 0.5",
        "set pointsize 0.4",
        "unset key",
        f"set xtics ({xtics})",
        f"set xrange [0.4:{len(runtimes) + 0.6}]",
        "set yrange [0:*]",
        "set ylabel 'wall ms'",
        "set grid ytics",
    ]
    for sc in scenarios:
        parts = []
        for i, rt in enumerate(runtimes):
            if table[(sc.name, rt.name)] is None:
                continue
            path = os.path.join(data_dir, f"{sc.name}__{rt.name}.dat")
            with open(path, "w") as f:
                for s in samples:
                    if s.scenario == sc.name and s.runtime == rt.name:
                        f.write(f"{s.wall_ns / 1e6:.3f}\n")
            color = COLORS.get(rt.name) or SPARE_COLORS[i % len(SPARE_COLORS)]
            parts.append(f"'{path}' using ({i + 1}):1 lc rgb '{color}'")
        script.append(f"set title '{sc.title}'")
        script.append("plot " + ", ".join(parts) if parts else "plot 0 with lines lc rgb 'white'")
    script.append("unset multiplot")
    gp = os.path.join(out_dir, "bench.gp")
    with open(gp, "w") as f:
        f.write("\n".join(script) + "\n")
    subprocess.run(["gnuplot", gp], check=True)
    return os.path.join(out_dir, "bench.png")
