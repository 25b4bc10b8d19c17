"""Who may do what: the one place that decides.

- Staff: the Django admin and every chapter.
- Organisers: the chapters where they hold an active organiser role.
- Representatives: the organisations whose representative record is linked to
  their account, and in each of them only the chapters whose records those
  are (representative_chapters): a role is earned in a chapter, through a
  personal link that chapter sent, and gives nothing in another chapter.
- Visitors: anonymous, public pages only.

Views fetch objects through the scoped querysets below, so an object of
another chapter is a 404 rather than a 403 that would confirm it exists.
"""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404

from . import extensions
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
    """Organisations the signed-in user represents (the rows come from the
    extension point `representation`, so that chapters never imports
    members)."""
    organisations = extensions.representation.get().organisations()
    if not user.is_authenticated:
        return organisations.none()
    return organisations.filter(representatives__user=user).distinct()


def can_represent(user, organisation) -> bool:
    return organisations_represented_by(user).filter(pk=organisation.pk).exists()


def representative_chapters(user, organisation) -> set[int]:
    """Ids of the chapters in which the signed-in user speaks for the
    organisation: those that wrote the representative rows linked to the
    account. A row is linked only through a personal link its own chapter
    sent to its address (members.services.accounts.representative_account_open), so
    a row written by chapter B gives nothing in chapter A: not its contacts,
    not its membership, not its tasks."""
    if not user.is_authenticated:
        return set()
    representatives = extensions.representation.get().representatives()
    return set(
        representatives.filter(
            organisation=organisation, user=user, chapter__isnull=False
        ).values_list("chapter_id", flat=True)
    )


def public_profile_refused_by(user, organisation, *, chapter=None) -> list[Chapter]:
    """The chapters whose public page shows the organisation (a confirmed
    member there) and in which the person holds no role: while any is left,
    the person may not change the organisation's public profile. Roles:
    staff (every chapter), an organiser of the chapter, a representative
    whose account that chapter linked, and `chapter` when the change is made
    through that chapter's own personal link. Another chapter's outreach list
    does not count: it is a private working list, and any chapter may put any
    organisation on it."""
    if user.is_authenticated and user.is_staff:
        return []
    allowed = representative_chapters(user, organisation)
    if chapter is not None:
        allowed.add(chapter.pk)
    listing = Chapter.objects.filter(
        memberships__organisation=organisation, memberships__state="confirmed"
    ).exclude(pk__in=allowed)
    if user.is_authenticated:
        listing = listing.exclude(pk__in=chapters_managed_by(user).values("pk"))
    return list(listing.order_by("country"))


def organises_chapter_address(email: str, chapter: Chapter) -> bool:
    """True when an account with this address (its sign-in address or any
    address added to it, verified or not) organises the chapter or is staff:
    a personal link sent there reaches an organiser, not the organisation."""
    email = (email or "").strip()
    if not email:
        return False
    accounts = get_user_model().objects.filter(
        Q(email__iexact=email)
        | Q(pk__in=EmailAddress.objects.filter(email__iexact=email).values("user"))
    )
    return accounts.filter(
        Q(is_staff=True)
        | Q(organiser_roles__chapter=chapter, organiser_roles__revoked_at__isnull=True)
    ).exists()


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
