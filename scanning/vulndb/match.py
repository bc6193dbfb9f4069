"""Match an image's inventory against the vulnerability database.

`findings(inventory)` looks every package up in one query per batch of packages (not one per
package), decides with the ecosystem's own version ordering whether each advisory affects the
installed version, and merges advisories that describe the same vulnerability (GHSA and PYSEC
for one CVE; a Debian DSA bundling CVEs already reported one by one), so a report lists each
vulnerability of a package once, under its CVE id where it has one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q

from scanning.inventory.model import Inventory, Package
from scanning.models import AffectedPackage

from . import ecosystems
from .ranges import UnparsableVersion, evaluate, parse_version
from .severity import rank

BATCH_SIZE = 400
OSV_LINK = "https://osv.dev/vulnerability/"


@dataclass(frozen=True)
class Finding:
    package: Package
    id: str  # the CVE id where there is one, else the advisory id
    advisory_ids: tuple[str, ...]
    cve_ids: tuple[str, ...]
    severity: str
    installed_version: str
    fix_versions: tuple[str, ...]  # lowest first; empty when no fix is published
    links: tuple[str, ...]
    summary: str = ""
    description: str = ""  # the advisory's details (Harbor's report shows them)
    cwe_ids: tuple[str, ...] = ()
    cvss_vector: str = ""
    cvss_score: float | None = None


@dataclass
class _Hit:
    """One matching affected row, before merging."""

    row: AffectedPackage
    fixes: tuple[str, ...]

    @property
    def cves(self) -> list[str]:
        return self.row.advisory.cve_ids

    @property
    def names(self) -> set[str]:
        advisory = self.row.advisory
        return {advisory.osv_id, *advisory.aliases, *advisory.cve_ids}

    @property
    def severity(self) -> str:
        return self.row.severity or self.row.advisory.severity


@dataclass
class _Query:
    package: Package
    ecosystem: str
    names: list[str]
    version: str
    hits: list[_Hit] = field(default_factory=list)


def findings(inventory: Inventory, warnings: list[str] | None = None) -> list[Finding]:
    """The vulnerabilities of `inventory`'s packages, sorted by package, then severity.

    What cannot be decided (a package no ecosystem covers, a version its comparator rejects) is
    appended to `warnings`, by default the inventory's own, so the scan report shows it.
    """
    warnings = inventory.warnings if warnings is None else warnings
    queries = []
    for package in inventory.packages:
        try:
            ecosystem = ecosystems.ecosystem_of(package, inventory.os)
        except ecosystems.Unsupported as exc:
            warnings.append(f"{package.name} {package.version}: {exc}")
            continue
        names, version = ecosystems.lookup(package, ecosystem)
        if any("\x00" in name for name in names):  # from a hostile image; no database takes it
            warnings.append(f"{package.name!r}: a package name holding a NUL character is not looked up")
            continue
        queries.append(_Query(package, ecosystem, names, version))
    for start in range(0, len(queries), BATCH_SIZE):
        _collect(queries[start : start + BATCH_SIZE], warnings)
    result = [finding for query in queries for finding in _merge(query)]
    result.sort(key=lambda f: (f.package.name, f.package.version, -rank(f.severity), f.id))
    return result


def _collect(batch: list[_Query], warnings: list[str]) -> None:
    """Fetch the affected rows of a batch of packages in one query and evaluate them."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for query in batch:
        wanted[query.ecosystem].update(query.names)
    if not wanted:
        return  # an empty Q() would match every row
    condition = Q()
    for ecosystem, names in wanted.items():
        if ecosystems.is_prefix_ecosystem(ecosystem):
            where = Q(ecosystem=ecosystem) | Q(ecosystem__startswith=ecosystem + ":")
        else:
            where = Q(ecosystem=ecosystem)
        condition |= where & Q(package_key__in=sorted(names))
    rows: dict[tuple[str, str], list[AffectedPackage]] = defaultdict(list)
    queryset = AffectedPackage.objects.filter(condition, advisory__withdrawn__isnull=True)
    for row in queryset.select_related("advisory"):
        rows[(ecosystems.family(row.ecosystem), row.package_key)].append(row)
    for query in batch:
        for name in query.names:
            for row in rows.get((query.ecosystem, name), ()):
                _evaluate(query, row, warnings)


