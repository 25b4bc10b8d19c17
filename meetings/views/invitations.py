"""Organiser pages of invitations: invite (with the previews of the
e-mail), a batch and its progress, actions on one invitation, reminding
everyone who has not answered, and the bulk actions of a meeting."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponseRedirect, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chapters import languages
from chapters.bidi import isolated

from .. import selectors
from ..emails import invitation_email
from ..forms.filters import CandidateFilterForm, InvitationFilterForm
from ..forms.invitations import InviteForm
from ..models import Invitation, InvitationBatch
from ..services.errors import MeetingError
from ..services.invitations import (
    Recipient,
    invitation_batch_create,
    invitation_remind,
    invitation_requeue_stalled,
    invitation_resend,
    invitation_retry_failed,
    invitation_revoke_links,
    invitation_whatsapp_url,
    invitations_remind_unanswered,
    invitations_to_remind,
)
from .base import OrganiserActionView, OrganiserView

PAGE_SIZE = 25
# The preview names this many recipients and counts the others.
PREVIEW_RECIPIENTS = 100


class InviteView(OrganiserView):
    """Pick organisations (and people), preview each language, send. The
    outreach list is filtered and shown a page at a time; "everyone"
    invites all those the filters match, chosen on the server."""

    template_name = "meetings/invite_form.html"

    def candidates(self, meeting, data):
        """(the filter form bound to `data`, the candidates it matches)."""
        filter_form = CandidateFilterForm(data)
        candidates = selectors.outreach_candidates(
            chapter=self.chapter, meeting=meeting, **filter_form.filters()
        )
        return filter_form, candidates

    def invite_form(self, meeting, data=None, candidates=None):
        return InviteForm(
            data,
            contacts=selectors.invitable_contacts(
                chapter=self.chapter, meeting=meeting
            ),
            everyone=lambda: selectors.everyone_contacts(
                chapter=self.chapter, meeting=meeting, candidates=candidates
            ),
            chapter_languages=self.chapter.language_codes,
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = kwargs.get("meeting") or self.get_meeting()
        # A posted form comes back with the filters it was sent with.
        filter_form, candidates = self.candidates(
            meeting, kwargs.get("filter_data") or self.request.GET
        )
        page = Paginator(candidates, PAGE_SIZE).get_page(self.request.GET.get("page"))
        context.update(
            meeting=meeting,
            filter_form=filter_form,
            filtered=filter_form.filtered,
            candidates=selectors.candidate_rows(
                chapter=self.chapter, meeting=meeting, prospects=page.object_list
            ),
            page_obj=page,
            query_string=urlencode(filter_form.chosen),
        )
        context.setdefault("form", self.invite_form(meeting))
        return context

    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        # "everyone" means everyone the list's filters showed; they come
        # back with the form.
        _filters, candidates = self.candidates(meeting, request.POST)
        form = self.invite_form(meeting, request.POST, candidates=candidates)
        if not form.is_valid():
            return self.render_to_response(
                self.get_context_data(
                    form=form, meeting=meeting, filter_data=request.POST
                )
            )
        recipients = self._recipients(form.cleaned_data)
        if request.POST.get("step") != "send":
            return render(
                request,
                "meetings/invite_preview.html",
                self.get_context_data(
                    form=form,
                    meeting=meeting,
                    filter_data=request.POST,
                    recipients=recipients[:PREVIEW_RECIPIENTS],
                    recipients_count=len(recipients),
                    recipients_more=max(0, len(recipients) - PREVIEW_RECIPIENTS),
                    previews=_previews(meeting, request.user),
                ),
            )
        try:
            result = invitation_batch_create(
                actor=request.user, meeting=meeting, recipients=recipients
            )
        except MeetingError as error:
            messages.error(request, error.message)
            return redirect(self.meeting_url(meeting))
        for email in result.do_not_contact:
            messages.warning(
                request,
                _("%(email)s asked not to be contacted and was left out.")
                % {"email": isolated(email)},
            )
        for email in result.already_invited:
            messages.info(
                request,
                _("%(email)s was already invited.") % {"email": isolated(email)},
            )
        if result.batch is None:
            return redirect(self.meeting_url(meeting))
        return redirect(
            "meetings:batch",
            iso2=self.chapter.iso2,
            pk=meeting.pk,
            batch=result.batch.pk,
        )

    @staticmethod
    def _recipients(data) -> list[Recipient]:
        recipients = [
            Recipient(
                name=representative.name,
                email=representative.email,
                language=representative.language,
                organisation=representative.organisation,
                representative=representative,
            )
            for representative in data.get("representatives") or []
        ]
        if data.get("extra_email"):
            recipients.append(
                Recipient(
                    name=data["extra_name"],
                    email=data["extra_email"],
                    language=data.get("extra_language") or languages.default(),
                    organisation_name=data.get("extra_organisation", ""),
                )
            )
        return recipients


def _previews(meeting, actor) -> list[dict]:
    """The invitation as it will read in each language, with placeholders
    where each invitee gets a personal link. The template shows the body as
    text: a placeholder made clickable would answer 404 and count against
    the organiser's link-guessing limit."""
    agenda = list(meeting.agenda_items.all())
    materials = list(selectors.meeting_materials(meeting=meeting))
    previews = []
    for code in meeting.chapter.language_codes:
        with translation.override(code):
            placeholder = _("Name of the representative")
        sample = Invitation(
            meeting=meeting,
            name=placeholder,
            email="representative@example.org",
            language=code,
            created_by=actor,
        )
        email = invitation_email(
            invitation=sample,
            message="invitation",
            raw_token="personal-link",  # noqa: S106 - a placeholder, not a secret
            agenda=agenda,
            materials=materials,
            opt_out_link="#",
        )
        previews.append(
            {
                "code": code,
                "name": languages.name(code),
                "dir": languages.direction(code),
                "subject": email.subject,
                "body": email.body,
            }
        )
    return previews


