"""Routes of the distribution API and the token service.

Names may contain slashes, so routes match on the suffix (`/manifests/<ref>`,
`/blobs/<digest>`...) and the views validate the name themselves: an invalid
name gets NAME_INVALID in the OCI envelope instead of Django's HTML 404.
"""

from django.urls import path, re_path

from .views.blobs import BlobView
from .views.fallback import NotFoundView
from .views.listing import CatalogView, ReferrersView, TagListView
from .views.manifests import ManifestView
from .views.root import RootView
from .views.token import TokenView
from .views.uploads import UploadStartView, UploadView

NAME = r"(?P<name>[^?#]+?)"

urlpatterns = [
    path("service/token", TokenView.as_view(), name="token"),
    path("v2/", RootView.as_view(), name="v2-root"),
    path("v2/_catalog", CatalogView.as_view(), name="catalog"),
    re_path(rf"^v2/{NAME}/tags/list$", TagListView.as_view(), name="tags"),
    re_path(rf"^v2/{NAME}/manifests/(?P<reference>[^/]+)$", ManifestView.as_view(), name="manifest"),
    re_path(rf"^v2/{NAME}/blobs/uploads/?$", UploadStartView.as_view(), name="upload-start"),
    re_path(rf"^v2/{NAME}/blobs/uploads/(?P<upload_id>[^/]+)$", UploadView.as_view(), name="upload"),
    re_path(rf"^v2/{NAME}/blobs/(?P<digest>[^/]+)$", BlobView.as_view(), name="blob"),
    re_path(rf"^v2/{NAME}/referrers/(?P<digest>[^/]+)$", ReferrersView.as_view(), name="referrers"),
    re_path(r"^v2/.*$", NotFoundView.as_view(), name="v2-not-found"),
]
