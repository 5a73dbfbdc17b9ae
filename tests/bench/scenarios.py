"""The measured scenarios. Each measure() returns (wall ns, peak RSS KiB) of one sample.

A scenario that spans several runtime invocations reports their summed wall time (with the
harness's waits in between, identical for every runtime) and the largest peak RSS among them.
"""

import os
import shutil
import stat
import subprocess
import time

from harness import Failure, finish, invoke_ok, quiet, reap_orphans, spawn, wait_exit


class Scenario:
    name = ""
    title = ""

    def __init__(self):
        self._n = 0

    def next_id(self, rt):
        self._n += 1
        return f"{rt.name}-{self.name}-{self._n}"

    def setup(self, rt):
        pass

    def measure(self, rt):
        raise NotImplementedError

    def teardown(self, rt):
        pass


def delete_leftover(rt, cid, root=None):
    """runc/crun `run` remove the container on exit; delete it for any runtime that did not."""
    if os.path.exists(os.path.join(root or rt.root, cid)):
        quiet(rt, "delete", "--force", cid, root=root)


def read_pid(path):
    with open(path) as f:
        return int(f.read().strip())


class Run(Scenario):
    """`run` in the foreground until the container's process exits."""

    def __init__(self, name, title, bundle):
        super().__init__()
        self.name, self.title, self.bundle = name, title, bundle

    def measure(self, rt):
        cid = self.next_id(rt)
        inv = invoke_ok(rt, "run", "--bundle", self.bundle, cid)
        delete_leftover(rt, cid)
        return inv.wall_ns, inv.maxrss_kib


class CreateStartDelete(Scenario):
    """create, start, wait for /bin/true to exit, delete: the containerd/podman path."""

    name = "create_start_delete"
    title = "create + start + wait + delete"

    def __init__(self, bundle):
        super().__init__()
        self.bundle = bundle

    def measure(self, rt):
        cid = self.next_id(rt)
        pid_file = os.path.join(rt.scratch, "pid")
        try:
            a = invoke_ok(rt, "create", "--bundle", self.bundle, "--pid-file", pid_file, cid)
            b = invoke_ok(rt, "start", cid)
            t0 = time.monotonic_ns()
            wait_exit(read_pid(pid_file))
            waited = time.monotonic_ns() - t0
            c = invoke_ok(rt, "delete", cid)
        except Failure:
            delete_leftover(rt, cid)
            raise
        wall = a.wall_ns + b.wall_ns + waited + c.wall_ns
        return wall, max(a.maxrss_kib, b.maxrss_kib, c.maxrss_kib)


class Exec(Scenario):
    """`exec ID /bin/true` into one long-running container per runtime."""

    name = "exec"
    title = "exec /bin/true into a running container"

    def __init__(self, bundle):
        super().__init__()
        self.bundle = bundle
        self.running = {}

    def setup(self, rt):
        cid = f"{rt.name}-exec-target"
        pid_file = os.path.join(rt.scratch, "exec-pid")
        try:
            invoke_ok(rt, "run", "--detach", "--bundle", self.bundle, "--pid-file", pid_file, cid)
        except Failure:
            delete_leftover(rt, cid)
            raise
        self.running[rt.name] = (cid, read_pid(pid_file))

    def measure(self, rt):
        cid, _ = self.running[rt.name]
        inv = invoke_ok(rt, "exec", cid, "/bin/true")
        return inv.wall_ns, inv.maxrss_kib

    def teardown(self, rt):
        cid, pid = self.running.pop(rt.name)
        quiet(rt, "kill", cid, "KILL")
        try:
            wait_exit(pid)
        except Failure:
            pass
        quiet(rt, "delete", "--force", cid)


