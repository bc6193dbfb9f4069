"""A small Debian 12 image for scan tests: os-release and a dpkg status database with libssl3
(source openssl) at a chosen version, which the OSV fixture set has advisories for."""

from __future__ import annotations

from django.test import Client

from .layers import file, layer
from .test_inventory_artifact import push

OS_RELEASE = (
    'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nNAME="Debian GNU/Linux"\nVERSION_ID="12"\nID=debian\n'
)
VULNERABLE_OPENSSL = (
    "3.0.11-1~deb12u1"  # CVE-2023-5363 (fixed 3.0.11-1~deb12u2), CVE-2023-5678 (3.0.13-1~deb12u1)
)
FIXED_OPENSSL = "3.0.13-1~deb12u1"


def dpkg_status(openssl: str) -> str:
    return (
        f"Package: libssl3\nStatus: install ok installed\nArchitecture: amd64\nSource: openssl\n"
        f"Version: {openssl}\nDescription: Secure Sockets Layer toolkit - shared libraries\n\n"
        "Package: base-files\nStatus: install ok installed\nArchitecture: amd64\nVersion: 12.4+deb12u5\n"
        "Description: Debian base system miscellaneous files\n"
    )


def push_debian_image(client: Client, name: str, tag: str, openssl: str = VULNERABLE_OPENSSL) -> str:
    blob = layer(file("etc/os-release", OS_RELEASE), file("var/lib/dpkg/status", dpkg_status(openssl)))
    return push(client, name, tag, [(blob, "gzip")])
