#!/usr/bin/env python3
"""Write a one-layer OCI image archive from the host's static busybox, without any registry.

The archive is what `ctr images import` reads: an OCI image layout (oci-layout, index.json,
blobs/sha256/...) packed in a tar. The layer holds /bin/busybox, one symlink per applet and
the few files a shell expects (/etc/passwd, /etc/group, /tmp). The index names the image
through the `org.opencontainers.image.ref.name` annotation, which ctr turns into the image
name (`--base-name`/`--index-name` are not needed).

Usage: make_oci_image.py OUT.tar NAME:TAG [--cmd ARG]... [--busybox PATH]
"""

import argparse
import gzip
import hashlib
import io
import json
import os
import subprocess
import sys
import tarfile
import time

# Fixed mtime: identical inputs give identical digests, so a re-import is a no-op.
EPOCH = 0


def applets(busybox):
    out = subprocess.run([busybox, "--list"], check=True, capture_output=True, text=True)
    return sorted(a for a in out.stdout.split() if a and a != "busybox")


def add_file(tar, name, data, mode=0o644):
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = mode
    info.mtime = EPOCH
    tar.addfile(info, io.BytesIO(data))


def add_dir(tar, name, mode=0o755):
    info = tarfile.TarInfo(name)
    info.type = tarfile.DIRTYPE
    info.mode = mode
    info.mtime = EPOCH
    tar.addfile(info)


def add_symlink(tar, name, target):
    info = tarfile.TarInfo(name)
    info.type = tarfile.SYMTYPE
    info.linkname = target
    info.mode = 0o777
    info.mtime = EPOCH
    tar.addfile(info)


def rootfs_layer(busybox):
    """The uncompressed layer tar: busybox, its applet links and a minimal /etc."""
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for d in ("bin", "etc", "proc", "sys", "dev", "root", "run", "var"):
            add_dir(tar, d)
        add_dir(tar, "tmp", 0o1777)
        with open(busybox, "rb") as f:
            add_file(tar, "bin/busybox", f.read(), 0o755)
        for applet in applets(busybox):
            add_symlink(tar, f"bin/{applet}", "busybox")
        add_file(tar, "etc/passwd", b"root:x:0:0:root:/root:/bin/sh\n")
        add_file(tar, "etc/group", b"root:x:0:\n")
    return buf.getvalue()


def blob(layout, data, media_type):
    """Add a blob to the layout dict; return its OCI descriptor."""
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    layout["blobs/sha256/" + digest.split(":", 1)[1]] = data
    return {"mediaType": media_type, "digest": digest, "size": len(data)}


def canonical(obj):
    return json.dumps(obj, sort_keys=True, separators=(",", ":")).encode()


def build(busybox, ref, cmd):
    raw = rootfs_layer(busybox)
    layout = {}
    gz = gzip.compress(raw, mtime=EPOCH)
    layer = blob(layout, gz, "application/vnd.oci.image.layer.v1.tar+gzip")
    config = {
        "architecture": "amd64" if os.uname().machine == "x86_64" else os.uname().machine,
        "os": "linux",
        "config": {"Env": ["PATH=/bin:/sbin:/usr/bin:/usr/sbin"], "Cmd": cmd, "WorkingDir": "/"},
        # The diff id is the digest of the UNcompressed layer; the snapshotter checks it.
        "rootfs": {"type": "layers", "diff_ids": ["sha256:" + hashlib.sha256(raw).hexdigest()]},
        "history": [{"created_by": "make_oci_image.py", "created": "1970-01-01T00:00:00Z"}],
    }
    config_desc = blob(layout, canonical(config), "application/vnd.oci.image.config.v1+json")
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": config_desc,
        "layers": [layer],
    }
    manifest_desc = blob(layout, canonical(manifest), "application/vnd.oci.image.manifest.v1+json")
    manifest_desc["annotations"] = {"org.opencontainers.image.ref.name": ref}
    manifest_desc["platform"] = {"architecture": config["architecture"], "os": "linux"}
    layout["index.json"] = canonical({"schemaVersion": 2, "manifests": [manifest_desc]})
    layout["oci-layout"] = canonical({"imageLayoutVersion": "1.0.0"})
    return layout


def write_archive(path, layout):
    with tarfile.open(path, "w") as tar:
        for d in ("blobs", "blobs/sha256"):
            add_dir(tar, d)
        for name in sorted(layout):
            add_file(tar, name, layout[name])


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("out")
    p.add_argument("ref", help="image name, e.g. localhost/busybox:latest")
    p.add_argument("--cmd", action="append", default=None, help="image Cmd (repeat per arg)")
    p.add_argument("--busybox", default="/bin/busybox")
    a = p.parse_args()
    started = time.monotonic()
    write_archive(a.out, build(a.busybox, a.ref, a.cmd or ["/bin/sh"]))
    print(f"{a.out}: {a.ref} ({time.monotonic() - started:.2f}s)", file=sys.stderr)


if __name__ == "__main__":
    main()