class Parallel(Scenario):
    """count `run --detach` started at once; wall time until the last one returned."""

    name = "parallel50"
    title = "50 x run -d in parallel (total)"

    def __init__(self, bundle, count=50):
        super().__init__()
        self.bundle, self.count = bundle, count

    def _all(self, rt, *args):
        """args with "{}" for the copy index, run count times at once by one probe."""
        err = os.path.join(rt.scratch, "parallel-err")
        invs = finish(spawn(rt.argv(*args), err, copies=self.count), err)
        return max(i.end_ns for i in invs) - min(i.start_ns for i in invs), invs

    def measure(self, rt):
        prefix = self.next_id(rt)
        wall, invs = self._all(rt, "run", "--detach", "--bundle", self.bundle, prefix + "-{}")
        reap_orphans()
        self._all(rt, "delete", "--force", prefix + "-{}")
        reap_orphans()
        bad = [inv for inv in invs if inv.rc != 0]
        if bad:
            first = bad[0].stderr.splitlines()[0] if bad[0].stderr else ""
            raise Failure(f"{len(bad)}/{self.count} run -d failed: {first}"[:160])
        return wall, max(inv.maxrss_kib for inv in invs)


class List(Scenario):
    """`list` over a state root holding 1001 stopped containers.

    One real container is created, started and left stopped; its state directory is then
    copied 1000 times with the ID rewritten inside its files. Every runtime thus lists its
    own genuine on-disk format, without 1000 live processes.
    """

    name = "list1000"
    title = "list with 1001 stopped containers"
    copies = 1000

    def __init__(self, bundle):
        super().__init__()
        self.bundle = bundle

    def _root(self, rt):
        return os.path.join(rt.scratch, "list-root")

    def _id(self, rt, n):
        return f"{rt.tag}l{n:04d}"  # same length for every copy: byte-wise rewrite

    def setup(self, rt):
        root = self._root(rt)
        base = self._id(rt, 0)
        pid_file = os.path.join(rt.scratch, "list-pid")
        invoke_ok(rt, "create", "--bundle", self.bundle, "--pid-file", pid_file, base, root=root)
        invoke_ok(rt, "start", base, root=root)
        wait_exit(read_pid(pid_file))
        reap_orphans()
        for n in range(1, self.copies + 1):
            copy_state_dir(os.path.join(root, base), os.path.join(root, self._id(rt, n)), base,
                           self._id(rt, n))
        out = subprocess.run(rt.argv("list", "-q", root=root), capture_output=True, text=True)
        listed = len([line for line in out.stdout.splitlines() if line.strip()])
        if out.returncode != 0 or listed != self.copies + 1:
            raise Failure(f"list -q showed {listed} of {self.copies + 1} (rc {out.returncode})")

    def measure(self, rt):
        inv = invoke_ok(rt, "list", root=self._root(rt))
        return inv.wall_ns, inv.maxrss_kib

    def teardown(self, rt):
        root = self._root(rt)
        base = self._id(rt, 0)
        for n in range(1, self.copies + 1):
            shutil.rmtree(os.path.join(root, self._id(rt, n)), ignore_errors=True)
        quiet(rt, "delete", "--force", base, root=root)


def copy_state_dir(src, dst, old_id, new_id):
    os.makedirs(dst)
    old, new = old_id.encode(), new_id.encode()
    for entry in os.scandir(src):
        target = os.path.join(dst, entry.name)
        mode = entry.stat(follow_symlinks=False).st_mode
        if stat.S_ISREG(mode):
            with open(entry.path, "rb") as f:
                data = f.read()
            with open(target, "wb") as f:
                f.write(data.replace(old, new))
        elif stat.S_ISDIR(mode):
            copy_state_dir(entry.path, target, old_id, new_id)
        elif stat.S_ISFIFO(mode):
            os.mkfifo(target)
        elif stat.S_ISLNK(mode):
            os.symlink(os.readlink(entry.path), target)
        # sockets are per-live-container; a stopped one needs none


def all_scenarios(bundles):
    b = bundles
    return [
        Run("run_true", "run /bin/true (default spec)", b["true"]),
        Run("run_true_nonet", "run /bin/true, no network namespace", b["true-nonet"]),
        CreateStartDelete(b["true"]),
        Exec(b["sleep"]),
        Parallel(b["true"]),
        List(b["true"]),
        Run("run_mounts100", "run /bin/true + 100 tmpfs mounts", b["mounts"]),
        Run("run_sysctls100", "run /bin/true + 100 sysctls", b["sysctls"]),
        Run("run_mounts100_sysctls100", "run /bin/true + 100 mounts + 100 sysctls",
            b["mounts-sysctls"]),
    ]
