"""Process plumbing for the benchmark: spawn a runtime, time it, read its peak RSS.

Every runtime invocation goes through probe.c (a tiny static program built at start): it
forks the runtime, wait4()s for it and reports the wall time and ru_maxrss of exactly that
child (and the descendants it waited for). See probe.c for why not straight from Python.
"""

import ctypes
import os
import subprocess
import time
from dataclasses import dataclass, field

PR_SET_CHILD_SUBREAPER = 36


class Failure(Exception):
    """A runtime could not do a scenario; the scenario prints n/a for it."""


@dataclass
class Invocation:
    rc: int
    start_ns: int  # CLOCK_MONOTONIC, comparable with time.monotonic_ns()
    end_ns: int
    maxrss_kib: int
    stderr: str

    @property
    def wall_ns(self):
        return self.end_ns - self.start_ns


@dataclass
class Runtime:
    name: str
    path: str
    root: str  # this runtime's own --root state directory
    version: str = ""
    scratch: str = ""  # pid files, stderr captures
    tag: str = ""  # short unique name for IDs that must have a fixed length
    _seq: int = field(default=0, repr=False)

    def argv(self, *args, root=None):
        return [self.path, "--root", root or self.root, *args]

    def err_path(self):
        self._seq += 1
        return os.path.join(self.scratch, f"err-{self._seq % 64}")


PROBE = {"path": ""}


def build_probe(workdir):
    """Compiles probe.c (static when libc.a is there) into workdir."""
    src = os.path.join(os.path.dirname(os.path.abspath(__file__)), "probe.c")
    out = os.path.join(workdir, "probe")
    for extra in (["-static"], []):
        r = subprocess.run(["cc", "-O2", *extra, "-o", out, src], capture_output=True, text=True)
        if r.returncode == 0:
            PROBE["path"] = out
            return out
    raise SystemExit(f"cannot build probe.c: {r.stderr.strip()}")


def become_subreaper():
    """Container inits of create/run -d are re-parented to us, so we can wait for them."""
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER)")


def spawn(argv, err_path, copies=1):
    """Starts argv under the probe; stdin/stdout are /dev/null, stderr goes to err_path.

    With copies > 1 the probe starts that many at once, "{}" in argv replaced by 0, 1, ...
    """
    actions = [
        (os.POSIX_SPAWN_OPEN, 0, "/dev/null", os.O_RDONLY, 0),
        (os.POSIX_SPAWN_OPEN, 1, "/dev/null", os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
    ]
    many = ["-n", str(copies)] if copies > 1 else []
    probe = [PROBE["path"], err_path + ".res", *many, *argv]
    return os.posix_spawn(probe[0], probe, os.environ, file_actions=actions)


def read_err(err_path):
    try:
        with open(err_path, errors="replace") as f:
            return f.read().strip()
    except OSError:
        return ""


def finish(pid, err_path):
    """Waits for the probe; one Invocation per copy it ran."""
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise Failure(f"probe failed: {read_err(err_path)}"[:160])
    invs = []
    with open(err_path + ".res") as f:
        for line in f:
            start, end, maxrss, rc = (int(x) for x in line.split())
            invs.append(Invocation(rc, start, end, maxrss, ""))
    if any(inv.rc != 0 for inv in invs):
        err = read_err(err_path)
        for inv in invs:
            inv.stderr = err if inv.rc != 0 else ""
    return invs


def invoke(argv, err_path):
    """Runs one command to completion; returns its wall time and peak RSS."""
    return finish(spawn(argv, err_path), err_path)[0]


def invoke_ok(rt, *args, root=None):
    """invoke() for a runtime subcommand that must succeed, else Failure."""
    inv = invoke(rt.argv(*args, root=root), rt.err_path())
    if inv.rc != 0:
        first = inv.stderr.splitlines()[0] if inv.stderr else ""
        raise Failure(f"{args[0]} exited {inv.rc}: {first}"[:160])
    return inv


def quiet(rt, *args, root=None):
    """An untimed helper call (cleanup); its failure is not an error."""
    return invoke(rt.argv(*args, root=root), rt.err_path()).rc


def wait_exit(pid, timeout_s=10.0):
    """Wait for a container init to end (our child through the subreaper, or not)."""
    try:
        os.waitpid(pid, 0)
        return
    except ChildProcessError:
        pass
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X"):
                    return
        except OSError:
            return
        time.sleep(0.0002)
    raise Failure(f"container process {pid} did not exit")


def reap_orphans():
    """Collect re-parented container inits; call only when no tracked child is pending."""
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
