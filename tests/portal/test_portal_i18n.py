"""English and Simplified Chinese: a switcher that is remembered, a complete catalog, and
dates and sizes in the reader's locale."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from projects.rbac import Role

CATALOG = Path(__file__).resolve().parents[2] / "locale" / "zh_Hans" / "LC_MESSAGES"


def _entries(po: str) -> list[tuple[str, str]]:
    """(msgid, msgstr) pairs of a catalog written with --no-wrap (plural: msgstr[0])."""
    pairs = re.findall(r'^msgid "(.*)"\n(?:msgid_plural ".*"\n)?msgstr(?:\[0\])? "(.*)"$', po, re.MULTILINE)
    return [(msgid, msgstr) for msgid, msgstr in pairs if msgid]


def test_the_chinese_catalog_is_complete_and_compiled():
    po = (CATALOG / "django.po").read_text(encoding="utf-8")
    entries = _entries(po)
    assert len(entries) > 100
    assert [msgid for msgid, msgstr in entries if not msgstr] == []
    assert "#, fuzzy" not in po
    for msgid, msgstr in entries:  # every placeholder survives translation
        assert sorted(re.findall(r"%\(\w+\)s", msgid)) == sorted(re.findall(r"%\(\w+\)s", msgstr)), msgid


def test_the_committed_mo_matches_the_po(tmp_path):
    """The compiled catalog is committed (a clone needs no gettext to run); it must be current."""
    assert shutil.which("msgfmt"), "gettext's msgfmt is needed (apt-get install gettext)"
    compiled = tmp_path / "django.mo"
    subprocess.run(["msgfmt", "--check-format", "-o", compiled, CATALOG / "django.po"], check=True)
    assert compiled.read_bytes() == (CATALOG / "django.mo").read_bytes(), "run: manage.py compilemessages"


@pytest.mark.django_db
def test_the_switcher_is_remembered_and_pages_are_translated(login, pushed, secret_project):
    client = login("lin", secret_project, Role.PROJECT_ADMIN)
    assert "Projects" in client.get("/").content.decode()
    response = client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert response.status_code == 302
    for url in ["/", "/projects/secret/", "/projects/secret/r/app/-/artifacts", "/projects/secret/members"]:
        body = client.get(url).content.decode()
        assert '<html lang="zh-hans">' in body, url
        assert "项目" in body and "注销" in body, url
    body = client.get(f"/projects/secret/r/app/-/a/{pushed}/").content.decode()
    assert "添加标签" in body and "清单" in body and "附件" in body
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Log out" in client.get("/").content.decode()


@pytest.mark.django_db
def test_dates_follow_the_locale(login, pushed, secret_project):
    client = login("mei", secret_project, Role.GUEST)
    english = client.get("/projects/secret/r/app/-/artifacts").content.decode()
    client.cookies["django_language"] = "zh-hans"
    chinese = client.get("/projects/secret/r/app/-/artifacts").content.decode()
    size_en = re.search(r'data-label="Size">([^<]+)<', english).group(1)
    size_zh = re.search(r'data-label="大小">([^<]+)<', chinese).group(1)
    # Django's zh-Hans catalog keeps the unit (KB) and the decimal point, so both read alike.
    assert size_en.endswith("KB") and size_zh.endswith("KB")
    pushed_en = re.search(r'data-label="Pushed">([^<]+)<', english).group(1)
    pushed_zh = re.search(r'data-label="推送时间">([^<]+)<', chinese).group(1)
    assert "a.m." in pushed_en or "p.m." in pushed_en  # en: m/d/Y P
    assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}", pushed_zh)  # zh-Hans: Y年n月j日 H:i
