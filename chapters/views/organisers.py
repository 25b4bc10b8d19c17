"""A chapter's organisers: the page listing them and inviting a
co-organiser, staff granting and revoking the role, and the invited
person's personal link to accept."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.generic import TemplateView, View

from chapters.bidi import isolated

from .. import ratelimit, services
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


class InvitationView(LoginRequiredMixin, TemplateView):
    """The co-organiser's personal link: shows the invitation, accepts on
    POST when the signed-in account has the invited, verified address."""

    template_name = "chapters/organiser_invitation.html"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
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
        context["invitation"] = self.invitation
        context["chapter"] = self.invitation.chapter
        context["email_matches"] = services.user_has_verified_email(
            self.request.user, self.invitation.email
        )
        return context

    def post(self, request, *args, **kwargs):
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
