from django.contrib.admin.apps import AdminConfig


class HarborAdminConfig(AdminConfig):
    """Django's admin, with the site that asks the permission module who may enter."""

    default_site = "harbor_site.admin_site.HarborAdminSite"
