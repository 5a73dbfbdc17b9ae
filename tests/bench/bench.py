#!/usr/bin/env python3
"""Start-up benchmark of minirun against runc and crun (issue 6). Run as root:

    python3 tests/bench/bench.py [--runs 30] [--warmup 3] [--out bench-out]

Re-executes itself under `unshare -m --propagation private`, mounts a pure cgroup2 on
/sys/fs/cgroup there (crun refuses a hybrid host) and a tmpfs for all bundles and state
roots, so every runtime sees the same world and nothing outlives the namespace.
"""

import argparse
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time

import bundles
import harness
import report
import scenarios

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
IN_NS = "MINIRUN_BENCH_IN_NS"


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--runs", type=int, default=30, help="measured runs per runtime and scenario")
    p.add_argument("--warmup", type=int, default=3, help="unrecorded runs before measuring")
    p.add_argument("--runtimes", default="minirun,crun,runc", help="comma list in table order; NAME=PATH adds a build (e.g. minirun-old=/tmp/minirun)")
    p.add_argument("--scenarios", default="", help="comma list of scenario names (default all)")
    p.add_argument("--out", default="bench-out", help="directory for CSV, PNG, table")
    return p.parse_args()


def reexec_in_private_namespace():
    env = dict(os.environ, **{IN_NS: "1"})
    argv = ["unshare", "-m", "--propagation", "private", sys.executable, os.path.abspath(__file__),
            *sys.argv[1:]]
    os.execvpe("unshare", argv, env)


def sh(*argv):
    subprocess.run(argv, check=True)


def first_line(argv):
    try:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=10)
        return (r.stdout.strip().splitlines() or [""])[0]
    except (OSError, subprocess.TimeoutExpired):
        return ""


def find_runtimes(specs, workdir):
    """specs: names (minirun, crun, runc) or NAME=PATH, e.g. minirun-before=/tmp/old/minirun."""
    where = {
        "minirun": os.environ.get("MINIRUN") or os.path.join(REPO, "build", "minirun"),
        "runc": shutil.which("runc"),
        "crun": shutil.which("crun"),
    }
    found = []
    for spec in specs:
        name, _, path = spec.partition("=")
        path = path or where.get(name) or shutil.which(name)
        if not path or not os.access(path, os.X_OK):
            print(f"skipping {name}: not found", file=sys.stderr)
            continue
        base = os.path.join(workdir, name)
        rt = harness.Runtime(name, os.path.abspath(path), os.path.join(base, "root"),
                             first_line([path, "--version"]), os.path.join(base, "scratch"),
                             tag=f"r{len(found)}")
        os.makedirs(rt.root)
        os.makedirs(rt.scratch)
        found.append(rt)
    return found


def cgroup_dirs():
    out = set()
    for dirpath, _, _ in os.walk("/sys/fs/cgroup"):
        out.add(dirpath)
    return out


def remove_new_cgroups(before):
    left = sorted(cgroup_dirs() - before, key=len, reverse=True)
    for d in left:
        try:
            os.rmdir(d)
        except OSError:
            pass
    return left


def workdir_of_probe():
    return os.path.dirname(harness.PROBE["path"])


