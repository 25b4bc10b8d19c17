from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from .models import AuditEntry, Chapter, Organiser


class OrganiserInline(admin.TabularInline):
    model = Organiser
    fk_name = "chapter"
    extra = 0
    fields = ["user", "granted_at", "granted_by", "revoked_at", "revoked_by"]
    readonly_fields = ["granted_at", "granted_by", "revoked_at", "revoked_by"]
    autocomplete_fields = ["user"]

    def has_change_permission(self, request, obj=None):
        # Roles are granted and revoked through the services (audited), not
        # edited in place.
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Chapter)
class ChapterAdmin(TabbedTranslationAdmin):
    list_display = ["name", "country", "status", "updated_at"]
    list_filter = ["status"]
    search_fields = ["name_ar", "name_en", "country"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "chapter", "actor", "action", "object_repr"]
    list_filter = ["action", "chapter"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
