"""A minimal Kubernetes CRI v1 client over python3-grpcio (there is no crictl in Debian).

The message classes come from cri_subset.proto, compiled with protoc into a temp dir at import
time, so nothing generated is checked in. Each RPC is a plain unary call on the method path
kubelet uses (/runtime.v1.RuntimeService/<Name>).
"""

import importlib
import os
import subprocess
import sys
import tempfile

import grpc

_HERE = os.path.dirname(os.path.abspath(__file__))


def _compile_proto():
    out = tempfile.mkdtemp(prefix="minirun-cri-proto.")
    subprocess.run(
        ["protoc", f"--proto_path={_HERE}", f"--python_out={out}", "cri_subset.proto"], check=True
    )
    sys.path.insert(0, out)
    try:
        return importlib.import_module("cri_subset_pb2")
    finally:
        sys.path.remove(out)
        for name in os.listdir(out):
            os.unlink(os.path.join(out, name))
        os.rmdir(out)


pb = _compile_proto()

_RPCS = {
    "Version": (pb.VersionRequest, pb.VersionResponse),
    "Status": (pb.StatusRequest, pb.StatusResponse),
    "RunPodSandbox": (pb.RunPodSandboxRequest, pb.RunPodSandboxResponse),
    "StopPodSandbox": (pb.StopPodSandboxRequest, pb.StopPodSandboxResponse),
    "RemovePodSandbox": (pb.RemovePodSandboxRequest, pb.RemovePodSandboxResponse),
    "PodSandboxStatus": (pb.PodSandboxStatusRequest, pb.PodSandboxStatusResponse),
    "CreateContainer": (pb.CreateContainerRequest, pb.CreateContainerResponse),
    "StartContainer": (pb.StartContainerRequest, pb.StartContainerResponse),
    "StopContainer": (pb.StopContainerRequest, pb.StopContainerResponse),
    "RemoveContainer": (pb.RemoveContainerRequest, pb.RemoveContainerResponse),
    "ContainerStatus": (pb.ContainerStatusRequest, pb.ContainerStatusResponse),
    "ExecSync": (pb.ExecSyncRequest, pb.ExecSyncResponse),
}


class RuntimeService:
    """`RuntimeService(sock).RunPodSandbox(config=..., runtime_handler=...)` and so on: keyword
    arguments build the request message, the reply message is returned; gRPC errors raise
    grpc.RpcError (its .details() is containerd's message)."""

    def __init__(self, socket_path, timeout=60):
        self._channel = grpc.insecure_channel(f"unix://{socket_path}")
        self._timeout = timeout
        self._calls = {
            name: self._channel.unary_unary(
                f"/runtime.v1.RuntimeService/{name}",
                request_serializer=req.SerializeToString,
                response_deserializer=resp.FromString,
            )
            for name, (req, resp) in _RPCS.items()
        }

    def __getattr__(self, name):
        if name not in _RPCS:
            raise AttributeError(name)
        request_type = _RPCS[name][0]
        call = self._calls[name]

        # Not `timeout`: StopContainer and ExecSync have a request field of that name.
        def invoke(rpc_timeout=None, **fields):
            return call(request_type(**fields), timeout=rpc_timeout or self._timeout)

        return invoke

    def close(self):
        self._channel.close()
