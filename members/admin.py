from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from chapters.languages import localized
from config.admin_rules import (
    NoSecretsMixin,
    PortalNoteMixin,
    ViewOnlyInline,
    ViewOnlyMixin,
)

from .models import (
    ConsentStatement,
    DoNotContact,
    GovernanceRole,
    InitialTask,
    Membership,
    MembershipEvent,
    Organisation,
    Prospect,
    Representative,
)

# Every admin here but the consent statements' and the opt-outs' is a view:
# each row is written by a service with an audit entry (members.services:
# organisations, membership, initial_tasks...), and the note on its pages
# names the portal page where the change is made.


class RepresentativeInline(ViewOnlyInline, admin.TabularInline):
    model = Representative
    fields = ["name", "email", "phone", "role", "language", "is_primary", "chapter"]
    readonly_fields = fields


@admin.register(Organisation)
class OrganisationAdmin(ViewOnlyMixin, TranslationAdmin):
    list_display = ["name", "acronym", "kind", "country", "city"]
    list_filter = ["kind", "country"]
    search_fields = [*localized("name"), "acronym"]
    inlines = [RepresentativeInline]
    portal_note = _(
        "Organisations, their representatives and merges of duplicates change on "
        "the chapter's outreach list (the organisation's page), which keeps the "
        "audit trail and the privacy of contact details."
    )


@admin.register(Membership)
class MembershipAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """The state, its dates and the reminder belong to the state machine
    (members.services.membership); deleting a membership would delete its consent
    records."""

    list_display = ["organisation", "chapter", "state", "confirmed_at"]
    list_filter = ["state", "chapter"]
    portal_note = _(
        "A membership changes only through its state machine: the organisers "
        "ask on the chapter's membership page, the organisation's "
        "representatives answer or withdraw through their personal links. "
        "Its “Membership history” is the consent record."
    )


@admin.register(Prospect)
class ProspectAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """Stage, follow-up and notes change through prospect_update (audited:
    the outreach stage history)."""

    list_display = ["organisation", "chapter", "stage", "source", "owner"]
    list_filter = ["stage", "source", "chapter"]
    portal_note = _(
        "The outreach stage, who follows up and the notes change on the "
        "chapter's outreach list, which keeps their history."
    )


@admin.register(DoNotContact)
class DoNotContactAdmin(NoSecretsMixin, PortalNoteMixin, admin.ModelAdmin):
    """An opt-out is never removed or edited. Staff may add one (harmless:
    one more address nobody writes to); it goes through the service, which
    stores the address lower-cased and records the audit entry."""

    list_display = ["email", "source", "reason", "created_at"]
    list_filter = ["source"]
    search_fields = ["email"]
    portal_note = _(
        "An address on this list is never e-mailed again, by any chapter. It "
        "is never removed or changed; staff may add one."
    )

    def get_fields(self, request, obj=None):
        if obj is None:
            return ["email", "reason"]
        return ["email", "source", "reason", "chapter", "created_by", "created_at"]

    def get_readonly_fields(self, request, obj=None):
        return [] if obj is None else self.get_fields(request, obj)

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def save_model(self, request, obj, form, change):
        # Where the service is at the time of writing (grep before moving it).
        from members.services.do_not_contact import do_not_contact_add

        entry = do_not_contact_add(
            email=obj.email,
            source=DoNotContact.Source.STAFF,
            reason=obj.reason,
            actor=request.user,
        )
        for field in DoNotContact._meta.concrete_fields:
            setattr(obj, field.attname, getattr(entry, field.attname))
        obj._state.adding = False


@admin.register(ConsentStatement)
class ConsentStatementAdmin(NoSecretsMixin, PortalNoteMixin, TranslationAdmin):
    """Staff publish a new wording as a new version, its text in every
    language (members/translation.py); a published one is never edited,
    since consent records point to it."""

    list_display = ["version", "published_at"]
    portal_note = _(
        "A version is never changed or deleted once saved: consent records "
        "keep it. To change the wording, add a new version in every language."
    )

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(MembershipEvent)
class MembershipEventAdmin(ViewOnlyMixin, admin.ModelAdmin):
    """The history is only ever added to, by members.services.membership. The
    keyed
    hash of the client address (ip_hash) is never shown."""

    list_display = ["membership", "action", "from_state", "to_state", "applied"]
    list_filter = ["action", "applied", "via"]
    search_fields = ["representative_email", "representative_name"]
    portal_note = _(
        "The portal adds a step to a membership's history each time it "
        "changes; no step is ever changed or deleted."
    )


@admin.register(InitialTask)
class InitialTaskAdmin(ViewOnlyMixin, TranslationAdmin):
    list_display = ["title", "chapter", "status", "lead"]
    list_filter = ["status", "chapter"]
    portal_note = _(
        "Initial tasks, their lead and volunteers change on the chapter's "
        "tasks page, which keeps the audit trail."
    )


@admin.register(GovernanceRole)
class GovernanceRoleAdmin(ViewOnlyMixin, admin.ModelAdmin):
    list_display = ["organisation", "kind", "area", "chapter", "starts_on", "ends_on"]
    list_filter = ["kind", "chapter"]
    portal_note = _(
        "Governance roles change on the chapter's governance page, which checks "
        "who may hold them and keeps the audit trail."
    )
