"""The OS and its packages (dpkg, distroless dpkg, apk, rpm sqlite), read from layers built of
this machine's real package databases and checked against the package managers' own answers."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from packageurl import PackageURL

from .conftest import dpkg_query
from .layers import file, found, inventory, layer, symlink


def test_dpkg_status_and_os_release(sample_debs, os_release):
    os_text, os_values = os_release
    status = "\n".join(sample_debs.values())
    result = inventory(layer(file("etc/os-release", os_text), file("var/lib/dpkg/status", status)))

    assert result.os is not None
    assert (result.os.id, result.os.version_id) == (os_values["ID"], os_values.get("VERSION_ID", ""))
    assert result.os.pretty_name == os_values["PRETTY_NAME"]
    truth = dpkg_query(list(sample_debs))
    debs = {package.name: package for package in result.packages if package.type == "deb"}
    assert {name: (p.version, p.source_name, p.source_version) for name, p in debs.items()} == truth
    for package in debs.values():
        purl = PackageURL.from_string(package.purl)
        assert (purl.namespace, purl.name, purl.version) == (os_values["ID"], package.name, package.version)
        assert purl.qualifiers["distro"] == f"{os_values['ID']}-{os_values.get('VERSION_ID', '')}".rstrip("-")
    assert result.warnings == []


def test_distroless_status_d(sample_debs):
    members = []
    for name, text in sample_debs.items():
        members.append(file(f"var/lib/dpkg/status.d/{name}", text))
        members.append(
            file(f"var/lib/dpkg/status.d/{name}.md5sums", "d41d8cd98f00b204e9800998ecf8427e  usr/x\n")
        )
    result = inventory(layer(*members))
    assert found(result, "deb") == {
        name: version for name, (version, _, _) in dpkg_query(list(sample_debs)).items()
    }


def test_removed_and_config_files_records_are_not_installed(dpkg_records):
    text = next(iter(dpkg_records.values()))
    assert "Status: install ok installed" in text
    removed = text.replace("Status: install ok installed", "Status: deinstall ok config-files")
    result = inventory(layer(file("var/lib/dpkg/status", removed)))
    assert found(result, "deb") == {}


def test_malformed_dpkg_record_is_skipped_with_a_warning(sample_debs):
    good = list(sample_debs.values())
    broken = "Package: broken-one\nthis line has no field name\nVersion: 1.0\n"
    run_together = good[2].rstrip("\n") + "\n" + good[3]  # the blank line between them lost
    status = "\n".join([good[0], broken, good[1], run_together])
    result = inventory(layer(file("var/lib/dpkg/status", status)))
    assert set(found(result, "deb")) == set(list(sample_debs)[:2])
    assert result.warnings == [
        "var/lib/dpkg/status: record 2 skipped: line without a field name: 'this line has no field name'",
        "var/lib/dpkg/status: record 4 skipped: field Package repeated",
    ]


def test_os_release_symlink_is_followed_inside_the_image(os_release):
    os_text, os_values = os_release
    result = inventory(
        layer(symlink("etc/os-release", "../usr/lib/os-release"), file("usr/lib/os-release", os_text))
    )
    assert result.os is not None and result.os.id == os_values["ID"]


APK_INSTALLED = """\
C:Q1QDRxnE5vjVhU8kwhvPtpq3dCw9w=
P:musl
V:1.2.4_git20230717-r4
A:x86_64
S:407278
I:667648
T:the musl c library (libc) implementation
U:https://musl.libc.org/
L:MIT
o:musl
m:Timo Teräs <timo.teras@iki.fi>
t:1705063919
c:dc17f2f8ab47ff2b5d4ef0b4d6b1e4e3c81d9b04
F:lib
R:ld-musl-x86_64.so.1
a:0:0:755
Z:Q1oHCaX04w1S8r8TZi7wlFvl4TXqE=

