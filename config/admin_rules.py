"""The Django admin may not go around the portal's rules.

What a service writes (with an audit entry, a state machine, an e-mail owed
to someone, a file check) is shown in the admin, never changed there: the
admins below are views, and each says on its pages where staff make the
change instead (`portal_note`). Secrets (token digests, keyed hashes) are
never shown, whatever the admin."""

import re

# Field names of stored secrets: token digests (chapters/tokens.py) and keyed
# hashes of client addresses. Never rendered, not even read-only.
SECRET_FIELD = re.compile(r"(?:^|_)(?:digest|hash)$")


def secret_fields(model) -> list[str]:
    return [f.name for f in model._meta.get_fields() if SECRET_FIELD.search(f.name)]


class PortalNoteMixin:
    """Shows `portal_note` on the changelist and on the object's page."""

    portal_note = ""
    change_form_template = "admin/portal/change_form.html"
    change_list_template = "admin/portal/change_list.html"

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {**(extra_context or {}), "portal_note": self.portal_note}
        return super().changeform_view(request, object_id, form_url, extra_context)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "portal_note": self.portal_note}
        return super().changelist_view(request, extra_context)


class NoSecretsMixin:
    """Leaves secret fields out of every form and read-only display."""

    def get_exclude(self, request, obj=None):
        return [*(super().get_exclude(request, obj) or []), *secret_fields(self.model)]

    def get_fields(self, request, obj=None):
        secrets = set(secret_fields(self.model))
        return [f for f in super().get_fields(request, obj) if f not in secrets]


class ViewOnlyMixin(NoSecretsMixin, PortalNoteMixin):
    """Nothing is added, changed or deleted here (no bulk delete either:
    Django drops the action without the delete permission)."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ViewOnlyInline(NoSecretsMixin):
    """An inline that only shows its rows."""

    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
