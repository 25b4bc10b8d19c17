from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from .models import (
    ConsentStatement,
    DoNotContact,
    InitialTask,
    Membership,
    MembershipEvent,
    Organisation,
    Prospect,
    Representative,
)


class RepresentativeInline(admin.TabularInline):
    model = Representative
    extra = 0


@admin.register(Organisation)
class OrganisationAdmin(TabbedTranslationAdmin):
    list_display = ["name", "acronym", "kind", "country", "city"]
    list_filter = ["kind", "country"]
    search_fields = ["name_ar", "name_en", "acronym"]
    inlines = [RepresentativeInline]


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["organisation", "chapter", "state", "confirmed_at"]
    list_filter = ["state", "chapter"]
    # The state changes only through the representative's own confirmation.
    readonly_fields = ["state", "confirmed_at", "withdrawn_at", "requested_at"]


@admin.register(Prospect)
class ProspectAdmin(admin.ModelAdmin):
    list_display = ["organisation", "chapter", "stage", "source", "owner"]
    list_filter = ["stage", "source", "chapter"]


@admin.register(DoNotContact)
class DoNotContactAdmin(admin.ModelAdmin):
    list_display = ["email", "reason", "created_at"]
    search_fields = ["email"]


@admin.register(ConsentStatement)
class ConsentStatementAdmin(admin.ModelAdmin):
    """Staff publish a new wording as a new version; a published one is
    never edited, since consent records point to it."""

    list_display = ["version", "published_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ["version", "text_ar", "text_en", "published_at"]
        return []

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MembershipEvent)
class MembershipEventAdmin(admin.ModelAdmin):
    """The history is only ever added to, by members.membership."""

    list_display = ["membership", "action", "from_state", "to_state", "applied"]
    list_filter = ["action", "applied", "via"]
    search_fields = ["representative_email", "representative_name"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(InitialTask)
class InitialTaskAdmin(TabbedTranslationAdmin):
    list_display = ["title", "chapter", "status", "lead"]
    list_filter = ["status", "chapter"]
