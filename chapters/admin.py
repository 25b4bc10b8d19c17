from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from config.admin_rules import (
    NoSecretsMixin,
    PortalNoteMixin,
    ViewOnlyInline,
    ViewOnlyMixin,
)

from .languages import localized
from .models import AuditEntry, Chapter, ExportJob, Organiser

# Translated fields are shown side by side (name [ar], name [en]) rather than
# in modeltranslation's tabs: the tabs need jQuery UI from a CDN, which the
# portal's Content-Security-Policy refuses (docs/security.md, "The admin").


class OrganiserInline(ViewOnlyInline, admin.TabularInline):
    """Roles are granted and revoked on the chapter's organisers page
    (chapters.services, audited), never edited in place."""

    model = Organiser
    fk_name = "chapter"
    fields = ["user", "granted_at", "granted_by", "revoked_at", "revoked_by"]
    readonly_fields = fields


@admin.register(Chapter)
class ChapterAdmin(NoSecretsMixin, PortalNoteMixin, TranslationAdmin):
    """Staff add a chapter here; everything after that (its pages, status,
    dates, time zone, organisers) changes through chapter_update and the
    organiser services, which keep the audit trail. A chapter is never
    deleted: its memberships, consent records and audit trail go with it."""

    list_display = ["name", "country", "status", "updated_at"]
    list_filter = ["status"]
    search_fields = [*localized("name"), "country"]
    inlines = [OrganiserInline]
    portal_note = _(
        "Once added, a chapter changes only on its own pages: “Public content” "
        "for its pages, status and dates, “Organisers” for its organisers. They "
        "keep the audit trail."
    )

    def get_fieldsets(self, request, obj=None):
        if obj is None:
            # What a new chapter needs; the rest (status and its dates
            # included, with their rules) is set on its edit page.
            fields = ["country", *localized("name"), "time_zone", "contact_email"]
            return [(None, {"fields": fields})]
        return super().get_fieldsets(request, obj)

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """Written by the services only, in the transaction of the change."""

    list_display = ["created_at", "chapter", "actor", "action", "object_repr"]
    list_filter = ["action", "chapter"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]
    portal_note = _(
        "The portal writes the audit trail with each change; nobody adds to it, "
        "changes it or deletes from it."
    )


@admin.register(ExportJob)
class ExportJobAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """Asked for by organisers, written by the worker. The file has no
    address (it is private): its name is shown, not a link."""

    list_display = ["created_at", "chapter", "dataset", "file_format", "state"]
    list_filter = ["state", "dataset", "chapter"]
    readonly_fields = [f.name for f in ExportJob._meta.fields if f.name != "file"]
    exclude = ["file"]
    portal_note = _(
        "Organisers ask for these exports on their chapter's exports page; the "
        "files are pruned after a few days."
    )