class BatchView(OrganiserView):
    template_name = "meetings/batch_progress.html"

    def get_batch(self, meeting):
        return get_object_or_404(
            InvitationBatch, meeting=meeting, pk=self.kwargs["batch"]
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.get_meeting()
        batch = self.get_batch(meeting)
        context.update(
            meeting=meeting,
            batch=batch,
            progress=selectors.batch_progress(batch=batch),
            invitations=batch.invitations.order_by("organisation_name", "name"),
        )
        return context


class BatchProgressView(BatchView):
    """Polled by static/js/meetings-progress.js."""

    def get(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        batch = self.get_batch(meeting)
        return JsonResponse(selectors.batch_progress(batch=batch))


class InvitationActionView(OrganiserActionView):
    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        invitation = get_object_or_404(
            Invitation.objects.select_related("meeting__chapter"),
            meeting=meeting,
            pk=self.kwargs["invitation"],
        )
        action = request.POST.get("action")
        try:
            if action == "resend":
                invitation_resend(actor=request.user, invitation=invitation)
                messages.success(request, _("The invitation is being sent again."))
            elif action == "remind":
                invitation_remind(actor=request.user, invitation=invitation)
                messages.success(request, _("A reminder is being sent."))
            elif action == "revoke":
                invitation_revoke_links(actor=request.user, invitation=invitation)
                messages.success(
                    request, _("The personal links of this invitation were closed.")
                )
            elif action == "whatsapp":
                return HttpResponseRedirect(
                    invitation_whatsapp_url(actor=request.user, invitation=invitation)
                )
            else:
                raise Http404
        except MeetingError as error:
            messages.error(request, error.message)
        return redirect(
            self.meeting_url(meeting) + _list_query(request) + "#invitations"
        )


def _list_query(request) -> str:
    """ "?…" for the filters and page of the invitations the organiser acted
    from (posted as `list`), rebuilt from their valid values only; "" when
    none."""
    shown = QueryDict(request.POST.get("list", "")[:1000])
    chosen = InvitationFilterForm(shown).chosen
    if shown.get("page", "").isdecimal():
        chosen.append(("page", shown["page"]))
    return f"?{urlencode(chosen)}" if chosen else ""


class RemindUnansweredView(OrganiserView):
    """ "Remind everyone who has not answered": the list of who will get the
    reminder and in which language first, then one POST sends them all."""

    template_name = "meetings/remind_unanswered.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.get_meeting()
        context.update(
            meeting=meeting,
            reached=invitations_to_remind(meeting=meeting),
        )
        return context

    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        try:
            count = invitations_remind_unanswered(actor=request.user, meeting=meeting)
        except MeetingError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                ngettext(
                    "A reminder is on its way to %(count)s invitee.",
                    "A reminder is on its way to %(count)s invitees.",
                    count,
                )
                % {"count": count},
            )
        return redirect(self.meeting_url(meeting, "meetings:detail"))


class MeetingInvitationsActionView(OrganiserActionView):
    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        action = request.POST.get("action")
        try:
            if action == "retry_failed":
                count = invitation_retry_failed(actor=request.user, meeting=meeting)
            elif action == "requeue":
                count = invitation_requeue_stalled(actor=request.user, meeting=meeting)
            else:
                raise Http404
        except MeetingError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                ngettext(
                    "%(count)s message was handed to the sender again.",
                    "%(count)s messages were handed to the sender again.",
                    count,
                )
                % {"count": count},
            )
        return redirect(
            self.meeting_url(meeting) + _list_query(request) + "#invitations"
        )
