"""From samples to the figures table: medians per server, ratio ours/distribution, targets.

Each Row picks one number out of a case's samples. A row may carry a target:
either a minimum ratio ours/distribution (throughput, requests/s) or a maximum
for our own figure (memory growth during a large push: "flat in blob size").
"""

from __future__ import annotations

import argparse
import json
import statistics
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from workloads import Sample

MiB = 1024 * 1024
OURS, THEIRS = "harbor", "distribution"
FLAT_GROWTH_MIB = 64  # ours may grow at most this much during the largest push
# Share of one core used by other processes during a sample above which we flag it.
DISTURBED_CORES = 0.25

Samples = dict[str, dict[str, list[Sample]]]  # case -> server -> one Sample per repeat


@dataclass(frozen=True)
class Row:
    case: str
    label: str
    pick: Callable[[Sample], float]
    digits: int = 0
    min_ratio: float | None = None  # target: ours / distribution at least this
    max_ours: float | None = None  # target: our figure at most this (same unit as the row)
    compare: bool = True  # False where a ratio means nothing (two figures near zero)

    def target(self) -> str:
        if self.min_ratio is not None:
            return f">= {self.min_ratio:g}"
        if self.max_ours is not None:
            return f"ours < {self.max_ours:g} (flat)"
        return ""


@dataclass(frozen=True)
class Figure:
    label: str
    theirs: float | None
    ours: float | None
    ratio: float | None
    target: str
    met: bool | None


def int_list(text: str) -> list[int]:
    """`"1,4,16"` -> [1, 4, 16] (the comma-separated options)."""
    return [int(part) for part in text.split(",") if part.strip()]


def value(sample: Sample) -> float:
    return sample.value


def extra(name: str, scale: float = 1.0) -> Callable[[Sample], float]:
    return lambda sample: sample.extra[name] / scale


def mib(sample: Sample) -> float:
    return sample.value / MiB


def growth_mib(sample: Sample) -> float:
    return (sample.value - sample.extra["rss_before"]) / MiB


def median(samples: list[Sample], pick: Callable[[Sample], float]) -> float | None:
    return statistics.median(pick(s) for s in samples) if samples else None


def figure(row: Row, samples: Samples) -> Figure:
    by_server = samples.get(row.case, {})
    theirs = median(by_server.get(THEIRS, []), row.pick)
    ours = median(by_server.get(OURS, []), row.pick)
    ratio = ours / theirs if row.compare and ours is not None and theirs else None
    met: bool | None = None
    if row.min_ratio is not None and ratio is not None:
        met = ratio >= row.min_ratio
    elif row.max_ours is not None and ours is not None:
        met = ours < row.max_ours
    return Figure(row.label, theirs, ours, ratio, row.target(), met)


def _cell(number: float | None, digits: int) -> str:
    return "-" if number is None else f"{number:,.{digits}f}"


def markdown_table(rows: list[Row], samples: Samples, ours_title: str, theirs_title: str) -> str:
    lines = [
        f"| measurement | {theirs_title} | {ours_title} | ours / distribution | target | met |",
        "|---|---:|---:|---:|---|---|",
    ]
    for row in rows:
        fig = figure(row, samples)
        if fig.theirs is None and fig.ours is None:
            continue
        met = {True: "yes", False: "**no**", None: ""}[fig.met]
        ratio = "-" if fig.ratio is None else f"{fig.ratio:.2f}"
        lines.append(
            f"| {row.label} | {_cell(fig.theirs, row.digits)} | {_cell(fig.ours, row.digits)} "
            f"| {ratio} | {fig.target} | {met} |"
        )
    return "\n".join(lines)


def disturbed(samples: Samples) -> list[str]:
    """Samples during which other processes used a noticeable share of the CPU."""
    notes = []
    for case, by_server in samples.items():
        for server, runs in by_server.items():
            for index, sample in enumerate(runs):
                if sample.other_load > DISTURBED_CORES:
                    notes.append(
                        f"{case} / {server} run {index + 1}: other load {sample.other_load:.2f} cores"
                    )
    return notes


def load_samples(data: dict[str, dict[str, list[dict[str, Any]]]]) -> Samples:
    """The `samples` of a results JSON, back as Sample objects."""
    return {
        case: {server: [Sample(**fields) for fields in runs] for server, runs in by_server.items()}
        for case, by_server in data.items()
    }


