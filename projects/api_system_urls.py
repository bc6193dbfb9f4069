from django.urls import path

from . import api_labels, api_quotas, api_robots, api_system

urlpatterns = [
    path("robots", api_robots.RobotListView.as_view(), name="api-robots"),
    path("robots/<int:robot_id>", api_robots.RobotView.as_view(), name="api-robot"),
    path("labels", api_labels.LabelListView.as_view(), name="api-labels"),
    path("labels/<int:label_id>", api_labels.LabelView.as_view(), name="api-label"),
    path("quotas", api_quotas.QuotaListView.as_view(), name="api-quotas"),
    path("quotas/<int:quota_id>", api_quotas.QuotaView.as_view(), name="api-quota"),
    path("system/CVEAllowlist", api_system.SystemAllowlistView.as_view(), name="api-system-allowlist"),
]
