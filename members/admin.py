from django.contrib import admin
from modeltranslation.admin import TabbedTranslationAdmin

from .models import DoNotContact, Membership, Organisation, Prospect, Representative


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
    readonly_fields = ["state", "confirmed_at"]


@admin.register(Prospect)
class ProspectAdmin(admin.ModelAdmin):
    list_display = ["organisation", "chapter", "stage", "source", "owner"]
    list_filter = ["stage", "source", "chapter"]


@admin.register(DoNotContact)
class DoNotContactAdmin(admin.ModelAdmin):
    list_display = ["email", "reason", "created_at"]
    search_fields = ["email"]