def write_json(path: Path, meta: dict[str, Any], rows: list[Row], samples: Samples) -> None:
    document = {
        **meta,
        "figures": [asdict(figure(row, samples)) for row in rows],
        "samples": {
            case: {server: [asdict(s) for s in runs] for server, runs in by_server.items()}
            for case, by_server in samples.items()
        },
        "disturbed": disturbed(samples),
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(document, indent=2) + "\n")


# --- the rows of this benchmark ----------------------------------------------------


def transfer_rows(args: argparse.Namespace) -> list[Row]:
    size = f"{args.large_mib} MiB"
    small = f"push {args.small_count} x {args.small_mib} MiB, sequential (MB/s)"
    rows = [
        Row("push_monolithic", f"push 1 x {size}, monolithic POST+PUT (MB/s)", value, min_ratio=0.8),
        Row("push_small", small, value, min_ratio=0.8),
        Row("push_chunked", f"push 1 x {size}, {args.chunk_mib} MiB PATCHes (MB/s)", value, min_ratio=0.8),
    ]
    for clients in int_list(args.pull_clients):
        label = f"pull {size}, {clients} concurrent client{'s' if clients > 1 else ''} (MB/s)"
        rows.append(Row(f"pull_{clients}", label, value, min_ratio=0.8))
    return rows


def manifest_rows(args: argparse.Namespace) -> list[Row]:
    rows = []
    for method in ("GET", "HEAD"):
        case = f"manifest_{method.lower()}"
        label = f"manifest {method} by tag, {args.connections} conns (req/s)"
        rows.append(Row(case, label, value, min_ratio=0.5))
        rows.append(Row(case, f"manifest {method} p99 latency (ms)", extra("p99_ms"), digits=1))
    return rows


def memory_rows(args: argparse.Namespace) -> list[Row]:
    """RSS before the largest push, the peak during each push, and the growth (the target)."""
    sizes = int_list(args.rss_mib)
    if not sizes:
        return []
    largest = f"rss_{sizes[-1]}"
    pss_label = "server PSS before the push (MiB; shared pages counted once)"
    rows = [
        Row(largest, "server RSS before the push (MiB)", extra("rss_before", MiB)),
        Row(largest, pss_label, extra("pss_before", MiB)),
    ]
    rows += [Row(f"rss_{size}", f"peak server RSS during a {size} MiB push (MiB)", mib) for size in sizes]
    growth = f"RSS growth during the {sizes[-1]} MiB push (MiB)"
    rows.append(Row(largest, growth, growth_mib, max_ours=FLAT_GROWTH_MIB, compare=False))
    return rows


def build_rows(args: argparse.Namespace) -> list[Row]:
    """The figures table: throughput, requests, latency and memory, with their targets."""
    return transfer_rows(args) + manifest_rows(args) + memory_rows(args)


def cpu_rows(args: argparse.Namespace) -> list[Row]:
    """Server CPU per unit of work: what each byte or request costs, independent of the clock."""
    per_gb = extra("server_cpu_s_per_gb")
    rows = [
        Row("push_monolithic", "push monolithic: server CPU s/GB", per_gb, digits=2),
        Row("push_small", "push small layers: server CPU s/GB", per_gb, digits=2),
        Row("push_chunked", "push chunked: server CPU s/GB", per_gb, digits=2),
    ]
    for clients in int_list(args.pull_clients):
        rows.append(Row(f"pull_{clients}", f"pull, {clients} clients: server CPU s/GB", per_gb, digits=2))
    for method in ("get", "head"):
        label = f"manifest {method.upper()}: server CPU ms/request"
        rows.append(Row(f"manifest_{method}", label, extra("server_cpu_ms_per_request"), digits=2))
    return rows


def all_rows(args: argparse.Namespace) -> list[Row]:
    return build_rows(args) + cpu_rows(args)


def print_tables(args: argparse.Namespace, samples: Samples) -> None:
    """Both tables as Markdown (to paste into docs/performance.md), then disturbed samples."""
    titles = {"ours_title": f"ours ({args.workers} workers)", "theirs_title": "distribution 2.8.2"}
    print(f"\nMB = 10^6 bytes; medians of {args.repeat} runs (memory: one run)\n")
    print(markdown_table(build_rows(args), samples, **titles))
    print()
    print(markdown_table(cpu_rows(args), samples, **titles))
    for note in disturbed(samples):
        print(f"note: {note}")
