"""Closed-loop request load from C tools, so that the client is not the bottleneck.

`wrk` (multi-threaded, epoll) is the lighter of the two and gives exact latency
percentiles through a Lua `done()` hook, but wrk 4.1 cannot do HEAD: its HTTP
parser waits for the body a HEAD response's Content-Length announces
(wg/wrk#198), so every HEAD ends as a timeout. `ab` (ApacheBench, one thread,
HTTP/1.0 with keep-alive) handles HEAD, and its CSV export gives percentiles in
fractional milliseconds. Both reconnect when gunicorn's sync workers close the
connection after each response, and both keep 16 requests in flight.
"""

from __future__ import annotations

import json
import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

WRK_SCRIPT = """\
wrk.method = "{method}"
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRKJSON {{\\"requests\\": %.0f, \\"duration_us\\": %.0f, \\"p50_us\\": %.0f, \\"p99_us\\": %.0f, "
    .. "\\"socket_errors\\": %.0f, \\"status_errors\\": %.0f}}\\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
"""
AB_MAX_REQUESTS = 100_000_000  # ab stops at -t seconds; this only lifts its default cap of 50,000


@dataclass(frozen=True, slots=True)
class LoadSpec:
    connections: int
    threads: int
    seconds: int  # wrk and ab take whole seconds
    warmup_seconds: int


@dataclass(frozen=True, slots=True)
class LoadResult:
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int


def _header_args(headers: dict[str, str]) -> list[str]:
    return [arg for name, value in headers.items() for arg in ("-H", f"{name}: {value}")]


def run_wrk(method: str, url: str, headers: dict[str, str], load: LoadSpec, seconds: int) -> LoadResult:
    if method == "HEAD":
        raise ValueError("wrk 4.1 cannot measure HEAD (wg/wrk#198); use ab")
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_SCRIPT.format(method=method))
        script.flush()
        command = ["wrk", "-t", str(load.threads), "-c", str(load.connections), "-d", f"{seconds}s"]
        command += ["-s", script.name, *_header_args(headers), url]
        output = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    line = next(line for line in output.splitlines() if line.startswith("WRKJSON "))
    data = json.loads(line.removeprefix("WRKJSON "))
    return LoadResult(
        requests=int(data["requests"]),
        seconds=data["duration_us"] / 1e6,
        p50_ms=data["p50_us"] / 1000,
        p99_ms=data["p99_us"] / 1000,
        errors=int(data["socket_errors"] + data["status_errors"]),
    )


def _ab_number(output: str, label: str, default: float | None = None) -> float:
    match = re.search(rf"^{re.escape(label)}:\s+([\d.]+)", output, re.MULTILINE)
    if match:
        return float(match.group(1))
    if default is None:
        raise RuntimeError(f"ab printed no {label!r}:\n{output}")
    return default


def _ab_percentiles(csv_path: Path) -> dict[int, float]:
    """ab's `-e` CSV: one `percent,milliseconds` line per percent from 0 to 99."""
    rows = csv_path.read_text().splitlines()[1:]
    return {int(percent): float(ms) for percent, ms in (row.split(",") for row in rows)}


def run_ab(method: str, url: str, headers: dict[str, str], load: LoadSpec, seconds: int) -> LoadResult:
    with tempfile.NamedTemporaryFile(suffix=".csv") as csv:
        command = ["ab", "-q", "-k", "-c", str(load.connections), "-t", str(seconds)]
        command += ["-n", str(AB_MAX_REQUESTS), "-e", csv.name, *_header_args(headers)]
        if method == "HEAD":
            command.append("-i")
        elif method != "GET":
            raise ValueError(f"ab measures GET and HEAD, not {method}")
        output = subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout
        percentiles = _ab_percentiles(Path(csv.name))
    failed = _ab_number(output, "Failed requests") + _ab_number(output, "Non-2xx responses", 0.0)
    return LoadResult(
        requests=int(_ab_number(output, "Complete requests")),
        seconds=_ab_number(output, "Time taken for tests"),
        p50_ms=percentiles[50],
        p99_ms=percentiles[99],
        errors=int(failed),
    )


TOOLS = {"wrk": run_wrk, "ab": run_ab}


def tool_for(method: str, choice: str) -> str:
    """`auto`: wrk where it works (GET), ab for HEAD."""
    if choice != "auto":
        return choice
    return "ab" if method == "HEAD" else "wrk"


def run_load(
    tool: str, method: str, url: str, headers: dict[str, str], load: LoadSpec, seconds: int
) -> LoadResult:
    return TOOLS[tool](method, url, headers, load, seconds)
