"""Matching installed packages against the imported real advisories, ecosystem by ecosystem."""

from __future__ import annotations

import pytest

from scanning.inventory.model import Inventory, OperatingSystem
from scanning.vulndb.ecosystems import ecosystem_of
from scanning.vulndb.importer import import_source, source_for
from scanning.vulndb.match import findings

from .conftest import write_record

DEBIAN_12 = OperatingSystem("debian", "12", "Debian GNU/Linux 12 (bookworm)")


def found(inventory: Inventory) -> dict[tuple[str, str], tuple[str, ...]]:
    """{(package, vulnerability id): fix versions} of a scan."""
    return {(f.package.name, f.id): f.fix_versions for f in findings(inventory)}


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        # bookworm's 3.0.11 before the DSA: both CVEs; the DSA and Debian's CVE record are one finding
        (
            "3.0.11-1~deb12u1",
            {"CVE-2023-5363": ("3.0.11-1~deb12u2",), "CVE-2023-5678": ("3.0.13-1~deb12u1",)},
        ),
        ("3.0.11-1~deb12u2", {"CVE-2023-5678": ("3.0.13-1~deb12u1",)}),  # the fixed version
        ("3.0.11-1", {"CVE-2023-5678": ("3.0.13-1~deb12u1",)}),  # no tilde sorts after ~deb12u2
        ("3.0.13-1~deb12u1", {}),
        ("3.0.15-1~deb12u1", {}),
    ],
)
def test_debian_openssl_with_tilde_versions(vulndb, package, version, expected):
    libssl = package("deb", "libssl3", version, "openssl", version)
    assert found(Inventory(DEBIAN_12, [libssl])) == {("libssl3", cve): fix for cve, fix in expected.items()}


def test_debian_finding_carries_both_advisories_severity_and_links(vulndb, package):
    libssl = package("deb", "libssl3", "3.0.11-1~deb12u1", "openssl", "3.0.11-1~deb12u1")
    by_id = {f.id: f for f in findings(Inventory(DEBIAN_12, [libssl]))}
    merged = by_id["CVE-2023-5363"]
    assert merged.advisory_ids == ("DEBIAN-CVE-2023-5363", "DSA-5532-1")
    assert merged.cve_ids == ("CVE-2023-5363",)
    assert merged.installed_version == "3.0.11-1~deb12u1"
    assert "https://osv.dev/vulnerability/DSA-5532-1" in merged.links
    assert "https://www.debian.org/security/2023/dsa-5532" in merged.links
    assert merged.severity == "Unknown"  # "not yet assigned" urgency
    assert merged.summary == "openssl - security update"  # the DSA's; Debian's CVE record has none
    assert merged.description.startswith("Issue summary: A bug has been identified")
    assert by_id["CVE-2023-5678"].severity == "Low"  # Debian's urgency


@pytest.mark.parametrize(
    ("version", "affected"),
    [
        ("1:1.2.11.dfsg-4", True),
        ("1:1.2.11.dfsg-4.1", False),
        ("1:1.2.13.dfsg-1", False),  # bookworm's zlib
        ("1.2.13.dfsg-1", True),  # without the epoch it is older than any 1: version
        ("2:1.0-1", False),  # a higher epoch wins whatever follows
    ],
)
def test_debian_epochs(vulndb, package, version, affected):
    zlib = package("deb", "zlib1g", version, "zlib", version)
    expected = {("zlib1g", "CVE-2022-37434"): ("1:1.2.11.dfsg-4.1",)} if affected else {}
    assert found(Inventory(DEBIAN_12, [zlib])) == expected


def test_debian_release_selects_the_advisory_ecosystem(vulndb, package):
    zlib = package("deb", "zlib1g", "1:1.2.11.dfsg-2+deb11u1", "zlib", "1:1.2.11.dfsg-2+deb11u1")
    bullseye = OperatingSystem("debian", "11.9")
    assert found(Inventory(bullseye, [zlib])) == {("zlib1g", "CVE-2022-37434"): ("1:1.2.11.dfsg-2+deb11u2",)}