def _evaluate(query: _Query, row: AffectedPackage, warnings: list[str]) -> None:
    cls = ecosystems.version_class(row.ecosystem)
    if cls is None:
        return
    try:
        verdict = evaluate(cls, query.version, row.ranges, row.versions)
    except UnparsableVersion as exc:
        warnings.append(f"{query.package.name} {query.version}: {row.advisory_id} not checked: {exc}")
        return
    if verdict.affected:
        query.hits.append(_Hit(row, verdict.fixed_in))


def _merge(query: _Query) -> list[Finding]:
    """Group hits naming the same vulnerability; a bundle advisory (several CVEs) joins the
    groups of its CVEs when every one of them is already reported, else stands alone."""
    singles = [hit for hit in query.hits if len(hit.cves) <= 1]
    bundles = [hit for hit in query.hits if len(hit.cves) > 1]
    groups = _connected(singles)
    by_cve = {cve: group for group in groups for hit in group for cve in hit.cves}
    for bundle in bundles:
        if all(cve in by_cve for cve in bundle.cves):
            for cve in bundle.cves:
                if bundle not in by_cve[cve]:
                    by_cve[cve].append(bundle)
        else:
            groups.append([bundle])
    return [_finding(query, group) for group in groups]


def _connected(hits: list[_Hit]) -> list[list[_Hit]]:
    """Hits that share an id, alias or CVE, transitively (PYSEC -> GHSA -> CVE)."""
    groups: list[tuple[set[str], list[_Hit]]] = []
    for hit in hits:
        names, members = set(hit.names), [hit]
        for group in [g for g in groups if g[0] & names]:
            groups.remove(group)
            names |= group[0]
            members = group[1] + members
        groups.append((names, members))
    return [members for _, members in groups]


def _finding(query: _Query, group: list[_Hit]) -> Finding:
    # In a fixed order (CVE, GHSA, then by id), so summary, description and CVSS are chosen
    # the same way whatever order the database returned the rows in.
    unique = {hit.row.advisory.osv_id: hit.row.advisory for hit in group}
    advisories = [unique[osv_id] for osv_id in sorted(unique, key=_id_preference)]
    cves = sorted({cve for hit in group for cve in hit.cves})
    own_cves = sorted({cve for hit in group if len(hit.cves) <= 1 for cve in hit.cves})
    ids = [a.osv_id for a in advisories]
    rated = max(group, key=lambda hit: rank(hit.severity))
    scored = next((a for a in advisories if a.cvss_vector), None)
    bundle_alone = len(group) == 1 and len(cves) > 1  # keeps its own id (DSA-...)
    identifier = ids[0] if bundle_alone else (own_cves or cves or ids)[0]
    links = [*(OSV_LINK + osv_id for osv_id in ids), *(url for a in advisories for url in a.references)]
    return Finding(
        package=query.package,
        id=identifier,
        advisory_ids=tuple(ids),
        cve_ids=tuple(own_cves or cves),  # a joined bundle's other CVEs are their own findings
        severity=rated.severity,
        installed_version=query.package.version,
        fix_versions=_lowest_first(query.ecosystem, (v for hit in group for v in hit.fixes)),
        links=tuple(dict.fromkeys(links)),
        summary=next((a.summary for a in advisories if a.summary), ""),
        description=next((a.details for a in advisories if a.details), ""),
        cwe_ids=tuple(sorted({cwe for a in advisories for cwe in a.cwe_ids})),
        cvss_vector=scored.cvss_vector if scored else "",
        cvss_score=scored.cvss_score if scored else None,
    )


def _id_preference(osv_id: str) -> tuple[int, str]:
    """CVE, then GitHub's GHSA, then the rest, for a stable choice of the name shown."""
    order = 0 if osv_id.startswith("CVE-") else 1 if osv_id.startswith("GHSA-") else 2
    return order, osv_id


def _lowest_first(ecosystem: str, versions: Iterable[str]) -> tuple[str, ...]:
    unique = set(versions)
    cls = ecosystems.version_class(ecosystem)
    try:
        return tuple(sorted(unique, key=lambda v: parse_version(cls, v))) if cls else tuple(sorted(unique))
    except UnparsableVersion:
        return tuple(sorted(unique))
