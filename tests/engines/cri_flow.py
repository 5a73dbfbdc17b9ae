#!/usr/bin/env python3
"""The kubelet's calls for one pod, made against containerd's CRI plugin with the runtime
handler `minirun`: sandbox, two containers (one stopped by StopContainer, one exiting by
itself), ExecSync, status, teardown. Prints PASS/FAIL/SKIP lines; exit 1 on any failure.

Usage: cri_flow.py SOCKET IMAGE LOG_DIR {pod|node} {exec|noexec}
"""

import json
import os
import sys
import time

import grpc

from cri_client import RuntimeService, pb

failures = []


def check(name, ok, detail=""):
    print(f"{'PASS' if ok else 'FAIL'} cri-{name}" + ("" if ok else f": {detail}"), flush=True)
    if not ok:
        failures.append(name)
    return ok


def expect_eq(name, want, got):
    return check(name, want == got, f"want {want!r}, got {got!r}")


def skip(name, why):
    print(f"SKIP cri-{name}: {why}", flush=True)


def ns_links(pid):
    links = {}
    for ns in ("net", "ipc", "uts", "pid", "mnt"):
        try:
            links[ns] = os.readlink(f"/proc/{pid}/ns/{ns}")
        except OSError as e:
            links[ns] = f"error: {e}"
    return links


def wait_state(rt, cid, state, seconds=20):
    deadline = time.monotonic() + seconds
    while True:
        status = rt.ContainerStatus(container_id=cid).status
        if status.state == state or time.monotonic() > deadline:
            return status
        time.sleep(0.1)