def test_debian_binary_matched_through_its_source_version(vulndb, package):
    # libc6 of a binNMU: its own version has +b1, the advisory is about the source package glibc.
    libc = package("deb", "libc6", "2.36-9+deb12u1+b1", "glibc", "2.36-9+deb12u1")
    assert found(Inventory(DEBIAN_12, [libc])) == {("libc6", "CVE-2023-4911"): ("2.36-9+deb12u3",)}
    patched = package("deb", "libc6", "2.36-9+deb12u3", "glibc", "2.36-9+deb12u3")
    assert found(Inventory(DEBIAN_12, [patched])) == {}


def test_ubuntu_lts_and_priority(vulndb, package):
    jammy = OperatingSystem("ubuntu", "22.04")
    libc = package("deb", "libc6", "2.35-0ubuntu3.3", "glibc", "2.35-0ubuntu3.3")
    [finding] = findings(Inventory(jammy, [libc]))
    assert (finding.id, finding.severity, finding.fix_versions) == (
        "CVE-2023-4911",
        "High",
        ("2.35-0ubuntu3.4",),
    )
    assert finding.cvss_score == 7.8
    lunar = OperatingSystem("ubuntu", "23.04")  # not LTS: "Ubuntu:23.04"
    libc_lunar = package("deb", "libc6", "2.37-0ubuntu2", "glibc", "2.37-0ubuntu2")
    assert found(Inventory(lunar, [libc_lunar])) == {("libc6", "CVE-2023-4911"): ("2.37-0ubuntu2.1",)}
    fixed = package("deb", "libc6", "2.35-0ubuntu3.4", "glibc", "2.35-0ubuntu3.4")
    assert found(Inventory(jammy, [fixed])) == {}


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("3.1.4-r2", {"CVE-2023-6129": ("3.1.4-r3",), "CVE-2024-0727": ("3.1.4-r5",)}),
        ("3.1.4-r4", {"CVE-2024-0727": ("3.1.4-r5",)}),
        ("3.1.4-r5", {}),
        ("3.1.5-r0", {}),
    ],
)
def test_alpine_by_origin(vulndb, package, version, expected):
    alpine = OperatingSystem("alpine", "3.19.1")
    libcrypto = package("apk", "libcrypto3", version, "openssl", version)
    assert found(Inventory(alpine, [libcrypto])) == {
        ("libcrypto3", cve): fix for cve, fix in expected.items()
    }


def test_almalinux_rpm_by_binary_name(vulndb, package):
    alma = OperatingSystem("almalinux", "9.2")
    common = package("rpm", "glibc-common", "2.34-60.el9", "glibc", "2.34-60.el9")
    [finding] = findings(Inventory(alma, [common]))
    assert (finding.id, finding.advisory_ids, finding.severity) == (
        "CVE-2023-4911",
        ("ALSA-2023:5453",),
        "High",
    )
    assert finding.fix_versions == ("2.34-60.el9_2.7",)
    patched = package("rpm", "glibc-common", "2.34-60.el9_2.7", "glibc", "2.34-60.el9_2.7")
    assert found(Inventory(alma, [patched])) == {}


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("2.28.0", {"CVE-2023-32681": ("2.31.0",), "CVE-2024-35195": ("2.32.0",)}),
        ("2.31.0", {"CVE-2024-35195": ("2.32.0",)}),
        ("2.32.0", {}),
        ("2.2.1", {"CVE-2024-35195": ("2.32.0",)}),  # before 2.3.0 introduced the proxy leak
        ("2.31.0rc1", {"CVE-2023-32681": ("2.31.0",), "CVE-2024-35195": ("2.32.0",)}),  # PEP 440 pre
        ("2.32.0.post1", {}),
    ],
)
def test_pypi_requests(vulndb, package, version, expected):
    requests = package("pypi", "requests", version)
    assert found(Inventory(None, [requests])) == {("requests", cve): fix for cve, fix in expected.items()}


