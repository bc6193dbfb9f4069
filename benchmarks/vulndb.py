"""Vulnerability database: import a large synthetic OSV all.zip, re-import it, match an inventory.

    .venv/bin/python benchmarks/vulndb.py --records 50000 [--database-url postgres://...]

Prints wall time and peak RSS of each phase as JSON. The records are shaped like real GHSA and
Debian ones (2 affected entries, 1-2 ranges, CVSS vectors, references); the database is a fresh
SQLite file in a temp dir unless --database-url is given (it is migrated, then used as is).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import random
import resource
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

ECOSYSTEMS = [("PyPI", "pypi"), ("npm", "npm"), ("Debian:12", "deb"), ("Maven", "maven")]


def record(index: int, rng: random.Random) -> dict:
    ecosystem, _ = ECOSYSTEMS[index % len(ECOSYSTEMS)]
    name = f"pkg{index % 5000}" if ecosystem != "Maven" else f"org.example:pkg{index % 5000}"
    major = rng.randint(0, 5)
    fixed = f"{major}.{rng.randint(0, 20)}.{rng.randint(1, 9)}"
    if ecosystem.startswith("Debian"):
        fixed += f"-{rng.randint(1, 4)}+deb12u{rng.randint(1, 3)}"
    return {
        "schema_version": "1.6.0",
        "id": f"BENCH-{index:07d}",
        "aliases": [f"CVE-2024-{index:07d}"],
        "summary": "A synthetic advisory shaped like a real one " * 2,
        "details": "Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 20,
        "published": "2024-01-01T00:00:00Z",
        "modified": "2024-06-01T00:00:00Z",
        "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:N"}],
        "affected": [
            {
                "package": {"ecosystem": ecosystem, "name": name},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}],
            },
            {
                "package": {"ecosystem": ecosystem, "name": name + "-extra"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": fixed}]}],
            },
        ],
        "references": [{"type": "WEB", "url": f"https://example.org/advisories/{index}"}] * 3,
    }


def build_zip(path: Path, count: int) -> None:
    rng = random.Random(42)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for index in range(count):
            archive.writestr(f"BENCH-{index:07d}.json", json.dumps(record(index, rng)))


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", type=int, default=50000)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="vulndb-bench-"))
    os.environ["HARBOR_DATA_DIR"] = str(work)
    os.environ["HARBOR_DATABASE_URL"] = args.database_url or f"sqlite:///{work}/bench.sqlite3"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbor_site.settings")
    import django

    django.setup()
    import logging

    logging.getLogger("scanning").setLevel(logging.WARNING)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from scanning.inventory.model import Inventory, OperatingSystem, Package
    from scanning.vulndb.importer import import_source, source_for
    from scanning.vulndb.match import findings

    archive = work / "all.zip"
    # Built in a child process, so this process's peak RSS is the import's alone.
    builder = multiprocessing.get_context("fork").Process(target=build_zip, args=(archive, args.records))
    builder.start()
    builder.join()
    zip_mib = round(archive.stat().st_size / 2**20, 1)
    results: dict[str, object] = {"records": args.records, "zip_mib": zip_mib}
    results["rss_before_import_mib"] = round(peak_mib(), 1)
    source = source_for("bench", str(archive))
    for phase in ("first_import", "unchanged_reimport"):
        start = time.perf_counter()
        outcome = import_source(source)
        results[phase] = {
            "seconds": round(time.perf_counter() - start, 2),
            "written": outcome.written,
            "peak_rss_mib": round(peak_mib(), 1),
        }
    packages = []
    for i in range(300):
        kind = ECOSYSTEMS[i % len(ECOSYSTEMS)][1]
        name = f"org.example:pkg{i}" if kind == "maven" else f"pkg{i}"
        packages.append(Package(kind, name, "1.0.0", f"pkg{i}", "1.0.0-1", "", ""))
    inventory = Inventory(OperatingSystem("debian", "12"), packages)
    start = time.perf_counter()
    found = findings(inventory)
    results["match_300_packages"] = {"seconds": round(time.perf_counter() - start, 3), "findings": len(found)}
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