def main():
    sock, image, log_dir, network, exec_mode = sys.argv[1:6]
    rt = RuntimeService(sock)
    mode = pb.POD if network == "pod" else pb.NODE

    version = rt.Version(version="v1")
    expect_eq("version-runtime-name", "containerd", version.runtime_name)

    ns_opts = pb.NamespaceOption(network=mode, pid=pb.CONTAINER, ipc=pb.POD)
    sandbox_config = pb.PodSandboxConfig(
        metadata=pb.PodSandboxMetadata(name="minirun-pod", uid="uid-1", namespace="default"),
        # A pod on the node's network keeps the node's hostname (no private UTS namespace).
        hostname="minirun-pod" if mode == pb.POD else "",
        log_directory=log_dir,
        linux=pb.LinuxPodSandboxConfig(
            security_context=pb.LinuxSandboxSecurityContext(namespace_options=ns_opts)
        ),
    )
    try:
        sandbox_id = rt.RunPodSandbox(config=sandbox_config, runtime_handler="minirun").pod_sandbox_id
    except grpc.RpcError as e:
        check("run-pod-sandbox", False, e.details())
        return
    check("run-pod-sandbox", bool(sandbox_id), "empty sandbox id")

    sb = rt.PodSandboxStatus(pod_sandbox_id=sandbox_id, verbose=True)
    expect_eq("sandbox-ready", pb.SANDBOX_READY, sb.status.state)
    sb_info = json.loads(sb.info.get("info", "{}"))
    expect_eq("sandbox-runtime-handler", "minirun", sb_info.get("runtimeHandler"))
    sandbox_pid = sb_info.get("pid", 0)
    if mode == pb.POD:
        check("sandbox-has-pod-ip", bool(sb.status.network.ip), "no IP from CNI")

    def container_config(name, command):
        return pb.ContainerConfig(
            metadata=pb.ContainerMetadata(name=name),
            image=pb.ImageSpec(image=image),
            command=command,
            log_path=f"{name}.log",
            linux=pb.LinuxContainerConfig(
                security_context=pb.LinuxContainerSecurityContext(namespace_options=ns_opts)
            ),
        )

    app_cmd = ["sh", "-c", "echo hello-cri; hostname; trap 'exit 0' TERM; "
               "while true; do sleep 0.1; done"]
    try:
        app = rt.CreateContainer(pod_sandbox_id=sandbox_id, sandbox_config=sandbox_config,
                                 config=container_config("app", app_cmd)).container_id
        check("create-container", True)
        rt.StartContainer(container_id=app)
        check("start-container", True)
    except grpc.RpcError as e:
        check("create-start-container", False, e.details())
        teardown(rt, sandbox_id, [])
        return
    status = wait_state(rt, app, pb.CONTAINER_RUNNING)
    expect_eq("container-running", pb.CONTAINER_RUNNING, status.state)

    # The containers join the sandbox's namespaces by path (/proc/<sandbox pid>/ns/...):
    # net, ipc and uts are the sandbox's; pid (mode CONTAINER) and mnt are their own.
    info = json.loads(rt.ContainerStatus(container_id=app, verbose=True).info.get("info", "{}"))
    app_pid = info.get("pid", 0)
    sb_ns, app_ns = ns_links(sandbox_pid), ns_links(app_pid)
    for ns in ("net", "ipc", "uts"):
        expect_eq(f"joins-sandbox-{ns}-ns", sb_ns[ns], app_ns[ns])
    for ns in ("pid", "mnt"):
        check(f"own-{ns}-ns", sb_ns[ns] != app_ns[ns], f"same {ns} ns as the sandbox")
    host_net = os.readlink("/proc/self/ns/net")
    if mode == pb.POD:
        check("pod-netns-not-host", sb_ns["net"] != host_net, "sandbox in the host netns")

    if exec_mode == "exec":
        r = rt.ExecSync(container_id=app, cmd=["sh", "-c", "echo exec-out; echo exec-err >&2"],
                        timeout=20)
        expect_eq("exec-sync-stdout", b"exec-out\n", r.stdout)
        expect_eq("exec-sync-stderr", b"exec-err\n", r.stderr)
        expect_eq("exec-sync-exit-0", 0, r.exit_code)
        r = rt.ExecSync(container_id=app, cmd=["sh", "-c", "exit 4"], timeout=20)
        expect_eq("exec-sync-exit-4", 4, r.exit_code)
        r = rt.ExecSync(container_id=app, cmd=["readlink", "/proc/self/ns/net"], timeout=20)
        expect_eq("exec-sync-sandbox-netns", sb_ns["net"], r.stdout.decode().strip())
    else:
        skip("exec-sync", "minirun has no 'exec' verb in this build (branch exec not merged)")

    # A container that ends by itself: containerd then calls `kill --all <id> 9` on a stopped
    # container, which must succeed for the exit to be recorded.
    quick = rt.CreateContainer(pod_sandbox_id=sandbox_id, sandbox_config=sandbox_config,
                               config=container_config("quick", ["sh", "-c", "exit 3"]))
    rt.StartContainer(container_id=quick.container_id)
    status = wait_state(rt, quick.container_id, pb.CONTAINER_EXITED)
    expect_eq("self-exit-state", pb.CONTAINER_EXITED, status.state)
    expect_eq("self-exit-code", 3, status.exit_code)

    rt.StopContainer(container_id=app, timeout=10)
    status = rt.ContainerStatus(container_id=app).status
    expect_eq("stop-container-exited", pb.CONTAINER_EXITED, status.state)
    expect_eq("stop-container-trap-exit-0", 0, status.exit_code)

    # CRI log format: "<RFC3339Nano> stdout F <line>".
    try:
        with open(os.path.join(log_dir, "app.log")) as f:
            lines = [line.split(" ", 3) for line in f.read().splitlines()]
        stdout_lines = [parts[3] for parts in lines if len(parts) == 4 and parts[1] == "stdout"]
        check("container-log", "hello-cri" in stdout_lines, f"log lines {lines!r}")
        if mode == pb.POD:
            check("container-hostname-is-pod", "minirun-pod" in stdout_lines, f"{lines!r}")
    except OSError as e:
        check("container-log", False, str(e))

    teardown(rt, sandbox_id, [app, quick.container_id])


def teardown(rt, sandbox_id, containers):
    for cid in containers:
        rt.RemoveContainer(container_id=cid)
    check("remove-containers", True)
    rt.StopPodSandbox(pod_sandbox_id=sandbox_id)
    check("stop-pod-sandbox", True)
    rt.RemovePodSandbox(pod_sandbox_id=sandbox_id)
    check("remove-pod-sandbox", True)
    try:
        rt.PodSandboxStatus(pod_sandbox_id=sandbox_id)
        check("sandbox-gone", False, "PodSandboxStatus still answers")
    except grpc.RpcError as e:
        expect_eq("sandbox-gone", grpc.StatusCode.NOT_FOUND, e.code())


if __name__ == "__main__":
    try:
        main()
    except grpc.RpcError as e:
        check("rpc", False, f"{e.code()}: {e.details()}")
    sys.exit(1 if failures else 0)
