"""One function per measurement; each drives one server once and returns a Sample.

Every measurement also reads CPU counters before and after: the server's own
CPU (its process tree), the client's, and the machine's. The first says what a
byte or a request costs the server, which on 2 cores is what decides; the last
exposes load from anything else on the machine, which would spoil the figure.
"""

from __future__ import annotations

import os
import subprocess
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from blobs import OCI_MANIFEST, BlobFile
from client import push_chunked, push_monolithic
from loadgen import LoadResult, LoadSpec, run_load
from procfs import CpuSnapshot, process_tree, tree_pss, tree_rss
from servers import REPOSITORY, Server

MB = 1_000_000  # throughput is reported in MB/s with MB = 10^6 bytes
RSS_INTERVAL = 0.05
TREE_REFRESH = 1.0


@dataclass
class Sample:
    """One run of one measurement on one server. `value` is the headline figure."""

    value: float
    seconds: float
    server_cpu: float
    client_cpu: float
    foreign_cpu: float
    extra: dict[str, float] = field(default_factory=dict)

    @property
    def other_load(self) -> float:
        """Cores used on average by processes that were neither the server nor the client."""
        return self.foreign_cpu / self.seconds if self.seconds else 0.0


def _measure(server: Server, action: Callable[[], None]) -> Sample:
    """Run `action` once; wall time and CPU counters, after flushing dirty pages.

    `os.sync()` first, so that the write-back of an earlier push (to either
    server) does not land in this measurement.
    """
    os.sync()
    pids = process_tree(server.pid)
    before = CpuSnapshot.take(pids)
    started = time.perf_counter()
    action()
    seconds = time.perf_counter() - started
    used = CpuSnapshot.take(pids) - before
    return Sample(0.0, seconds, used.server, used.client, used.foreign)


def _throughput(server: Server, total_bytes: int, action: Callable[[], None]) -> Sample:
    """A Sample whose value is MB/s, with the server's CPU seconds per GB alongside."""
    sample = _measure(server, action)
    sample.value = total_bytes / sample.seconds / MB
    sample.extra["server_cpu_s_per_gb"] = sample.server_cpu / (total_bytes / 1e9)
    return sample


# --- pushes --------------------------------------------------------------------


def push_monolithic_sample(server: Server, blob: BlobFile) -> Sample:
    client = server.client()
    try:
        return _throughput(server, blob.size, lambda: push_monolithic(client, REPOSITORY, blob))
    finally:
        client.close()


def push_many_sample(server: Server, blobs: list[BlobFile]) -> Sample:
    """Sequential monolithic pushes of many small layers from one client."""
    client = server.client()

    def push_all() -> None:
        for blob in blobs:
            push_monolithic(client, REPOSITORY, blob)

    try:
        return _throughput(server, sum(blob.size for blob in blobs), push_all)
    finally:
        client.close()


def push_chunked_sample(server: Server, blob: BlobFile, chunk_size: int) -> Sample:
    client = server.client()
    try:
        return _throughput(server, blob.size, lambda: push_chunked(client, REPOSITORY, blob, chunk_size))
    finally:
        client.close()


# --- pulls ---------------------------------------------------------------------


def curl_command(server: Server, url: str, rounds: int) -> list[str]:
    """One curl that GETs `url` `rounds` times (reusing the connection where the server lets it)."""
    command = ["curl", "-s", "-w", "%{http_code} %{size_download}\\n"]
    for name, value in server.headers.items():
        command += ["-H", f"{name}: {value}"]
    for _ in range(rounds):
        command += ["-o", "/dev/null", url]
    return command


def pull_sample(server: Server, blob: BlobFile, clients: int, rounds: int) -> Sample:
    """`clients` concurrent curl processes, each downloading the blob `rounds` times.

    Wall time runs from the first spawn to the last exit. Every download's
    status and size are checked, so that an error can never pass for speed.
    """
    url = f"{server.url}/v2/{REPOSITORY}/blobs/{blob.digest}"
    outputs: list[bytes] = []

    def pull_all() -> None:
        command = curl_command(server, url, rounds)
        processes = [subprocess.Popen(command, stdout=subprocess.PIPE) for _ in range(clients)]
        outputs.extend(process.communicate()[0] for process in processes)

    sample = _throughput(server, blob.size * clients * rounds, pull_all)
    fields = b"".join(outputs).decode().split()
    if fields != ["200", str(blob.size)] * (clients * rounds):
        raise RuntimeError(f"pull from {server.name} failed: {fields[:6]} (wanted 200 {blob.size})")
    return sample


# --- manifests -----------------------------------------------------------------

MANIFEST_ACCEPT = OCI_MANIFEST


def manifest_sample(server: Server, tag: str, method: str, tool: str, load: LoadSpec) -> Sample:
    """A closed-loop load on the manifest by tag: requests/s, latency, server CPU per request."""
    url = f"{server.url}/v2/{REPOSITORY}/manifests/{tag}"
    headers = {"Accept": MANIFEST_ACCEPT, **server.headers}
    if load.warmup_seconds:
        run_load(tool, method, url, headers, load, load.warmup_seconds)
    results: list[LoadResult] = []
    sample = _measure(
        server, lambda: results.append(run_load(tool, method, url, headers, load, load.seconds))
    )
    result = results[0]
    if result.errors or not result.requests:
        raise RuntimeError(f"{tool} {method} on {server.name}: {result.errors} errors, {result.requests} ok")
    sample.value = result.requests / result.seconds
    sample.extra.update(
        requests=result.requests,
        p50_ms=result.p50_ms,
        p99_ms=result.p99_ms,
        server_cpu_ms_per_request=sample.server_cpu / result.requests * 1000,
    )
    return sample


# --- memory --------------------------------------------------------------------


class RssSampler:
    """Samples the summed RSS of a process tree every ~50 ms in a thread; keeps the peak.

    The tree (a /proc scan) is refreshed once a second; in between only the known
    pids' statm files are read, which keeps the sampler's own CPU use small.
    """

    def __init__(self, root: int) -> None:
        self.root = root
        self.peak = 0
        self.count = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        pids, refreshed = process_tree(self.root), time.monotonic()
        while not self._stop.is_set():
            if time.monotonic() - refreshed > TREE_REFRESH:
                pids, refreshed = process_tree(self.root), time.monotonic()
            self.peak = max(self.peak, tree_rss(pids))
            self.count += 1
            self._stop.wait(RSS_INTERVAL)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def push_rss_sample(server: Server, blob: BlobFile) -> Sample:
    """A monolithic push of `blob` while sampling RSS; value = peak RSS in bytes.

    The RSS just before the push is kept next to the peak, so growth with blob
    size shows; the push's own MB/s is kept too.
    """
    client = server.client()
    pids = process_tree(server.pid)
    before, pss_before = tree_rss(pids), tree_pss(pids)
    try:
        with RssSampler(server.pid) as sampler:
            sample = _measure(server, lambda: push_monolithic(client, REPOSITORY, blob))
    finally:
        client.close()
    sample.value = sampler.peak
    sample.extra.update(
        rss_before=before,
        pss_before=pss_before,
        pss_after=tree_pss(pids),
        push_mb_s=blob.size / sample.seconds / MB,
        rss_samples=sampler.count,
    )
    return sample
