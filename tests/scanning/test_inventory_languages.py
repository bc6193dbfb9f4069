"""Language packages: a real `pip install --target` tree, npm manifests, a Go binary built by
the Go toolchain, Java archives with Maven metadata, Ruby gemspecs."""

from __future__ import annotations

import base64
import hashlib
import importlib.metadata
import io
import json
import os
import shutil
import subprocess
import sys
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from scanning.inventory.detectors.golang import MODINFO_END, MODINFO_START

from .layers import file, found, inventory, layer

PYPROJECT = """\
[build-system]
requires = ["setuptools"]
build-backend = "setuptools.build_meta"

[project]
name = "Harbor_Probe"
version = "2.5.1"
license = {text = "MIT"}

[tool.setuptools]
py-modules = ["harbor_probe"]
"""


WHEEL_METADATA = "Metadata-Version: 2.1\nName: Harbor_Probe\nVersion: 2.5.1\nLicense: MIT\n"


def tiny_wheel(directory: Path) -> Path:
    """A pure-Python wheel made here (the venv has no `wheel` to build one, and tests stay
    offline); pip installs it like any other."""
    info = "Harbor_Probe-2.5.1.dist-info"
    files = {
        "harbor_probe.py": b"VALUE = 1\n",
        f"{info}/METADATA": WHEEL_METADATA.encode(),
        f"{info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = "".join(f"{name},sha256={_urlsafe_digest(data)},{len(data)}\n" for name, data in files.items())
    path = directory / "Harbor_Probe-2.5.1-py3-none-any.whl"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        archive.writestr(f"{info}/RECORD", record + f"{info}/RECORD,,\n")
    return path


def _urlsafe_digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


@pytest.fixture(scope="module")
def pip_tree(tmp_path_factory) -> tuple[Path, Path]:
    """(pip install --target tree, a setuptools-made egg-info directory)."""
    root = tmp_path_factory.mktemp("pip")
    target = root / "site-packages"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "-q",
            "--no-index",
            "--no-deps",
            "--target",
            str(target),
            str(tiny_wheel(root)),
        ],
        check=True,
        capture_output=True,
    )
    project = root / "project"
    project.mkdir()
    (project / "pyproject.toml").write_text(PYPROJECT)
    (project / "harbor_probe.py").write_text("VALUE = 1\n")
    subprocess.run(
        [sys.executable, "-c", "from setuptools import setup; setup()", "egg_info"],
        cwd=project,
        check=True,
        capture_output=True,
    )
    return target, next(project.glob("*.egg-info"))


def tree_members(root: Path, prefix: str) -> list:
    return [
        file(f"{prefix}/{path.relative_to(root)}", path.read_bytes())
        for path in sorted(root.rglob("*"))
        if path.is_file()
    ]


def test_pip_install_target_tree_and_egg_info(pip_tree):
    target, egg_info = pip_tree
    prefix = "usr/local/lib/python3.11/site-packages"
    members = tree_members(target, prefix) + tree_members(egg_info, f"opt/app/{egg_info.name}")
    result = inventory(layer(*members))

    # importlib.metadata, reading the same two directories, is the reference.
    truth = {
        (dist.metadata["Name"], dist.version)
        for where in (target, egg_info.parent)
        for dist in importlib.metadata.distributions(path=[str(where)])
    }
    assert {version for _, version in truth} == {"2.5.1"} and len(truth) == 2
    pypi = [package for package in result.packages if package.type == "pypi"]
    assert {(p.name, p.version) for p in pypi} == truth
    assert {p.path.rsplit("/", 2)[-2] for p in pypi} == {"Harbor_Probe-2.5.1.dist-info", egg_info.name}
    assert {p.purl for p in pypi} == {"pkg:pypi/harbor-probe@2.5.1"}
    assert all(p.licenses == ("MIT",) for p in pypi)


def npm_manifest(name: str, version: str, license_: str = "MIT") -> bytes:
    return json.dumps({"name": name, "version": version, "license": license_, "main": "index.js"}).encode()


def test_npm_packages_and_scoped_packages_only_their_own_manifests():
    result = inventory(
        layer(
            file("app/package.json", npm_manifest("my-app", "0.0.1")),  # the app, not an installed package
            file("app/node_modules/lodash/package.json", npm_manifest("lodash", "4.17.20")),
            file("app/node_modules/@babel/core/package.json", npm_manifest("@babel/core", "7.23.2")),
            file(
                "app/node_modules/lodash/node_modules/minimist/package.json",
                npm_manifest("minimist", "1.2.5"),
            ),
            file("app/node_modules/lodash/test/package.json", npm_manifest("fixture", "9.9.9")),
            file("app/node_modules/broken/package.json", b"{not json"),
        )
    )
    npm = {package.name: package for package in result.packages}
    assert {name: p.version for name, p in npm.items()} == {
        "lodash": "4.17.20",
        "@babel/core": "7.23.2",
        "minimist": "1.2.5",
    }
    assert npm["@babel/core"].purl == "pkg:npm/%40babel/core@7.23.2"
    assert len(result.warnings) == 1 and result.warnings[0].startswith(
        "app/node_modules/broken/package.json: not JSON"
    )


