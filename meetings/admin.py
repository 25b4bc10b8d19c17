from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from chapters.languages import Language, localized
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
    search_fields = localized("title")
    inlines = [AgendaItemInline]
    # The languages by name, not as the stored list of codes.
    exclude = ["working_languages"]
    readonly_fields = ["working_languages_shown"]
    portal_note = _(
        "Meetings, their agenda and their status change on the chapter's "
        "meeting pages, which tell the invitees and keep the audit trail."
    )

    @admin.display(description=_("working languages"))
    def working_languages_shown(self, meeting):
        return meeting.working_languages_display


class MaterialLanguageFilter(admin.SimpleListFilter):
    """The materials written in one language (among others)."""

    title = _("language")
    parameter_name = "language"

    def lookups(self, request, model_admin):
        return Language.choices

    def queryset(self, request, queryset):
        if self.value() not in Language.values:
            return queryset
        return queryset.filter(languages__contains=[self.value()])


@admin.register(Material)
class MaterialAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["title", "chapter", "meeting", "languages_shown", "content_type"]
    list_filter = ["chapter", MaterialLanguageFilter]
    exclude = ["languages"]
    readonly_fields = ["languages_shown"]
    portal_note = _(
        "Materials are added and removed on the meeting's page, which checks each file."
    )

    @admin.display(description=_("languages"))
    def languages_shown(self, material):
        return material.languages_display


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
