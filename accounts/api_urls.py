"""`/api/v2.0/` routes of the accounts app."""

urlpatterns: list = []