GO_MAIN = (
    'package main\n\nimport (\n\t"fmt"\n\n\t"example.com/lib"\n)\n\n'
    "func main() { fmt.Println(lib.Hello()) }\n"
)


@pytest.fixture(scope="module")
def go_binary(tmp_path_factory) -> tuple[bytes, str]:
    """A Go program with one (vendored) dependency, built offline; (binary, toolchain version)."""
    if shutil.which("go") is None:
        pytest.skip("no Go toolchain (Debian package golang-go)")
    root = tmp_path_factory.mktemp("go")
    (root / "go.mod").write_text("module example.com/app\n\ngo 1.19\n\nrequire example.com/lib v1.2.3\n")
    (root / "main.go").write_text(GO_MAIN)
    vendored = root / "vendor/example.com/lib"
    vendored.mkdir(parents=True)
    (vendored / "lib.go").write_text('package lib\n\nfunc Hello() string { return "hello" }\n')
    (root / "vendor/modules.txt").write_text("# example.com/lib v1.2.3\n## explicit\nexample.com/lib\n")
    env = {**os.environ, "GOFLAGS": "-mod=vendor", "GOPROXY": "off", "GOWORK": "off", "CGO_ENABLED": "0"}
    env.setdefault("GOCACHE", str(tmp_path_factory.getbasetemp() / "gocache"))
    subprocess.run(
        ["go", "build", "-o", str(root / "app"), "."], cwd=root, env=env, check=True, capture_output=True
    )
    version = subprocess.run(["go", "env", "GOVERSION"], env=env, check=True, capture_output=True, text=True)
    return (root / "app").read_bytes(), version.stdout.strip()


def test_go_binary_build_info(go_binary):
    binary, toolchain = go_binary
    result = inventory(
        layer(
            file("usr/local/bin/app", binary, mode=0o755),
            file("usr/local/bin/not-executable", binary, mode=0o644),  # never offered to the Go detector
            file("usr/local/bin/script", "#!/bin/sh\necho hi\n", mode=0o755),
        )
    )
    assert found(result, "golang") == {
        "example.com/app": "",
        "example.com/lib": "v1.2.3",
        "stdlib": toolchain,
    }
    purls = {package.purl for package in result.packages}
    assert "pkg:golang/example.com/lib@v1.2.3" in purls
    assert {package.path for package in result.packages} == {"usr/local/bin/app"}


def test_go_binary_whose_build_info_crosses_a_read_chunk(go_binary):
    """The magic is found wherever it lies relative to the 1 MiB reads (here: padded so the
    header straddles a chunk boundary), and alignment is judged on file offsets."""
    binary, toolchain = go_binary
    offset = binary.index(b"\xff Go buildinf:")
    shift = (1 << 20) - (offset % (1 << 20)) - 8
    shift -= shift % 16
    padded = binary[:offset] + b"\0" * shift + binary[offset:]
    result = inventory(layer(file("bin/app", padded, mode=0o755)))
    assert found(result, "golang")["stdlib"] == toolchain


POM_PROPERTIES = (
    "#Generated by Maven\n#Tue Dec 14 09:41:06 CET 2021\nversion={v}\ngroupId={g}\nartifactId={a}\n"
)


