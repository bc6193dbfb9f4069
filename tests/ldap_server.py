"""A real OpenLDAP server (Debian's slapd) with the test directory, for LDAP tests.

It runs from its own config and database in a temp dir on a free port, with the
memberof overlay so users carry `memberOf` like Active Directory.
"""

from __future__ import annotations

import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from tests.server import free_port

SUFFIX = "dc=example,dc=org"
ADMIN_DN = f"cn=admin,{SUFFIX}"
ADMIN_PASSWORD = "Admin-pass1"
DIRECTORY = Path(__file__).parent / "fixtures" / "ldap" / "directory.ldif"

CONFIG = """
include /etc/ldap/schema/core.schema
include /etc/ldap/schema/cosine.schema
include /etc/ldap/schema/inetorgperson.schema
include /etc/ldap/schema/nis.schema
modulepath /usr/lib/ldap
moduleload back_mdb
moduleload memberof
pidfile {root}/slapd.pid
argsfile {root}/slapd.args
database mdb
maxsize 10485760
suffix "{suffix}"
rootdn "{admin_dn}"
rootpw {admin_password}
directory {root}/data
overlay memberof
"""


@dataclass(frozen=True)
class Directory:
    url: str
    base_dn: str = SUFFIX
    admin_dn: str = ADMIN_DN
    admin_password: str = ADMIN_PASSWORD

    def harbor_config(self) -> dict[str, object]:
        """The Harbor `ldap_*` settings that point at this directory."""
        return {
            "auth_mode": "ldap_auth",
            "ldap_url": self.url,
            "ldap_search_dn": self.admin_dn,
            "ldap_search_password": self.admin_password,
            "ldap_base_dn": f"ou=people,{self.base_dn}",
            "ldap_uid": "uid",
            "ldap_filter": "(objectClass=inetOrgPerson)",
            "ldap_scope": 2,
            "ldap_group_base_dn": f"ou=groups,{self.base_dn}",
            "ldap_group_search_filter": "(objectClass=groupOfNames)",
            "ldap_group_attribute_name": "cn",
            "ldap_group_admin_dn": f"cn=harbor-admins,ou=groups,{self.base_dn}",
            "ldap_group_membership_attribute": "memberof",
        }


@contextmanager
def running_slapd(root: Path) -> Iterator[Directory]:
    if shutil.which("slapd") is None and not Path("/usr/sbin/slapd").exists():
        raise RuntimeError("slapd is not installed (apt-get install slapd ldap-utils); .ci/run installs it")
    (root / "data").mkdir(parents=True)
    config = root / "slapd.conf"
    config.write_text(
        CONFIG.format(root=root, suffix=SUFFIX, admin_dn=ADMIN_DN, admin_password=ADMIN_PASSWORD)
    )
    url = f"ldap://127.0.0.1:{free_port()}"
    log = open(root / "slapd.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        ["/usr/sbin/slapd", "-f", str(config), "-h", f"{url}/", "-d", "0"],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        load = ["ldapadd", "-x", "-H", url, "-D", ADMIN_DN, "-w", ADMIN_PASSWORD, "-f", str(DIRECTORY)]
        deadline = time.monotonic() + 20
        while subprocess.run(load, capture_output=True).returncode != 0:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"slapd did not start: {(root / 'slapd.log').read_text()}")
            time.sleep(0.2)
        yield Directory(url)
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()
