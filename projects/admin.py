from django.contrib import admin

from .models import Project, ProjectMember


class ProjectMemberInline(admin.TabularInline):
    model = ProjectMember
    extra = 0
    autocomplete_fields = ("user",)


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("name", "public", "owner", "created_at")
    list_select_related = ("owner",)
    list_filter = ("public",)
    search_fields = ("name",)
    inlines = [ProjectMemberInline]
