from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from config.admin_rules import ViewOnlyInline, ViewOnlyMixin

from .models import (
    AgendaItem,
    Attendance,
    DefaultAgendaItem,
    Invitation,
    Material,
    Meeting,
)

# Only the default agenda is edited here. Meetings, their agenda, materials,
# invitations and attendance are written by meetings.services (audited,
# invitees told, uploads checked), so their admins are views.


@admin.register(DefaultAgendaItem)
class DefaultAgendaItemAdmin(TranslationAdmin):
    """Staff edit here the agenda every new exploratory meeting starts with."""

    list_display = ["order", "title", "duration_minutes"]
    list_display_links = ["title"]
    list_editable = ["order", "duration_minutes"]
    ordering = ["order"]


class AgendaItemInline(ViewOnlyInline, TranslationTabularInline):
    model = AgendaItem


@admin.register(Meeting)
class MeetingAdmin(ViewOnlyMixin, TranslationAdmin):
    list_display = ["title", "chapter", "kind", "starts_at", "status", "is_public"]
    list_filter = ["status", "kind", "chapter"]
    search_fields = ["title_ar", "title_en"]
    inlines = [AgendaItemInline]
    portal_note = _(
        "Meetings, their agenda and their status change on the chapter's "
        "meeting pages, which tell the invitees and keep the audit trail."
    )


@admin.register(Material)
class MaterialAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "chapter", "meeting", "language", "content_type"]
    list_filter = ["chapter", "language"]
    portal_note = _(
        "Materials are added and removed on the meeting's page, which checks each file."
    )


@admin.register(Invitation)
class InvitationAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """Invitations change through the organiser pages (services, audited),
    never by hand; the worker's bookkeeping is not shown."""

    list_display = ["name", "organisation_name", "meeting", "status", "sent_at"]
    list_filter = ["status", "meeting__chapter"]
    search_fields = ["name", "email", "organisation_name"]
    exclude = ["pending_message", "claimed_at", "claimed_by"]
    portal_note = _(
        "Invitations are sent, answered, reminded and retried on the meeting's "
        "invitation pages and through the invitees' personal links."
    )


@admin.register(Attendance)
class AttendanceAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["name", "organisation_name", "meeting", "checked_in_at"]
    list_filter = ["meeting__chapter"]
    portal_note = _(
        "Attendance is taken on the meeting's check-in page, which keeps the "
        "audit trail."
    )
