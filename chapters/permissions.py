"""Who may do what: the one place that decides.

- Staff: the Django admin and every chapter.
- Organisers: the chapters where they hold an active organiser role.
- Representatives: the organisations whose representative record is linked to
  their account.
- Visitors: anonymous, public pages only.

Views fetch objects through the scoped querysets below, so an object of
another chapter is a 404 rather than a 403 that would confirm it exists.
"""

from django.apps import apps
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.shortcuts import get_object_or_404

from .models import Chapter


def chapters_managed_by(user):
    return Chapter.objects.managed_by(user)


def can_manage_chapter(user, chapter: Chapter) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_staff:
        return True
    return chapter.organisers.filter(user=user, revoked_at__isnull=True).exists()


def is_organiser(user) -> bool:
    if not user.is_authenticated:
        return False
    return (
        user.is_staff or user.organiser_roles.filter(revoked_at__isnull=True).exists()
    )


def organisations_represented_by(user):
    """Organisations the signed-in user represents (members app, loaded lazily
    so that chapters never imports members)."""
    organisation = apps.get_model("members", "Organisation")
    if not user.is_authenticated:
        return organisation.objects.none()
    return organisation.objects.filter(representatives__user=user).distinct()


def can_represent(user, organisation) -> bool:
    return organisations_represented_by(user).filter(pk=organisation.pk).exists()


class ChapterOrganiserMixin(LoginRequiredMixin):
    """For organiser views under /<lang>/manage/<iso2>/...: sets self.chapter
    from the user's own chapters, or answers 404."""

    chapter_kwarg = "iso2"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        code = str(kwargs.get(self.chapter_kwarg, "")).upper()
        self.chapter = get_object_or_404(
            chapters_managed_by(request.user), country=code
        )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["chapter"] = self.chapter
        return context


class _SignedInAndAllowedMixin(LoginRequiredMixin):
    """Visitors are sent to sign in; anyone signed in but not `allowed` gets
    a 404, as for another chapter's pages."""

    def allowed(self, user) -> bool:
        raise NotImplementedError

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.allowed(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)


class StaffRequiredMixin(_SignedInAndAllowedMixin):
    """Staff pages."""

    def allowed(self, user) -> bool:
        return user.is_staff


class OrganiserRequiredMixin(_SignedInAndAllowedMixin):
    """Pages of anyone who organises at least one chapter (or staff)."""

    def allowed(self, user) -> bool:
        return is_organiser(user)
