"""Benchmark our registry against CNCF distribution on this machine, with the same client.

    .venv/bin/python benchmarks/run.py [--repeat 3] [--workers 4] [--only push,pull] [--quick]

Starts both servers (fresh data dirs under a temp dir), makes random blobs, then
runs each measurement `--repeat` times on each server, alternating which server
goes first, and prints a Markdown table: the median for each server, the ratio
ours/distribution and the targets, then a second table of server CPU per GB or per
request. Every sample, with its CPU counters, is also written to
benchmarks/results/<timestamp>.json. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from blobs import (
    OCI_MANIFEST,
    BlobFile,
    MiB,
    SmallImage,
    make_blob,
    make_blobs,
    prefault_memory,
    sha256_digest,
    small_image,
)
from client import push_bytes, push_monolithic, put_manifest
from loadgen import LoadSpec, tool_for
from procfs import machine_busy_seconds, memory_available
from report import DISTURBED_CORES, Samples, all_rows, int_list, load_samples, print_tables, write_json
from servers import DISTRIBUTION_BINARY, REPOSITORY, ROOT, Server, start_distribution, start_harbor
from workloads import (
    Sample,
    manifest_sample,
    pull_sample,
    push_chunked_sample,
    push_many_sample,
    push_monolithic_sample,
    push_rss_sample,
)

TAG = "bench"
WARMUP_REQUESTS = 20  # of each kind, per server: every gunicorn worker sees each kind
RESULTS_DIR = Path(__file__).resolve().parent / "results"
QUIET_CORES = 0.2  # machine busy below this (cores) counts as quiet


@dataclass(frozen=True)
class Dataset:
    """Every blob the run pushes or pulls; the same files go to both servers."""

    large: list[BlobFile]  # one per repeat: monolithic pushes
    chunked: list[BlobFile]  # one per repeat: chunked pushes
    small: list[list[BlobFile]]  # one batch per repeat
    pull: BlobFile
    rss: list[BlobFile]  # ascending sizes, one RSS-sampled push each
    image: SmallImage


@dataclass(frozen=True)
class Case:
    key: str
    run: Callable[[Server, int], Sample]  # (server, repeat index)
    repeats: int


# --- command line --------------------------------------------------------------


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    default_workers = int(os.environ.get("HARBOR_WEB_WORKERS", "4"))
    parser.add_argument("--repeat", type=int, default=3, help="runs of each measurement per server (median)")
    parser.add_argument("--workers", type=int, default=default_workers, help="gunicorn workers of ours")
    parser.add_argument("--only", default="", help="comma-separated case prefixes, e.g. push,manifest")
    parser.add_argument("--large-mib", type=int, default=256, help="size of the large push/pull blob")
    parser.add_argument("--small-count", type=int, default=50, help="number of small layers per run")
    parser.add_argument("--small-mib", type=int, default=1, help="size of each small layer")
    parser.add_argument("--chunk-mib", type=int, default=8, help="PATCH size of the chunked push")
    parser.add_argument("--pull-clients", default="1,4,16", help="concurrent pull clients, comma-separated")
    parser.add_argument("--pull-min-mib", type=int, default=1024, help="bytes each pull run moves, at least")
    parser.add_argument("--rss-mib", default="256,1024", help="blob sizes pushed while sampling RSS")
    parser.add_argument("--connections", type=int, default=16, help="concurrent manifest requests")
    parser.add_argument("--duration", type=int, default=10, help="seconds of each manifest run")
    parser.add_argument("--warmup", type=int, default=2, help="seconds of load before each manifest run")
    parser.add_argument("--manifest-tool", choices=["auto", "wrk", "ab"], default="auto")
    parser.add_argument("--quiet-wait", type=float, default=300.0, help="max seconds to wait for an idle CPU")
    parser.add_argument("--retries", type=int, default=3, help="retakes of a sample disturbed by other load")
    parser.add_argument(
        "--prefault-gib", type=float, default=None, help="memory to cycle before measuring (default: auto)"
    )
    parser.add_argument("--tmpdir", default=None, help="where blobs and server data go (default: system)")
    parser.add_argument("--keep", action="store_true", help="keep the temp dir (server logs, data)")
    parser.add_argument("--report", metavar="JSON", help="only print the tables of an earlier run's JSON")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one run each: a smoke test")
    args = parser.parse_args(argv)
    if args.quick:
        args.repeat, args.large_mib, args.small_count, args.pull_min_mib = 1, 16, 5, 16
        args.rss_mib, args.duration, args.warmup, args.pull_clients = "16,64", 2, 1, "1,4"
    return args


def check_tools() -> None:
    missing = [tool for tool in ("curl", "wrk", "ab", DISTRIBUTION_BINARY) if not shutil.which(tool)]
    if missing:
        sys.exit(f"missing: {', '.join(missing)} (apt-get install curl wrk apache2-utils docker-registry)")


# --- data and servers ----------------------------------------------------------


def make_dataset(directory: Path, args: argparse.Namespace) -> Dataset:
    """Random blobs for every push and pull of the run (written before any timing)."""
    large = args.large_mib * MiB
    return Dataset(
        large=make_blobs(directory, "large", args.repeat, large),
        chunked=make_blobs(directory, "chunked", args.repeat, large),
        small=[
            make_blobs(directory, f"small{r}", args.small_count, args.small_mib * MiB)
            for r in range(args.repeat)
        ],
        pull=make_blob(directory, "pull", large),
        rss=[make_blob(directory, f"rss{size}", size * MiB) for size in int_list(args.rss_mib)],
        image=small_image(),
    )


def dataset_bytes(data: Dataset) -> int:
    blobs = [*data.large, *data.chunked, *(b for batch in data.small for b in batch), data.pull, *data.rss]
    return sum(blob.size for blob in blobs)


def prefault(directory: Path, data: Dataset, gib: float | None) -> None:
    """Cycle page-cache memory before measuring (see `prefault_memory`).

    Auto: what both servers will store (twice the data set) plus 1 GiB, within
    what the machine has available beyond a 2 GiB reserve.
    """
    if gib is None:
        size = min(2 * dataset_bytes(data) + 1024 * MiB, memory_available() - 2048 * MiB)
    else:
        size = int(gib * 1024 * MiB)
    if size <= 0:
        return
    started = time.perf_counter()
    prefault_memory(directory, size)
    print(f"cycled {size / 2**30:.1f} GiB of page cache in {time.perf_counter() - started:.0f} s", flush=True)


def seed(server: Server, data: Dataset) -> None:
    """Store what the pull and manifest cases read (the pull blob, a tagged small image),
    then warm up, so that no measured request is a worker's first of its kind.

    The first 256 MiB download of a run was 2-3x slower than the next ones on both
    servers, so one untimed download precedes the measured ones.
    """
    client = server.client()
    try:
        push_monolithic(client, REPOSITORY, data.pull)
        image = data.image
        push_bytes(client, REPOSITORY, image.config, sha256_digest(image.config))
        push_bytes(client, REPOSITORY, image.layer, sha256_digest(image.layer))
        put_manifest(client, REPOSITORY, TAG, image.manifest, OCI_MANIFEST)
        for _ in range(WARMUP_REQUESTS):
            data_bytes = os.urandom(1024)
            push_bytes(client, REPOSITORY, data_bytes, sha256_digest(data_bytes))
            headers = {"Accept": OCI_MANIFEST}
            client.expect(200, "GET", f"/v2/{REPOSITORY}/manifests/{TAG}", headers=headers)
            client.expect(200, "HEAD", f"/v2/{REPOSITORY}/manifests/{TAG}", headers=headers)
            client.expect(200, "GET", f"/v2/{REPOSITORY}/blobs/{image.layer_digest}")
    finally:
        client.close()
    pull_sample(server, data.pull, 1, 1)  # the first large download ran slow on both servers


def wait_for_quiet(max_wait: float) -> float:
    """Wait until the machine is idle for a second (others may share it); return the wait."""
    started = time.monotonic()
    while time.monotonic() - started < max_wait:
        before = machine_busy_seconds()
        time.sleep(1.0)
        if machine_busy_seconds() - before < QUIET_CORES:
            break
    return time.monotonic() - started


# --- the measurements ----------------------------------------------------------


def pull_rounds(clients: int, blob: BlobFile, min_bytes: int) -> int:
    """Downloads per client so that one run moves at least `min_bytes` (fewer spawn costs per byte)."""
    return max(1, math.ceil(min_bytes / (clients * blob.size)))


def build_cases(data: Dataset, args: argparse.Namespace) -> list[Case]:
    chunk = args.chunk_mib * MiB
    load = LoadSpec(args.connections, min(2, os.cpu_count() or 1), args.duration, args.warmup)
    cases = [
        Case("push_monolithic", lambda s, r: push_monolithic_sample(s, data.large[r]), args.repeat),
        Case("push_small", lambda s, r: push_many_sample(s, data.small[r]), args.repeat),
        Case("push_chunked", lambda s, r: push_chunked_sample(s, data.chunked[r], chunk), args.repeat),
    ]
    for clients in int_list(args.pull_clients):
        rounds = pull_rounds(clients, data.pull, args.pull_min_mib * MiB)
        cases.append(
            Case(
                f"pull_{clients}",
                lambda s, r, c=clients, n=rounds: pull_sample(s, data.pull, c, n),
                args.repeat,
            )
        )
    for method in ("GET", "HEAD"):
        tool = tool_for(method, args.manifest_tool)
        run = lambda s, r, m=method, t=tool: manifest_sample(s, TAG, m, t, load)  # noqa: E731
        cases.append(Case(f"manifest_{method.lower()}", run, args.repeat))
    for blob in data.rss:
        cases.append(Case(f"rss_{blob.size // MiB}", lambda s, r, b=blob: push_rss_sample(s, b), 1))
    prefixes = [p.strip() for p in args.only.split(",") if p.strip()]
    return [case for case in cases if not prefixes or case.key.startswith(tuple(prefixes))]


def measure(case: Case, server: Server, repeat: int, args: argparse.Namespace) -> Sample:
    """One sample, taken when the machine is quiet and retaken if other load disturbed it;
    when every attempt was disturbed, the least disturbed one counts.

    A retaken push sends a blob the server already holds; both servers still
    receive, hash and commit every byte of it, so the figure stays comparable.
    """
    attempts: list[Sample] = []
    for attempt in range(args.retries + 1):
        waited = wait_for_quiet(args.quiet_wait)
        sample = case.run(server, repeat)
        sample.extra.update(waited_for_quiet_s=waited, attempt=attempt + 1)
        attempts.append(sample)
        if sample.other_load <= DISTURBED_CORES:
            break
        note = f"disturbed ({sample.other_load:.2f} cores of other load)"
        print(f"  {case.key:<16} {server.name:<12} {note}", flush=True)
    return min(attempts, key=lambda s: s.other_load)


def run_cases(cases: list[Case], servers: list[Server], args: argparse.Namespace) -> Samples:
    """Each case, `repeats` times, on every server; the server that goes first alternates."""
    samples: Samples = {}
    for case in cases:
        for repeat in range(case.repeats):
            order = servers if repeat % 2 == 0 else servers[::-1]
            for server in order:
                sample = measure(case, server, repeat, args)
                samples.setdefault(case.key, {}).setdefault(server.name, []).append(sample)
                print(f"  {case.key:<16} {server.name:<12} run {repeat + 1}: {sample.value:,.1f}", flush=True)
    return samples


# --- metadata ------------------------------------------------------------------


def command_output(*command: str) -> str:
    """A read-only command's output ("" when it cannot run). GIT_OPTIONAL_LOCKS=0 keeps git
    from refreshing the index: the benchmark never writes to the repository."""
    env = {**os.environ, "GIT_OPTIONAL_LOCKS": "0"}
    try:
        result = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False, env=env)
    except OSError:
        return ""
    return result.stdout.strip()


def code_version() -> str:
    """The commit our server ran, with `+changes` when the work tree differs from it."""
    commit = command_output("git", "rev-parse", "--short=12", "HEAD")
    changed = command_output("git", "diff", "--name-only", "HEAD", "--")
    return f"{commit}+changes" if changed else commit


def machine_info() -> dict[str, object]:
    cpu_model = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "",
    )
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu_model,
        "kernel": platform.release(),
        "python": platform.python_version(),
        "loadavg_at_start": Path("/proc/loadavg").read_text().split()[:3],
    }


def metadata(args: argparse.Namespace, started: datetime, version: str) -> dict[str, object]:
    return {
        "started_at": started.isoformat(),
        "finished_at": datetime.now(UTC).isoformat(),
        "command": sys.argv,
        "settings": vars(args),
        "units": {"MB": "10^6 bytes", "MiB": "2^20 bytes"},
        "machine": machine_info(),
        "ours": {"version": version, "workers": args.workers},
        "distribution": {"version": command_output(DISTRIBUTION_BINARY, "--version")},
    }


# --- main ----------------------------------------------------------------------


def report_only(path: Path) -> int:
    """`--report FILE`: print the tables of an earlier run from its JSON, measuring nothing."""
    document = json.loads(path.read_text())
    args = argparse.Namespace(**document["settings"])
    version = document["ours"].get("version") or document["ours"].get("commit")
    print(f"{path.name}: ours at {version}, started {document['started_at']}")
    print_tables(args, load_samples(document["samples"]))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.report:
        return report_only(Path(args.report))
    check_tools()
    started, version = datetime.now(UTC), code_version()  # the code our server loads at start
    workdir = Path(tempfile.mkdtemp(prefix="harbor-bench-", dir=args.tmpdir))
    print(f"work dir {workdir}; ours at {version}; making blobs ...", flush=True)
    try:
        (workdir / "blobs").mkdir()
        data = make_dataset(workdir / "blobs", args)
        prefault(workdir, data, args.prefault_gib)
        with ExitStack() as stack:
            theirs = stack.enter_context(start_distribution(workdir / "distribution"))
            ours = stack.enter_context(start_harbor(workdir / "harbor", args.workers))
            servers = [theirs, ours]
            for server in servers:
                seed(server, data)
            print(
                f"servers up: distribution {theirs.url}, ours {ours.url} ({args.workers} workers)", flush=True
            )
            samples = run_cases(build_cases(data, args), servers, args)
    finally:
        if args.keep:
            print(f"kept {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)
    print_tables(args, samples)
    path = RESULTS_DIR / f"{started.strftime('%Y%m%dT%H%M%SZ')}.json"
    write_json(path, metadata(args, started, version), all_rows(args), samples)
    print(f"\nresults: {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
