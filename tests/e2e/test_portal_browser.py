"""The portal in a real browser (Playwright driving Debian's chromium) against a live server.

One story, as a developer lives it: log in, create a project, push an image with skopeo,
find it, copy its pull command, tag it, add a guest; then, as that guest, see no delete
buttons and have the delete URL refused; finally read the page in Chinese. Screenshots of
the main pages go to `test-artifacts/` (not committed).
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.server import ADMIN_PASSWORD, ROOT, LiveRegistry

from .conftest import require
from .oci_layout import write_image_layout

pytestmark = pytest.mark.e2e

SHOTS = ROOT / "test-artifacts"
CHROMIUM = "/usr/bin/chromium"
GUEST_PASSWORD = "Guest12345x"


@pytest.fixture
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.fail("chromium is not installed (apt-get install chromium); .ci/run installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM)
        yield browser
        browser.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"portal-{name}.png"), full_page=True)


def log_in(page, url: str, username: str, password: str) -> None:
    page.goto(f"{url}/login")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button.primary")
    page.wait_for_url(f"{url}/")


def push(registry: LiveRegistry, tmp_path: Path, reference: str) -> str:
    require("skopeo")
    digest = write_image_layout(tmp_path / "image", "v1", [200_000, 3000])
    result = subprocess.run(
        [
            "skopeo",
            "copy",
            "--dest-tls-verify=false",
            f"--dest-creds=admin:{ADMIN_PASSWORD}",
            f"oci:{tmp_path / 'image'}:v1",
            f"docker://{registry.host}/{reference}",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return digest


def test_developer_story_in_the_browser(registry: LiveRegistry, browser, tmp_path):
    url, api = registry.url, httpx.Client(base_url=registry.url, auth=("admin", ADMIN_PASSWORD))
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=url)
    page = context.new_page()

    log_in(page, url, "admin", ADMIN_PASSWORD)
    shot(page, "projects")
    page.click("text=New project")
    page.fill("#project-name", "webapp")
    page.click("form[action='/'] button.primary")
    page.wait_for_url(f"{url}/projects/webapp/")
    assert page.locator("h1 .badge").inner_text() == "Private"

    digest = push(registry, tmp_path, "webapp/hello:v1")
    page.click("nav.tabs >> text=Repositories")
    page.fill("#q", "hel")  # htmx swaps the results in as one types
    page.wait_for_url("**/repositories?q=hel")
    page.click("#results >> text=webapp/hello")
    page.wait_for_url("**/r/hello/-/artifacts")
    shot(page, "artifacts")

    page.click("button.copy >> text=docker (tag)")
    page.wait_for_selector("body[data-copied]")
    copied = page.evaluate("navigator.clipboard.readText()")
    assert copied == f"docker pull {registry.host}/webapp/hello:v1"

    page.click(f"a[href$='/a/{digest}/']")
    page.fill("#new-tag", "stable")
    page.click("text=Add tag")
    page.wait_for_selector(".tags >> text=stable")
    assert api.get("/v2/webapp/hello/manifests/stable").status_code == 200
    shot(page, "artifact")

    created = api.post(
        "/api/v2.0/users",
        json={
            "username": "gina",
            "email": "gina@example.com",
            "realname": "Gina",
            "password": GUEST_PASSWORD,
        },
    )
    assert created.status_code == 201, created.text
    page.click("nav.tabs >> text=Members")
    page.fill("#member-name", "gina")
    page.select_option("#member-role", label="Guest")
    page.click("form[action$='/members/add'] button[type=submit]")
    page.wait_for_selector("td >> text=gina")
    shot(page, "members")
    page.click("text=Log out")

    log_in(page, url, "gina", GUEST_PASSWORD)
    page.goto(f"{url}/projects/webapp/repositories")
    assert page.locator("button.danger").count() == 0
    page.goto(f"{url}/projects/webapp/r/hello/-/a/{digest}/")
    assert page.locator("button.danger").count() == 0 and page.locator("#new-tag").count() == 0
    shot(page, "artifact-as-guest")
    token = next(c["value"] for c in context.cookies() if c["name"] == "csrftoken")
    refused = page.request.post(
        f"{url}/projects/webapp/r/hello/-/delete", form={"csrfmiddlewaretoken": token}
    )
    assert refused.status == 403 and "You may not do this" in refused.text()
    assert api.get(f"/v2/webapp/hello/manifests/{digest}").status_code == 200

    page.select_option("#language", "zh-hans")
    page.click("[data-testid=set-language]")
    page.wait_for_selector("html[lang=zh-hans]")
    assert "标签" in page.inner_text("main") and "注销" in page.inner_text("header")
    page.goto(f"{url}/")  # the choice is remembered
    assert page.locator("html").get_attribute("lang") == "zh-hans"
    shot(page, "projects-zh")

    page.set_viewport_size({"width": 360, "height": 800})
    page.goto(f"{url}/projects/webapp/r/hello/-/artifacts")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "artifacts-360px")
    context.close()