def test_pypi_ghsa_and_pysec_are_one_finding(vulndb, package):
    [finding, _] = findings(Inventory(None, [package("pypi", "requests", "2.30.0")]))
    assert finding.id == "CVE-2023-32681"
    assert finding.advisory_ids == ("GHSA-j8r2-6x86-qq4g", "PYSEC-2023-74")
    assert finding.severity == "Medium" and finding.cvss_score == 6.1
    assert finding.cwe_ids == ("CWE-200",)


@pytest.mark.parametrize(
    ("name", "version", "expected"),
    [
        ("Jinja2", "3.1.2", {"CVE-2024-22195": ("3.1.3",)}),  # PEP 503: Jinja2 is jinja2
        ("jinja2", "3.1.3rc1", {"CVE-2024-22195": ("3.1.3",)}),  # a pre-release of the fix is before it
        ("Jinja2", "3.1.3", {}),
        ("urllib3", "1.26.16", {"CVE-2023-43804": ("1.26.17",), "CVE-2023-45803": ("1.26.18",)}),
        ("urllib3", "2.0.5", {"CVE-2023-43804": ("2.0.6",), "CVE-2023-45803": ("2.0.7",)}),
        ("urllib3", "2.0.6", {"CVE-2023-45803": ("2.0.7",)}),
        ("urllib3", "2.0.0a1", {}),  # after 1.26.x, before 2.0.0 opened the second range
        ("urllib3", "2.0.0", {"CVE-2023-43804": ("2.0.6",), "CVE-2023-45803": ("2.0.7",)}),
    ],
)
def test_pypi_pep440(vulndb, package, name, version, expected):
    assert found(Inventory(None, [package("pypi", name, version)])) == {
        (name, cve): fix for cve, fix in expected.items()
    }


LOG4J_PURL = "pkg:maven/org.apache.logging.log4j/log4j-core@{}"


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("2.14.1", {"CVE-2021-44228": ("2.15.0",), "CVE-2021-45046": ("2.16.0",)}),
        ("2.15.0", {"CVE-2021-45046": ("2.16.0",)}),
        ("2.16.0", {}),
        ("2.0-beta9", {"CVE-2021-44228": ("2.3.1",), "CVE-2021-45046": ("2.12.2",)}),
        ("2.0-alpha1", {}),  # Maven: alpha < beta9, before the vulnerable code
        ("2.3", {"CVE-2021-44228": ("2.3.1",), "CVE-2021-45046": ("2.12.2",)}),
        ("2.3.1", {"CVE-2021-45046": ("2.12.2",)}),
        ("2.12.2", {}),
        ("2.17.1", {}),
    ],
)
def test_maven_log4j(vulndb, package, version, expected):
    log4j = package("maven", "log4j-core", version, purl=LOG4J_PURL.format(version))
    by_id = {f.id: f for f in findings(Inventory(None, [log4j]))}
    assert {cve: f.fix_versions for cve, f in by_id.items()} == expected
    assert all(f.severity == "Critical" for f in by_id.values())


def test_maven_group_artifact_name_works_without_purl(vulndb, package):
    log4j = package("maven", "org.apache.logging.log4j:log4j-core", "2.14.1", purl="x")
    assert {f.id for f in findings(Inventory(None, [log4j]))} == {"CVE-2021-44228", "CVE-2021-45046"}