C:Q1L3G2ejbIjeBy9Zm4FtgSGRIh6Mg=
P:libcrypto3
V:3.1.4-r5
A:x86_64
S:1732399
I:4734976
T:Crypto library from openssl
U:https://www.openssl.org/
L:Apache-2.0
o:openssl
m:Ariadne Conner <ariadne@dereferenced.org>
t:1707225000
c:b5f8c7a1a7a5d1c25e0a7e1a1cd87b7bb0ed8c12
D:so:libc.musl-x86_64.so.1
p:so:libcrypto.so.3=3
F:lib
R:libcrypto.so.3
"""


def test_apk_installed_with_origins():
    os_text = 'NAME="Alpine Linux"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME="Alpine Linux v3.19"\n'
    result = inventory(layer(file("etc/os-release", os_text), file("lib/apk/db/installed", APK_INSTALLED)))
    apks = {package.name: package for package in result.packages}
    assert {name: (p.version, p.source_name, p.licenses) for name, p in apks.items()} == {
        "musl": ("1.2.4_git20230717-r4", "musl", ("MIT",)),
        "libcrypto3": ("3.1.4-r5", "openssl", ("Apache-2.0",)),
    }
    assert apks["libcrypto3"].purl == "pkg:apk/alpine/libcrypto3@3.1.4-r5?arch=x86_64&distro=alpine-3.19.1"


RPM_SPEC = """\
Name: harbor-probe
Epoch: 2
Version: 1.4.2
Release: 3.el9
Summary: a package for the scanner's tests
License: MIT AND BSD-3-Clause
BuildArch: noarch
%description
Installed into an rpmdb.sqlite by the test.
%files
"""


@pytest.fixture(scope="module")
def rpmdb(tmp_path_factory) -> Path:
    """A real sqlite rpmdb, made by rpm itself: a package is built and recorded with --justdb."""
    if not (shutil.which("rpmbuild") and shutil.which("rpm")):
        pytest.skip("rpm and rpmbuild are not installed (Debian package rpm)")
    root = tmp_path_factory.mktemp("rpm")
    (root / "probe.spec").write_text(RPM_SPEC)
    subprocess.run(
        ["rpmbuild", "-bb", "--define", f"_topdir {root}/top", str(root / "probe.spec")],
        check=True,
        capture_output=True,
    )
    package = next((root / "top/RPMS").rglob("*.rpm"))
    db = ["--dbpath", str(root / "db"), "--define", "_db_backend sqlite"]
    subprocess.run(["rpm", *db, "--initdb"], check=True, capture_output=True)
    subprocess.run(["rpm", *db, "-i", "--justdb", "--nodeps", str(package)], check=True, capture_output=True)
    return root / "db"


def test_rpm_sqlite_database(rpmdb):
    query = ["rpm", "--dbpath", str(rpmdb), "--define", "_db_backend sqlite", "-qa", "--qf"]
    fields = "%{NAME}\\t%{EPOCH}\\t%{VERSION}\\t%{RELEASE}\\t%{SOURCERPM}\\t%{ARCH}\\t%{LICENSE}\\n"
    rows = subprocess.run([*query, fields], check=True, capture_output=True, text=True).stdout.splitlines()
    name, epoch, version, release, sourcerpm, arch, license_ = rows[0].split("\t")
    os_text = 'NAME="Rocky Linux"\nID="rocky"\nVERSION_ID="9.3"\n'
    data = (rpmdb / "rpmdb.sqlite").read_bytes()
    result = inventory(layer(file("etc/os-release", os_text), file("var/lib/rpm/rpmdb.sqlite", data)))

    assert len(result.packages) == len(rows) == 1
    package = result.packages[0]
    assert (package.name, package.version) == (name, f"{epoch}:{version}-{release}")
    assert f"{package.source_name}-{package.source_version.split(':')[1]}.src.rpm" == sourcerpm
    assert package.licenses == (license_,)
    assert (
        package.purl == f"pkg:rpm/rocky/{name}@{version}-{release}?arch={arch}&distro=rocky-9.3&epoch={epoch}"
    )


def test_berkeley_db_rpm_database_is_reported_not_guessed():
    result = inventory(layer(file("var/lib/rpm/Packages", b"\0" * 4096)))
    assert result.packages == []
    assert result.warnings == [
        "var/lib/rpm/Packages: Berkeley DB rpm databases are not read; packages unknown"
    ]
