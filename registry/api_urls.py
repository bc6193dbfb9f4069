"""`/api/v2.0/` routes of the registry app."""

urlpatterns: list = []