def test_go_module_versions_with_v_prefix(vulndb, package):
    xnet = package("golang", "golang.org/x/net", "v0.10.0")
    assert found(Inventory(None, [xnet])) == {
        ("golang.org/x/net", "CVE-2023-39325"): ("0.17.0",),
        ("golang.org/x/net", "CVE-2023-45288"): ("0.23.0",),
    }
    assert found(Inventory(None, [package("golang", "golang.org/x/net", "v0.17.0")])) == {
        ("golang.org/x/net", "CVE-2023-45288"): ("0.23.0",)
    }
    # As the inventory records the toolchain: `go1.21.1`. In the second interval of a two-interval range.
    stdlib = package("golang", "stdlib", "go1.21.1")
    assert found(Inventory(None, [stdlib])) == {
        ("stdlib", "CVE-2023-39325"): ("1.21.3",),
        ("stdlib", "CVE-2023-45288"): ("1.21.9", "1.22.2"),
    }


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("4.17.15", {"CVE-2020-8203": ("4.17.19",), "CVE-2021-23337": ("4.17.21",)}),
        ("4.17.20", {"CVE-2021-23337": ("4.17.21",)}),
        ("4.17.21", {}),
        ("3.6.0", {"CVE-2021-23337": ("4.17.21",)}),  # before 3.7.0 introduced the pollution
    ],
)
def test_npm_lodash(vulndb, package, version, expected):
    lodash = package("npm", "lodash", version)
    by_id = {f.id: f for f in findings(Inventory(None, [lodash]))}
    assert {cve: f.fix_versions for cve, f in by_id.items()} == expected
    assert all(f.severity == "High" for f in by_id.values())


@pytest.mark.parametrize(
    ("version", "fix"),
    [("2.2.8", "2.2.8.1"), ("2.0.9.3", "2.0.9.4"), ("3.0.0", "3.0.9.1"), ("2.2.8.1", None), ("3.1.0", None)],
)
def test_rubygems_rack(vulndb, package, version, fix):
    expected = {("rack", "CVE-2024-26146"): (fix,)} if fix else {}
    assert found(Inventory(None, [package("gem", "rack", version)])) == expected


def test_unparsable_version_is_a_warning_not_a_crash(vulndb, package):
    inventory = Inventory(
        DEBIAN_12,
        [
            package("pypi", "requests", "not a version!"),
            package("deb", "zlib1g", "1:1.2.11.dfsg-4", "zlib", "1:1.2.11.dfsg-4"),
        ],
    )
    assert found(inventory) == {("zlib1g", "CVE-2022-37434"): ("1:1.2.11.dfsg-4.1",)}
    assert any("requests not a version!" in w and "not a valid PypiVersion" in w for w in inventory.warnings)


def test_a_hostile_package_name_is_a_warning(vulndb, package):
    inventory = Inventory(
        DEBIAN_12, [package("pypi", "requ\x00ests", "2.28.0"), package("gem", "rack", "2.2.8")]
    )
    assert found(inventory) == {("rack", "CVE-2024-26146"): ("2.2.8.1",)}
    assert inventory.warnings == ["'requ\\x00ests': a package name holding a NUL character is not looked up"]


def test_unsupported_packages_are_warnings(vulndb, package):
    inventory = Inventory(OperatingSystem("gentoo", "2.14"), [package("deb", "zlib1g", "1:1.2.11.dfsg-4")])
    assert findings(inventory) == []
    assert inventory.warnings == [
        "zlib1g 1:1.2.11.dfsg-4: no vulnerability data for deb packages on gentoo 2.14"
    ]
    warnings: list[str] = []
    assert findings(Inventory(None, [package("cargo", "serde", "1.0.0")]), warnings) == []
    assert warnings == ["serde 1.0.0: no vulnerability data for cargo packages"]


def test_one_query_per_batch_of_packages(vulndb, package, django_assert_num_queries):
    mixed = [
        package("deb", "libssl3", "3.0.11-1~deb12u1", "openssl", "3.0.11-1~deb12u1"),
        package("deb", "zlib1g", "1:1.2.11.dfsg-4", "zlib", "1:1.2.11.dfsg-4"),
        package("pypi", "requests", "2.28.0"),
        package("pypi", "Jinja2", "3.1.2"),
        package("npm", "lodash", "4.17.15"),
        package("golang", "golang.org/x/net", "v0.10.0"),
        package("maven", "log4j-core", "2.14.1", purl=LOG4J_PURL.format("2.14.1")),
        package("gem", "rack", "2.2.8"),
    ]
    with django_assert_num_queries(1):
        result = findings(Inventory(DEBIAN_12, mixed))
    assert len(result) == 13
    many = [package("pypi", f"pkg{i}", "1.0") for i in range(900)] + mixed
    with django_assert_num_queries(3):  # 908 packages in batches of 400
        result = findings(Inventory(DEBIAN_12, many))
    assert len(result) == 13


