from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin, TranslationTabularInline

from .models import (
    AgendaItem,
    Attendance,
    DefaultAgendaItem,
    Invitation,
    Material,
    Meeting,
)


@admin.register(DefaultAgendaItem)
class DefaultAgendaItemAdmin(TabbedTranslationAdmin):
    """Staff edit here the agenda every new exploratory meeting starts with."""

    list_display = ["order", "title", "duration_minutes"]
    list_display_links = ["title"]
    list_editable = ["order", "duration_minutes"]
    ordering = ["order"]


class AgendaItemInline(TranslationTabularInline):
    model = AgendaItem
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(TabbedTranslationAdmin):
    list_display = ["title", "chapter", "kind", "starts_at", "status", "is_public"]
    list_filter = ["status", "kind", "chapter"]
    search_fields = ["title_ar", "title_en"]
    inlines = [AgendaItemInline]


@admin.register(Material)
class MaterialAdmin(admin.ModelAdmin):
    list_display = ["title", "chapter", "meeting", "language", "content_type"]
    list_filter = ["chapter", "language"]
    readonly_fields = ["original_name", "content_type", "size", "created_by"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    """Read-only: invitations change through the organiser pages (services,
    audited), never by hand."""

    list_display = ["name", "organisation_name", "meeting", "status", "sent_at"]
    list_filter = ["status", "meeting__chapter"]
    search_fields = ["name", "email", "organisation_name"]
    exclude = ["pending_message"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation_name", "meeting", "checked_in_at"]
    list_filter = ["meeting__chapter"]
