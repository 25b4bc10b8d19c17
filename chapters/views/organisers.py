"""A chapter's organisers: the page listing them and inviting a
co-organiser, staff granting and revoking the role, and the invited
person's personal link to accept."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from chapters.bidi import isolated

from .. import ratelimit, services
from ..accounts import address_has_account
from ..forms.organisers import OrganiserGrantForm, OrganiserInviteForm
from ..models import Organiser
from ..permissions import ChapterOrganiserMixin


class ManageOrganisersView(ChapterOrganiserMixin, TemplateView):
    template_name = "chapters/manage_organisers.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        roles = self.chapter.organisers.select_related(
            "user", "granted_by", "revoked_by"
        ).order_by("revoked_at", "-granted_at")
        context.update(
            manage_tab="organisers",
            active_roles=[r for r in roles if r.is_active],
            past_roles=[r for r in roles if not r.is_active],
            invitations=self.chapter.organiser_invitations.pending().select_related(
                "invited_by"
            ),
            invite_form=kwargs.get("invite_form")
            or OrganiserInviteForm(initial={"language": translation.get_language()}),
            grant_form=kwargs.get("grant_form") or OrganiserGrantForm(),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = OrganiserInviteForm(request.POST)
        if form.is_valid():
            try:
                invitation = services.organiser_invite(
                    actor=request.user,
                    chapter=self.chapter,
                    email=form.cleaned_data["email"],
                    language=form.cleaned_data["language"],
                )
            except services.ChapterError as error:
                form.add_error("email", str(error))
            else:
                messages.success(
                    request,
                    _("An invitation was sent to %(email)s.")
                    % {"email": isolated(invitation.email)},
                )
                return redirect("chapters:organisers", iso2=self.chapter.iso2)
        return self.render_to_response(
            self.get_context_data(invite_form=form), status=400
        )


class StaffOrganiserGrantView(ChapterOrganiserMixin, View):
    """Staff give the organiser role to an existing account."""

    def post(self, request, *args, **kwargs):
        if not request.user.is_staff:
            raise PermissionDenied
        form = OrganiserGrantForm(request.POST)
        if not form.is_valid():
            view = ManageOrganisersView(request=request, kwargs=kwargs)
            view.chapter = self.chapter
            return view.render_to_response(
                view.get_context_data(grant_form=form), status=400
            )
        services.organiser_grant(
            actor=request.user, chapter=self.chapter, user=form.user
        )
        messages.success(
            request,
            _("%(email)s is now an organiser of this chapter.")
            % {"email": isolated(form.user.email)},
        )
        return redirect("chapters:organisers", iso2=self.chapter.iso2)


class StaffOrganiserRevokeView(ChapterOrganiserMixin, View):
    def post(self, request, *args, **kwargs):
        if not request.user.is_staff:
            raise PermissionDenied
        role = get_object_or_404(
            Organiser.objects.select_related("user"),
            pk=kwargs["role"],
            chapter=self.chapter,
        )
        services.organiser_revoke(actor=request.user, role=role)
        messages.success(
            request,
            _("%(email)s is no longer an organiser of this chapter.")
            % {"email": isolated(role.user.email)},
        )
        return redirect("chapters:organisers", iso2=self.chapter.iso2)


class InvitationView(TemplateView):
    """The co-organiser's personal link. It says which chapter, who invited
    them and what an organiser does. With no one signed in, the invited
    address gets its account and the role in one step (the link proves the
    mailbox), or is asked to sign in when it already has an account; a
    signed-in account with the invited, verified address accepts."""

    template_name = "chapters/organiser_invitation.html"

    def dispatch(self, request, *args, **kwargs):
        self.invitation, status = ratelimit.personal_link_lookup(
            request,
            "organiser-invitation",
            kwargs["token"],
            lambda: services.organiser_invitation_find(kwargs["token"]),
        )
        if status == 429:
            return render(request, "chapters/too_many_attempts.html", status=429)
        if status:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        context["invitation"] = self.invitation
        context["chapter"] = self.invitation.chapter
        context["inviter"] = self.invitation.invited_by
        context["email_matches"] = user.is_authenticated and (
            services.user_has_verified_email(user, self.invitation.email)
        )
        context["has_account"] = address_has_account(self.invitation.email)
        context["sign_in_url"] = (
            f"{reverse('account_login')}?{urlencode({'next': self.request.path})}"
        )
        return context

    def post(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self._open_account(request)
        try:
            services.organiser_invitation_accept(
                invitation=self.invitation, user=request.user
            )
        except services.ChapterError as error:
            messages.error(request, str(error))
            return redirect(request.path)
        messages.success(
            request, _("Welcome: you are now an organiser of this chapter.")
        )
        return redirect("chapters:manage", iso2=self.invitation.chapter.iso2)

    def _open_account(self, request):
        try:
            role, user, created = services.organiser_invitation_accept_opening_account(
                invitation=self.invitation
            )
        except services.ChapterError as error:
            messages.error(request, str(error))
            return redirect(request.path)
        if not created:
            messages.info(
                request,
                _("This address already has an account: sign in, then accept."),
            )
            return redirect(self.get_context_data()["sign_in_url"])
        login(
            request, user, backend="allauth.account.auth_backends.AuthenticationBackend"
        )
        messages.success(
            request,
            _(
                "Welcome: your account is ready and you are an organiser of this "
                "chapter. Next time, sign in with a code sent to your address."
            ),
        )
        return redirect("chapters:manage", iso2=role.chapter.iso2)