def test_nothing_to_look_up_costs_no_query(vulndb, package, django_assert_num_queries):
    unsupported = Inventory(None, [package("deb", "zlib1g", "1:1.2.11.dfsg-4")])
    with django_assert_num_queries(0):
        assert findings(Inventory(DEBIAN_12, [])) == []
        assert findings(unsupported) == []


def _import_extra(tmp_path, record):
    directory = tmp_path / "extra"
    directory.mkdir(exist_ok=True)
    write_record(directory, record)
    import_source(source_for("extra", str(directory)))


def test_explicit_versions_and_git_ranges(db, tmp_path, package):
    _import_extra(
        tmp_path,
        {
            "id": "PYSEC-0000-1",
            "modified": "2024-01-01T00:00:00Z",
            "affected": [
                {
                    "package": {"ecosystem": "PyPI", "name": "demo"},
                    "ranges": [
                        {
                            "type": "GIT",
                            "repo": "https://x",
                            "events": [{"introduced": "0"}, {"fixed": "abc"}],
                        }
                    ],
                    "versions": ["1.0.0", "1.0.1"],
                }
            ],
        },
    )
    assert found(Inventory(None, [package("pypi", "demo", "1.0.1")])) == {("demo", "PYSEC-0000-1"): ()}
    assert found(Inventory(None, [package("pypi", "demo", "1.0.2")])) == {}


def test_last_affected_and_withdrawn(db, tmp_path, package):
    base = {
        "modified": "2024-01-01T00:00:00Z",
        "affected": [
            {
                "package": {"ecosystem": "npm", "name": "demo"},
                "ranges": [
                    {"type": "SEMVER", "events": [{"introduced": "1.0.0"}, {"last_affected": "1.2.0"}]}
                ],
            }
        ],
    }
    _import_extra(tmp_path, {"id": "GHSA-aaaa-bbbb-cccc", **base})
    _import_extra(tmp_path, {"id": "GHSA-dddd-eeee-ffff", "withdrawn": "2024-02-01T00:00:00Z", **base})
    assert found(Inventory(None, [package("npm", "demo", "1.2.0")])) == {("demo", "GHSA-aaaa-bbbb-cccc"): ()}
    assert found(Inventory(None, [package("npm", "demo", "1.2.1")])) == {}
    assert found(Inventory(None, [package("npm", "demo", "0.9.0")])) == {}


def test_a_bundle_with_new_cves_stands_alone(db, tmp_path, package):
    _import_extra(
        tmp_path,
        {
            "id": "DLA-3000-1",
            "modified": "2024-01-01T00:00:00Z",
            "related": ["CVE-2022-0001", "CVE-2022-0002"],
            "affected": [
                {
                    "package": {"ecosystem": "Debian:12", "name": "demo"},
                    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.0-2"}]}],
                }
            ],
        },
    )
    _import_extra(
        tmp_path,
        {
            "id": "DEBIAN-CVE-2022-0001",
            "upstream": ["CVE-2022-0001"],
            "modified": "2024-01-01T00:00:00Z",
            "affected": [
                {
                    "package": {"ecosystem": "Debian:12", "name": "demo"},
                    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.0-2"}]}],
                }
            ],
        },
    )
    demo = package("deb", "demo", "1.0-1")
    # CVE-2022-0002 has no record of its own, so the bundle is reported under its own id.
    assert found(Inventory(DEBIAN_12, [demo])) == {
        ("demo", "CVE-2022-0001"): ("1.0-2",),
        ("demo", "DLA-3000-1"): ("1.0-2",),
    }
    # Once each of its CVEs has a record, the bundle only adds its id to their findings.
    _import_extra(
        tmp_path,
        {
            "id": "DEBIAN-CVE-2022-0002",
            "upstream": ["CVE-2022-0002"],
            "modified": "2024-01-01T00:00:00Z",
            "affected": [
                {
                    "package": {"ecosystem": "Debian:12", "name": "demo"},
                    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.0-3"}]}],
                }
            ],
        },
    )
    result = {
        f.id: (f.advisory_ids, f.cve_ids, f.fix_versions) for f in findings(Inventory(DEBIAN_12, [demo]))
    }
    assert result == {
        "CVE-2022-0001": (("DEBIAN-CVE-2022-0001", "DLA-3000-1"), ("CVE-2022-0001",), ("1.0-2",)),
        "CVE-2022-0002": (("DEBIAN-CVE-2022-0002", "DLA-3000-1"), ("CVE-2022-0002",), ("1.0-2", "1.0-3")),
    }


