"""The scanning admin pages: registrations without their credential, reports read-only."""

from __future__ import annotations

from django.test import Client

from accounts.models import User
from scanning.scan_models import ScannerRegistration


def test_registrations_and_reports_render_without_credentials(admin_client):
    ScannerRegistration.objects.create(
        name="remote", url="http://adapter:8080", auth="Bearer", access_credential="s3cret"
    )
    operator = Client()
    operator.force_login(User.objects.get(username="admin"))
    listing = operator.get("/admin/scanning/scannerregistration/")
    assert listing.status_code == 200 and b"remote" in listing.content
    remote = ScannerRegistration.objects.get(name="remote")
    page = operator.get(f"/admin/scanning/scannerregistration/{remote.pk}/change/")
    assert page.status_code == 200 and b"s3cret" not in page.content
    assert operator.get("/admin/scanning/scanreport/").status_code == 200
    assert operator.get("/admin/scanning/scannerregistration/add/").status_code == 403