def jar(entries: dict[str, bytes | str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def maven_jar(group: str, artifact: str, version: str) -> bytes:
    return jar(
        {
            "META-INF/MANIFEST.MF": "Manifest-Version: 1.0\r\n",
            f"META-INF/maven/{group}/{artifact}/pom.properties": POM_PROPERTIES.format(
                g=group, a=artifact, v=version
            ),
            f"{artifact.replace('-', '/')}/Main.class": b"\xca\xfe\xba\xbe",
        }
    )


def test_java_archives_pom_properties_nested_and_manifest():
    log4j = maven_jar("org.apache.logging.log4j", "log4j-core", "2.14.1")
    war = jar({"WEB-INF/lib/log4j-core-2.14.1.jar": log4j, "WEB-INF/web.xml": "<web-app/>"})
    manifest_only = jar(
        {
            "META-INF/MANIFEST.MF": "Manifest-Version: 1.0\r\nImplementation-Title: commons-text\r\n"
            "Implementation-Version: 1.9\r\nImplementation-Vendor-Id: org.apache.commons\r\n"
        }
    )
    result = inventory(
        layer(
            file("opt/app/lib/log4j-core-2.14.1.jar", log4j),
            file("opt/app/webapps/shop.war", war),
            file("opt/app/lib/commons-text.jar", manifest_only),
            file("opt/app/lib/corrupt.jar", b"PK\x03\x04 not really"),
        )
    )
    maven = sorted((p.name, p.version, p.path) for p in result.packages)
    assert maven == [
        ("org.apache.commons:commons-text", "1.9", "opt/app/lib/commons-text.jar"),
        ("org.apache.logging.log4j:log4j-core", "2.14.1", "opt/app/lib/log4j-core-2.14.1.jar"),
        (
            "org.apache.logging.log4j:log4j-core",
            "2.14.1",
            "opt/app/webapps/shop.war!/WEB-INF/lib/log4j-core-2.14.1.jar",
        ),
    ]
    assert {p.purl for p in result.packages if "log4j" in p.name} == {
        "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"
    }
    assert len(result.warnings) == 1 and "opt/app/lib/corrupt.jar: unreadable archive" in result.warnings[0]


GEMSPEC = """\
# -*- encoding: utf-8 -*-
# stub: rack 2.2.3 ruby lib

Gem::Specification.new do |s|
  s.name = "rack".freeze
  s.version = "2.2.3"

  s.required_rubygems_version = Gem::Requirement.new(">= 0".freeze)
  s.require_paths = ["lib".freeze]
  s.authors = ["Leah Neukirchen".freeze]
  s.licenses = ["MIT".freeze]
  s.summary = "a modular Ruby webserver interface".freeze
end
"""


def test_ruby_gemspecs():
    result = inventory(
        layer(
            file("usr/local/bundle/specifications/rack-2.2.3.gemspec", GEMSPEC),
            file(
                "usr/lib/ruby/gems/3.1.0/specifications/default/json-2.6.1.gemspec",
                GEMSPEC.replace("rack", "json").replace("2.2.3", "2.6.1"),
            ),
            file("usr/local/bundle/gems/rack-2.2.3/rack.gemspec", GEMSPEC),  # a gem's source, not an install
        )
    )
    gems = {p.name: p for p in result.packages}
    assert {name: (p.version, p.licenses) for name, p in gems.items()} == {
        "rack": ("2.2.3", ("MIT",)),
        "json": ("2.6.1", ("MIT",)),
    }
    assert gems["rack"].purl == "pkg:gem/rack@2.2.3"


def test_a_large_binary_is_searched_as_a_stream_not_buffered(go_binary):
    """80 MiB before the build info: found, while Python allocations stay a few MiB."""
    binary, toolchain = go_binary
    offset = binary.index(b"\xff Go buildinf:")
    large = binary[:offset] + b"\0" * (80 << 20) + binary[offset:]
    blob = layer(file("usr/bin/large", large, mode=0o755))
    del large
    tracemalloc.start()
    try:
        result = inventory(blob)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert found(result, "golang")["stdlib"] == toolchain
    assert peak < 12 << 20


def _old_format_header() -> bytes:
    """A pre-1.18 header: magic, pointer size 8, flags 0 (little-endian, pointers not inline),
    then two pointers the reader does not follow."""
    return b"\xff Go buildinf:" + bytes([8, 0]) + (0x4A0000).to_bytes(8, "little") * 2


def test_go_binary_from_before_go_1_18_gives_its_modules_and_a_warning(go_binary):
    binary, _ = go_binary
    start = binary.index(MODINFO_START)
    wrapped = binary[start : binary.index(MODINFO_END, start) + len(MODINFO_END)]
    # As old linkers laid it out: the module info (rodata) before the buildinfo header (data).
    old = b"\x7fELF" + b"\0" * 60 + wrapped
    old += b"\0" * (-len(old) % 16) + _old_format_header() + b"\0" * 4096
    # And a current binary whose header says "pointers": the info is found after it too.
    flipped = bytearray(binary)
    flipped[binary.index(b"\xff Go buildinf:") + 15] &= ~0x2
    result = inventory(
        layer(file("usr/bin/old", old, mode=0o755), file("usr/bin/flipped", bytes(flipped), 0o755))
    )

    for path in ("usr/bin/old", "usr/bin/flipped"):
        modules = {p.name: p.version for p in result.packages if p.path == path}
        assert modules == {"example.com/app": "", "example.com/lib": "v1.2.3"}
    assert sorted(result.warnings) == [
        f"{path}: Go binary built before Go 1.18: its Go version (standard library) not read"
        for path in ("usr/bin/flipped", "usr/bin/old")
    ]