def test_rhel_matches_every_repository_of_its_release(db, tmp_path, package):
    """Red Hat's ecosystems carry a repository suffix; a RHEL 9 image matches all of them."""
    for index, (ecosystem, name) in enumerate(
        [
            ("Red Hat:enterprise_linux:9::baseos", "openssl-libs"),
            ("Red Hat:enterprise_linux:9::appstream", "openssl-libs"),
            ("Red Hat:enterprise_linux:8::baseos", "openssl-libs"),
        ]
    ):
        _import_extra(
            tmp_path,
            {
                "id": f"RHSA-2024:000{index}",
                "modified": "2024-01-01T00:00:00Z",
                "related": [f"CVE-2024-000{index}"],
                "affected": [
                    {
                        "package": {"ecosystem": ecosystem, "name": name},
                        "ranges": [
                            {
                                "type": "ECOSYSTEM",
                                "events": [{"introduced": "0"}, {"fixed": "1:3.0.7-27.el9"}],
                            }
                        ],
                    }
                ],
            },
        )
    rhel = OperatingSystem("rhel", "9.4")
    libs = package("rpm", "openssl-libs", "1:3.0.7-25.el9_3", "openssl", "1:3.0.7-25.el9_3")
    assert found(Inventory(rhel, [libs])) == {
        ("openssl-libs", "CVE-2024-0000"): ("1:3.0.7-27.el9",),
        ("openssl-libs", "CVE-2024-0001"): ("1:3.0.7-27.el9",),
    }
    newer = package("rpm", "openssl-libs", "1:3.0.7-27.el9", "openssl", "1:3.0.7-27.el9")
    assert found(Inventory(rhel, [newer])) == {}
    no_epoch = package("rpm", "openssl-libs", "3.0.7-28.el9", "openssl", "3.0.7-28.el9")  # epoch 0 < 1
    assert len(found(Inventory(rhel, [no_epoch]))) == 2


@pytest.mark.parametrize(
    ("os_id", "version_id", "kind", "ecosystem"),
    [
        ("debian", "12", "deb", "Debian:12"),
        ("debian", "11.9", "deb", "Debian:11"),
        ("ubuntu", "22.04", "deb", "Ubuntu:22.04:LTS"),
        ("ubuntu", "24.04", "deb", "Ubuntu:24.04:LTS"),
        ("ubuntu", "23.04", "deb", "Ubuntu:23.04"),
        ("ubuntu", "23.10", "deb", "Ubuntu:23.10"),
        ("alpine", "3.19.1", "apk", "Alpine:v3.19"),
        ("alpine", "3.20.0_alpha20240329", "apk", "Alpine:v3.20"),
        ("rocky", "9.3", "rpm", "Rocky Linux:9"),
        ("almalinux", "8.9", "rpm", "AlmaLinux:8"),
        ("rhel", "9.4", "rpm", "Red Hat:enterprise_linux:9"),
        ("alpine", "3.19.1", "pypi", "PyPI"),
        ("debian", "12", "npm", "npm"),
        ("debian", "12", "golang", "Go"),
        ("debian", "12", "maven", "Maven"),
        ("debian", "12", "gem", "RubyGems"),
    ],
)
def test_osv_ecosystem_names(package, os_id, version_id, kind, ecosystem):
    assert ecosystem_of(package(kind, "x", "1.0"), OperatingSystem(os_id, version_id)) == ecosystem