def harness_floor(runs):
    """fork + exec + wait4 of the host's /bin/true by the probe: the floor under every figure."""
    walls = []
    err = os.path.join(workdir_of_probe(), "floor-err")
    for _ in range(runs):
        walls.append(harness.invoke(["/bin/true"], err).wall_ns / 1e6)
    walls.sort()
    return walls[len(walls) // 2]


def measure_all(selected, runtimes, runs, warmup):
    samples, failures = [], {}
    for sc in selected:
        print(f"[{time.strftime('%H:%M:%S')}] {sc.name}", file=sys.stderr, flush=True)
        active = []
        try:
            for rt in runtimes:
                try:
                    sc.setup(rt)
                    active.append(rt)
                except harness.Failure as e:
                    failures[(sc.name, rt.name)] = f"setup: {e}"
            # A new order each round, seeded: each runtime follows each of the others about
            # equally often. A rotated order (A B C, B C A, ...) keeps every runtime's
            # predecessor, and runc's teardown (its network namespace's cleanup runs in a
            # kernel worker afterwards) fell on whoever came after it in most rounds.
            rng = random.Random(f"{sc.name}-{len(active)}")
            for i in range(-warmup, runs):
                order = active[:]
                rng.shuffle(order)
                for rt in order:
                    if (sc.name, rt.name) in failures:
                        continue
                    try:
                        wall, rss = sc.measure(rt)
                    except harness.Failure as e:
                        failures[(sc.name, rt.name)] = str(e)
                        continue
                    if i >= 0:
                        samples.append(report.Sample(sc.name, rt.name, i, wall, rss))
        finally:
            for rt in runtimes:
                try:
                    sc.teardown(rt)
                except (harness.Failure, KeyError, OSError):
                    pass
            harness.reap_orphans()
    return samples, failures


def delete_everything(runtimes):
    for rt in runtimes:
        r = subprocess.run(rt.argv("list", "-q"), capture_output=True, text=True)
        for cid in r.stdout.split():
            harness.quiet(rt, "delete", "--force", cid)
    harness.reap_orphans()


def load_average():
    with open("/proc/loadavg") as f:
        return float(f.read().split()[0])


def machine_facts(runtimes, spec_source, floor_ms, loads):
    cpu = ""
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    facts = [
        f"cpus: {os.cpu_count()} ({cpu})",
        f"kernel: {platform.release()}",
        *[f"{rt.name}: {rt.version} ({rt.path})" for rt in runtimes],
        f"config: `{spec_source} spec` edited (terminal false, no linux.resources)",
        f"harness floor (probe: fork + exec + wait4 of /bin/true): {floor_ms:.2f} ms median",
        f"1-min load average before / after (after includes the benchmark itself): "
        f"{loads[0]:.2f} / {loads[1]:.2f}",
    ]
    if loads[0] > 0.5 * (os.cpu_count() or 1):
        facts.append("WARNING: the machine was busy; figures are inflated and noisy")
    return facts


def main():
    args = parse_args()
    if os.geteuid() != 0:
        sys.exit("bench.py needs root (namespaces, cgroup2 mount)")
    if os.environ.get(IN_NS) != "1":
        reexec_in_private_namespace()
    out_dir = os.path.abspath(args.out)
    os.makedirs(out_dir, exist_ok=True)

    sh("mount", "-t", "cgroup2", "cgroup2", "/sys/fs/cgroup")
    workdir = tempfile.mkdtemp(prefix="minirun-bench-")
    sh("mount", "-t", "tmpfs", "-o", "mode=755", "tmpfs", workdir)
    harness.become_subreaper()
    harness.build_probe(workdir)
    cgroups_before = cgroup_dirs()
    load_before = load_average()
    runtimes = []
    try:
        runtimes = find_runtimes(args.runtimes.split(","), workdir)
        if not runtimes:
            sys.exit("no runtime found")
        spec_source, bundle_dirs = bundles.make_bundles(workdir, runtimes)
        wanted = set(filter(None, args.scenarios.split(",")))
        known = scenarios.all_scenarios(bundle_dirs)
        unknown = wanted - {s.name for s in known}
        if unknown:
            sys.exit(f"unknown scenarios {sorted(unknown)}; known: {[s.name for s in known]}")
        selected = [s for s in known if not wanted or s.name in wanted]
        floor = harness_floor(max(args.runs, 30))
        samples, failures = measure_all(selected, runtimes, args.runs, args.warmup)
    finally:
        delete_everything(runtimes)
        left = remove_new_cgroups(cgroups_before)
        if left:
            print(f"removed {len(left)} cgroups left behind: {left[:5]}", file=sys.stderr)
        subprocess.run(["umount", "-l", workdir])
        os.rmdir(workdir)

    facts = machine_facts(runtimes, spec_source, floor, (load_before, load_average()))
    table = report.summaries(samples, selected, runtimes, failures)
    report.write_csv(os.path.join(out_dir, "bench.csv"), samples)
    png = report.write_plot(out_dir, samples, selected, runtimes, table,
                            f"wall time per invocation, {args.runs} runs each")
    md = report.markdown_table(table, selected, runtimes)
    with open(os.path.join(out_dir, "table.md"), "w") as f:
        f.write("\n".join(f"- {x}" for x in facts) + "\n\n" + md + "\n")

    print("\n".join(facts))
    print()
    print(report.text_table(table, selected, runtimes))
    for (sc, rt), why in sorted(failures.items()):
        print(f"n/a {sc} {rt}: {why}")
    print(f"\nwritten: {out_dir}/bench.csv, table.md" + (", bench.png" if png else ""))


if __name__ == "__main__":
    main()
