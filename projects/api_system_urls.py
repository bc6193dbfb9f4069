from django.urls import path

from . import api_robots, api_system

urlpatterns = [
    path("robots", api_robots.RobotListView.as_view(), name="api-robots"),
    path("robots/<int:robot_id>", api_robots.RobotView.as_view(), name="api-robot"),
    path("system/CVEAllowlist", api_system.SystemAllowlistView.as_view(), name="api-system-allowlist"),
]
