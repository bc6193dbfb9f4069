"""`manage.py vulndb import|status`: load OSV feeds by hand (offline machines) and inspect them.

vulndb import                       every configured source (HARBOR_VULNDB_SOURCES)
vulndb import --source Debian       one configured source
vulndb import /srv/osv/debian.zip   a local zip, JSON file or directory (source named after it)
vulndb import --source debian-12 /srv/osv/debian.zip
vulndb status [--json]
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.core.serializers.json import DjangoJSONEncoder

from scanning.vulndb.importer import ImportResult, import_source, refresh_configured, source_for
from scanning.vulndb.sources import SourceError, is_url
from scanning.vulndb.status import status


class Command(BaseCommand):
    help = "Import OSV advisories into the vulnerability database, or show its status."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        do_import = sub.add_parser("import", help="import configured sources, or a file, directory or URL")
        do_import.add_argument("--source", help="name of the source to import into")
        do_import.add_argument("location", nargs="?", help="OSV zip, JSON file, directory or URL")
        show = sub.add_parser("status", help="advisory counts and the last import of each source")
        show.add_argument("--json", action="store_true", help="print JSON")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "status":
            self._status(options["json"])
        else:
            self._import(options["source"], options["location"])

    def _import(self, name: str | None, location: str | None) -> None:
        if location and not is_url(location):
            location = str(Path(location).resolve())
        try:
            if name is None and location is None:
                outcomes = refresh_configured()
                if not outcomes:
                    self.stdout.write("no sources configured (HARBOR_VULNDB_SOURCES is empty)")
            else:
                source_name = name or _default_name(str(location))
                outcomes = [import_source(source_for(source_name, location))]
        except SourceError as exc:
            raise CommandError(str(exc)) from exc
        failed = [o for o in outcomes if isinstance(o, SourceError)]
        for outcome in outcomes:
            if isinstance(outcome, ImportResult):
                self._report(outcome)
            else:
                self.stderr.write(f"error: {outcome}")
        if failed:
            raise CommandError(f"{len(failed)} of {len(outcomes)} sources failed")

    def _report(self, result: ImportResult) -> None:
        if result.not_modified:
            self.stdout.write(f"{result.source}: not modified since the last import")
            return
        self.stdout.write(
            f"{result.source}: {result.records} records, {result.written} written, "
            f"{result.unchanged} unchanged, {result.skipped} skipped"
        )
        for warning in result.warnings:
            self.stderr.write(f"  skipped {warning}")
        if result.skipped > len(result.warnings):
            self.stderr.write(f"  ... and {result.skipped - len(result.warnings)} more")

    def _status(self, as_json: bool) -> None:
        current = status()
        if as_json:
            self.stdout.write(json.dumps(current, cls=DjangoJSONEncoder, indent=2))
            return
        self.stdout.write(
            f"{current['advisory_count']} advisories, {current['affected_package_count']} affected "
            f"packages, last update {current['updated_at'] or 'never'}"
        )
        for s in current["sources"]:
            line = (
                f"  {s['name']}: {s['advisory_count']} advisories, imported {s['last_import_at'] or 'never'}"
            )
            if s["skipped_count"]:
                line += f", {s['skipped_count']} records skipped"
            if s["last_error"]:
                line += f", last error: {s['last_error']}"
            self.stdout.write(line)


def _default_name(location: str) -> str:
    """ "Debian/all.zip" for /srv/osv/Debian/all.zip or an OSV URL: short, and unique enough
    that two feeds' all.zip files do not share a source."""
    parts = [part for part in location.rstrip("/").split("/") if part]
    return "/".join(parts[-2:])[-100:]
