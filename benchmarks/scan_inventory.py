"""Time and peak memory of the built-in scanner's inventory on a generated ~500 MB image.

    .venv/bin/python benchmarks/scan_inventory.py                 # generate, then measure
    .venv/bin/python benchmarks/scan_inventory.py --size-mib 100  # a smaller image
    .venv/bin/python benchmarks/scan_inventory.py --keep DIR      # keep the layers in DIR

The image has three gzip layers: a Debian base (this machine's os-release and the first 150
records of its dpkg status, when it has one), an application layer (Python dist-info, npm
manifests, Maven jars, copies of a Go binary when `go` is installed) and an update layer that
whites out and rewrites part of the rest. Filler files make up `--size-mib` of uncompressed
content (half random bytes, half text, so gzip halves it as it does typical images); a third
of them are executable, so the Go detector searches them for build info.

The scan runs in a fresh process that reads the layers from disk, as `inventory_of_layers`
would read them from the blob store. It is run twice: once for time and the process's peak
RSS (`getrusage`), once under `tracemalloc` for the peak of Python allocations (tracing
slows it down, so that run's time is not reported).
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import os
import resource
import shutil
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

FILLER_FILE = 4 << 20


def _add(tar: tarfile.TarFile, path: str, data: bytes, mode: int = 0o644) -> None:
    info = tarfile.TarInfo(path)
    info.size, info.mode = len(data), mode
    tar.addfile(info, io.BytesIO(data))


def _filler_bytes(index: int) -> bytes:
    """Half random, half text: compresses about 2:1 with gzip, like typical image content."""
    text = "".join(f"{index}:{line} the quick brown fox {line * 7919 % 104729}\n" for line in range(40000))
    half = FILLER_FILE // 2
    return os.urandom(half) + text.encode()[:half].ljust(half, b"\n")


def _filler(tar: tarfile.TarFile, prefix: str, total: int) -> None:
    for index in range(max(total // FILLER_FILE, 1)):
        mode = 0o755 if index % 3 == 0 else 0o644
        _add(tar, f"{prefix}/blob-{index:05d}", _filler_bytes(index), mode)


def _jar(group: str, artifact: str, version: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        properties = f"version={version}\ngroupId={group}\nartifactId={artifact}\n"
        archive.writestr(f"META-INF/maven/{group}/{artifact}/pom.properties", properties)
        archive.writestr("com/example/Main.class", os.urandom(2048))
    return buffer.getvalue()


def _dpkg_records(count: int) -> str:
    status = Path("/var/lib/dpkg/status")
    if status.exists():
        return "\n\n".join(status.read_text().split("\n\n")[:count]) + "\n"
    template = "Package: pkg{0}\nStatus: install ok installed\nVersion: 1.{0}-1\nArchitecture: amd64\n"
    return "\n".join(template.format(index) for index in range(count))  # each ends in "\n"


def _go_binary() -> bytes | None:
    go = shutil.which("go")
    return Path(go).resolve().read_bytes() if go else None


def generate(directory: Path, size_mib: int) -> list[Path]:
    directory.mkdir(parents=True, exist_ok=True)
    total = size_mib << 20
    layers = [directory / f"layer{index}.tar.gz" for index in (1, 2, 3)]
    with gzip.open(layers[0], "wb", compresslevel=1) as raw, tarfile.open(fileobj=raw, mode="w") as tar:
        os_release = Path("/etc/os-release")
        _add(tar, "etc/os-release", os_release.read_bytes() if os_release.exists() else b"ID=debian\n")
        _add(tar, "var/lib/dpkg/status", _dpkg_records(150).encode())
        _filler(tar, "usr/lib/base", total * 4 // 10)
    with gzip.open(layers[1], "wb", compresslevel=1) as raw, tarfile.open(fileobj=raw, mode="w") as tar:
        site = "usr/local/lib/python3.11/site-packages"
        for index in range(60):
            metadata = f"Metadata-Version: 2.1\nName: package-{index}\nVersion: 1.{index}.0\nLicense: MIT\n"
            _add(tar, f"{site}/package_{index}-1.{index}.0.dist-info/METADATA", metadata.encode())
        for index in range(60):
            manifest = {"name": f"module-{index}", "version": f"2.{index}.1", "license": "ISC"}
            _add(tar, f"app/node_modules/module-{index}/package.json", json.dumps(manifest).encode())
        for index in range(20):
            _add(tar, f"opt/app/lib/lib-{index}.jar", _jar("com.example", f"lib-{index}", f"3.{index}"))
        if (binary := _go_binary()) is not None:
            for index in range(3):
                _add(tar, f"usr/local/bin/tool-{index}", binary, 0o755)
        _filler(tar, "opt/app/data", total * 4 // 10)
    with gzip.open(layers[2], "wb", compresslevel=1) as raw, tarfile.open(fileobj=raw, mode="w") as tar:
        for index in range(10):  # uninstall ten npm modules
            _add(tar, f"app/node_modules/.wh.module-{index}", b"")
        _add(tar, "opt/app/data/.wh..wh..opq", b"")
        _filler(tar, "opt/app/data", total * 2 // 10)
    return layers


def scan(layers: list[Path], traced: bool) -> dict[str, float | int]:
    import tracemalloc

    from scanning.inventory import inventory_of_layers

    if traced:
        tracemalloc.start()
    started = time.perf_counter()
    openers = [(lambda path=path: path.open("rb")) for path in layers]  # the reader closes each
    result = inventory_of_layers(openers)
    seconds = time.perf_counter() - started
    figures: dict[str, float | int] = {
        "packages": len(result.packages),
        "warnings": len(result.warnings),
        "seconds": round(seconds, 2),
        "peak_rss_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    if traced:
        figures["tracemalloc_peak_mib"] = round(tracemalloc.get_traced_memory()[1] / (1 << 20), 1)
    return figures


def _child(layers: list[Path], traced: bool) -> dict[str, float | int]:
    command = [sys.executable, __file__, "--scan", *map(str, layers)] + (["--traced"] if traced else [])
    return json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size-mib", type=int, default=500)
    parser.add_argument("--keep", type=Path, help="generate into this directory and keep it")
    parser.add_argument("--scan", nargs="+", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--traced", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.scan:
        print(json.dumps(scan(args.scan, args.traced)))
        return
    directory = args.keep or Path(tempfile.mkdtemp(prefix="scan-bench-"))
    try:
        started = time.perf_counter()
        layers = generate(directory, args.size_mib)
        compressed = sum(path.stat().st_size for path in layers)
        mib = compressed / (1 << 20)
        took = time.perf_counter() - started
        print(f"generated {args.size_mib} MiB of files, {mib:.0f} MiB as 3 gzip layers, in {took:.0f} s")
        timed, traced = _child(layers, traced=False), _child(layers, traced=True)
        print(f"packages found:        {timed['packages']} ({timed['warnings']} warnings)")
        rate = args.size_mib / timed["seconds"]
        print(f"scan time:             {timed['seconds']} s ({rate:.0f} MiB/s of uncompressed content)")
        print(f"peak RSS of the scan:  {timed['peak_rss_mib']} MiB (whole Python process)")
        print(f"tracemalloc peak:      {traced['tracemalloc_peak_mib']} MiB (Python allocations)")
    finally:
        if args.keep is None:
            shutil.rmtree(directory, ignore_errors=True)


if __name__ == "__main__":
    main()
