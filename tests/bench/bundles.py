"""Busybox bundles for the benchmark: one shared read-only rootfs, one config per scenario.

Every config starts from the `spec` of a real runtime (runc's when present, as runc users
would), edited: no terminal, no linux.resources, root.path pointing at the shared rootfs.
"""

import copy
import json
import os
import shutil
import subprocess

MOUNT_COUNT = 100
SYSCTL_COUNT = 100
MOUNT_DIR = "bench"  # the 100 tmpfs mountpoints live in /bench/mNNN inside the rootfs


def make_rootfs(path):
    os.makedirs(os.path.join(path, "bin"))
    shutil.copy2("/bin/busybox", os.path.join(path, "bin", "busybox"))
    subprocess.run(["chroot", path, "/bin/busybox", "--install", "-s", "/bin"], check=True)
    for d in ("proc", "sys", "dev", "etc", "tmp"):
        os.makedirs(os.path.join(path, d), exist_ok=True)
    # Mountpoints exist up front: no runtime pays for mkdir, concurrent starts do not race.
    for i in range(MOUNT_COUNT):
        os.makedirs(os.path.join(path, MOUNT_DIR, f"m{i:03d}"))


def base_spec(runtimes, workdir):
    """config.json as `runc spec` writes it (or the first runtime that has `spec`)."""
    order = sorted(runtimes, key=lambda rt: {"runc": 0, "crun": 1}.get(rt.name, 2))
    for rt in order:
        d = os.path.join(workdir, f"spec-{rt.name}")
        os.makedirs(d)
        r = subprocess.run([rt.path, "spec"], cwd=d, capture_output=True)
        path = os.path.join(d, "config.json")
        if r.returncode == 0 and os.path.exists(path):
            with open(path) as f:
                return rt.name, json.load(f)
    raise SystemExit("no runtime could write a default spec")


def edit_default(spec, rootfs, args):
    c = copy.deepcopy(spec)
    c["process"]["terminal"] = False
    c["process"]["args"] = list(args)
    c["root"]["path"] = rootfs
    c.get("linux", {}).pop("resources", None)
    return c


def without_netns(spec):
    c = copy.deepcopy(spec)
    c["linux"]["namespaces"] = [n for n in c["linux"]["namespaces"] if n["type"] != "network"]
    return c


def with_tmpfs_mounts(spec, count=MOUNT_COUNT):
    c = copy.deepcopy(spec)
    for i in range(count):
        c["mounts"].append(
            {
                "destination": f"/{MOUNT_DIR}/m{i:03d}",
                "type": "tmpfs",
                "source": "tmpfs",
                "options": ["nosuid", "nodev", "mode=755", "size=64k"],
            }
        )
    return c


def with_sysctls(spec, sysctls):
    c = copy.deepcopy(spec)
    c["linux"].setdefault("sysctl", {}).update(sysctls)
    return c


# Runs in a fresh network namespace: keeps the per-netns keys that accept their own value back.
_PROBE = r"""
import json, os, stat
out = {}
for fam in ("ipv4", "ipv6"):
    for dev in ("all", "default", "lo"):
        base = f"/proc/sys/net/{fam}/conf/{dev}"
        for name in sorted(os.listdir(base)):
            p = os.path.join(base, name)
            if not os.stat(p).st_mode & stat.S_IWUSR:
                continue
            try:
                value = open(p).read().strip()
                if not value or any(ch.isspace() for ch in value):
                    continue
                with open(p, "w") as f:
                    f.write(value)
            except OSError:
                continue
            out[f"net.{fam}.conf.{dev}.{name}"] = value
print(json.dumps(out))
"""


def netns_sysctls(count=SYSCTL_COUNT):
    """count distinct sysctl keys valid in a new netns, each set to its default value."""
    r = subprocess.run(
        ["unshare", "-n", "python3", "-c", _PROBE], check=True, capture_output=True, text=True
    )
    found = json.loads(r.stdout)
    keys = sorted(found, key=lambda k: (not k.startswith("net.ipv4."), k))[:count]
    if len(keys) < count:
        raise SystemExit(f"only {len(keys)} writable per-netns sysctls found, need {count}")
    return {k: found[k] for k in keys}


def write_bundle(workdir, name, config):
    d = os.path.join(workdir, "bundles", name)
    os.makedirs(d)
    with open(os.path.join(d, "config.json"), "w") as f:
        json.dump(config, f, indent=1)
    return d


def make_bundles(workdir, runtimes):
    """Returns (spec source, {bundle name: bundle dir})."""
    rootfs = os.path.join(workdir, "rootfs")
    make_rootfs(rootfs)
    source, spec = base_spec(runtimes, workdir)
    true = edit_default(spec, rootfs, ["/bin/true"])
    sysctls = netns_sysctls()
    configs = {
        "true": true,
        "true-nonet": without_netns(true),
        "sleep": edit_default(spec, rootfs, ["/bin/sleep", "100000"]),
        "mounts": with_tmpfs_mounts(true),
        "sysctls": with_sysctls(true, sysctls),
        "mounts-sysctls": with_sysctls(with_tmpfs_mounts(true), sysctls),
    }
    return source, {name: write_bundle(workdir, name, c) for name, c in configs.items()}
