"""Views of the meetings app: organiser pages under /<lang>/manage/<iso2>/
(ChapterOrganiserMixin: another chapter's meeting is a 404) and the
invitee's pages behind a personal link (no account needed). Each view binds
a form, calls one service, messages and redirects."""

from django.contrib import messages
from django.contrib.auth import login
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseRedirect,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language, ngettext, pgettext
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.generic import TemplateView

from chapters import ratelimit
from chapters.permissions import ChapterOrganiserMixin
from members.membership import MembershipError, representative_account_open

from . import emails, selectors, services
from .emails import invitation_email
from .forms import (
    AgendaItemForm,
    AnswerForm,
    DecisionForm,
    IdeaForm,
    IdeaUpdateForm,
    InviteeIdeaForm,
    InviteForm,
    MaterialForm,
    MeetingForm,
    NoteForm,
    SummaryForm,
    WalkInForm,
    idea_kind_choices,
    split_kind,
)
from .models import (
    DECISION_RESTORE_DAYS,
    AgendaItem,
    Attendance,
    Decision,
    Idea,
    Invitation,
    InvitationBatch,
    Material,
    Meeting,
)
from .services import MeetingError, Recipient
from .services import minutes as minutes_services
from .services.minutes import NoteConflict


class InChapterZone:
    """Dates on the page, and those typed into forms, are in the chapter's
    time zone; the response is rendered inside the override too."""

    def dispatch(self, request, *args, **kwargs):
        with timezone.override(selectors.chapter_zone(self.chapter)):
            response = super().dispatch(request, *args, **kwargs)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
        return response


class OrganiserView(ChapterOrganiserMixin, InChapterZone, TemplateView):
    manage_tab = "meetings"

    def get_meeting(self):
        try:
            return selectors.meeting_for_organiser(
                chapter=self.chapter, pk=self.kwargs["pk"]
            )
        except Meeting.DoesNotExist as error:  # also another chapter's meeting
            raise Http404 from error

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["manage_tab"] = self.manage_tab
        context["zone"] = selectors.chapter_zone(self.chapter).key
        return context

    def meeting_url(self, meeting, name="meetings:detail"):
        return reverse(name, kwargs={"iso2": self.chapter.iso2, "pk": meeting.pk})


class OrganiserActionView(OrganiserView):
    """A form target only: GET answers 405 (after the chapter check, so
    another chapter's URL is still a 404)."""

    http_method_names = ["post"]


def _posted_pk(request, name: str) -> int:
    """The id of a row a form names; anything but a number names no row, so
    a tampered form gets a 404 rather than a server error."""
    value = request.POST.get(name, "")
    return int(value) if value.isdecimal() else 0


def _error_to_form(form, error: MeetingError) -> None:
    field = error.field if error.field in form.fields else None
    form.add_error(field, error.message)


# Meetings ------------------------------------------------------------------


class MeetingListView(OrganiserView):
    template_name = "meetings/meeting_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["meetings"] = selectors.meeting_list(chapter=self.chapter)
        context["chapter_materials"] = selectors.chapter_materials(chapter=self.chapter)
        context["material_form"] = MaterialForm()
        return context


class MeetingCreateView(OrganiserView):
    template_name = "meetings/meeting_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", MeetingForm())
        return context

    def post(self, request, *args, **kwargs):
        form = MeetingForm(request.POST)
        if form.is_valid():
            already_held = form.cleaned_data["already_held"]
            try:
                meeting = services.meeting_create(
                    actor=request.user,
                    chapter=self.chapter,
                    data=form.cleaned_data,
                    already_held=already_held,
                )
            except MeetingError as error:
                _error_to_form(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "The meeting was recorded as held. Enter the attendance, "
                        "notes, ideas and decisions, then publish the minutes."
                    )
                    if already_held
                    else _("The meeting was created as a draft."),
                )
                return redirect(self.meeting_url(meeting))
        return self.render_to_response(self.get_context_data(form=form))


class MeetingUpdateView(OrganiserView):
    template_name = "meetings/meeting_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["meeting"] = meeting = kwargs.get("meeting") or self.get_meeting()
        context.setdefault(
            "form",
            MeetingForm(
                instance=meeting,
                can_notify=services.meeting_has_invitees_to_tell(meeting),
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        form = MeetingForm(
            request.POST,
            instance=meeting,
            can_notify=services.meeting_has_invitees_to_tell(meeting),
        )
        if form.is_valid():
            try:
                services.meeting_update(
                    actor=request.user,
                    meeting=self.get_meeting(),
                    data=form.cleaned_data,
                    notify_invitees=form.cleaned_data.get("notify_invitees", False),
                )
            except MeetingError as error:
                _error_to_form(form, error)
            else:
                messages.success(request, _("The meeting was saved."))
                return redirect(self.meeting_url(meeting))
        return self.render_to_response(
            self.get_context_data(form=form, meeting=self.get_meeting())
        )


class MeetingDetailView(OrganiserView):
    template_name = "meetings/meeting_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.get_meeting()
        counts = selectors.invitation_status_counts(meeting=meeting)
        organisations = selectors.organisations_invited(meeting=meeting)
        context.update(
            meeting=meeting,
            agenda=list(meeting.agenda_items.all()),
            invitations=selectors.meeting_invitations(meeting=meeting),
            counts=counts,
            organisations_count=organisations,
            target_warning=selectors.target_warning(
                meeting=meeting, count=organisations
            ),
            materials=selectors.materials_with_openings(meeting=meeting),
            material_form=MaterialForm(),
            statuses=[
                (value, label, counts.get(value, 0))
                for value, label in Invitation.Status.choices
            ],
        )
        return context


class MeetingStatusView(OrganiserActionView):
    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        action = request.POST.get("action")
        actions = {
            "cancel": (
                services.meeting_cancel,
                _("The meeting was cancelled; invitees are being told."),
            ),
            "held": (services.meeting_mark_held, _("The meeting is marked as held.")),
        }
        if action not in actions:
            raise Http404
        service, done = actions[action]
        try:
            service(actor=request.user, meeting=meeting)
        except MeetingError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, done)
        return redirect(self.meeting_url(meeting))


# Agenda --------------------------------------------------------------------


class AgendaItemMixin:
    def get_item(self, meeting):
        return get_object_or_404(AgendaItem, meeting=meeting, pk=self.kwargs["item"])


class AgendaItemFormView(AgendaItemMixin, OrganiserView):
    template_name = "meetings/agenda_item_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.get_meeting()
        item = self.get_item(meeting) if "item" in self.kwargs else None
        context.update(meeting=meeting, item=item)
        context.setdefault("form", AgendaItemForm(instance=item))
        return context

    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        item = self.get_item(meeting) if "item" in self.kwargs else None
        form = AgendaItemForm(request.POST, instance=item)
        if form.is_valid():
            if item is None:
                services.agenda_item_add(
                    actor=request.user, meeting=meeting, data=form.cleaned_data
                )
            else:
                services.agenda_item_update(
                    actor=request.user, item=item, data=form.cleaned_data
                )
            messages.success(request, _("The agenda was saved."))
            return redirect(self.meeting_url(meeting) + "#agenda")
        return self.render_to_response(self.get_context_data(form=form))


class AgendaItemMoveView(AgendaItemMixin, OrganiserActionView):
    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        item = self.get_item(meeting)
        action = request.POST.get("action")
        if action in ("up", "down"):
            services.agenda_item_move(actor=request.user, item=item, direction=action)
        elif action == "remove":
            services.agenda_item_remove(actor=request.user, item=item)
            messages.success(request, _("The agenda item was removed."))
        else:
            raise Http404
        return redirect(self.meeting_url(meeting) + "#agenda")


# Materials -----------------------------------------------------------------


class MaterialAddView(OrganiserView):
    """Add a material to one meeting (pk given) or to the chapter."""

    template_name = "meetings/material_form.html"

    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting() if "pk" in self.kwargs else None
        form = MaterialForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.material_add(
                    actor=request.user,
                    chapter=self.chapter,
                    meeting=meeting,
                    title=form.cleaned_data["title"],
                    language=form.cleaned_data["language"],
                    upload=form.cleaned_data["file"],
                    url=form.cleaned_data["url"],
                )
            except MeetingError as error:
                _error_to_form(form, error)
            else:
                messages.success(request, _("The material was added."))
                return redirect(self._back(meeting))
        return self.render_to_response(
            self.get_context_data(form=form, meeting=meeting), status=400
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", MaterialForm())
        if "meeting" not in context and "pk" in self.kwargs:
            context["meeting"] = self.get_meeting()
        return context

    def _back(self, meeting):
        if meeting:
            return self.meeting_url(meeting) + "#materials"
        return reverse("meetings:list", kwargs={"iso2": self.chapter.iso2})


class MaterialOrganiserView(OrganiserView):
    def get_material(self):
        return get_object_or_404(
            Material.objects.select_related("meeting"),
            chapter=self.chapter,
            pk=self.kwargs["material"],
        )

    def get(self, request, *args, **kwargs):
        return material_response(self.get_material())

    def post(self, request, *args, **kwargs):
        material = self.get_material()
        meeting = material.meeting
        services.material_remove(actor=request.user, material=material)
        messages.success(request, _("The material was removed."))
        if meeting:
            return redirect(self.meeting_url(meeting) + "#materials")
        return redirect("meetings:list", iso2=self.chapter.iso2)


def material_response(material: Material):
    """A material as a download (never shown inline, so an uploaded file
    cannot run as a page of the portal), or a redirect to its link."""
    if material.is_link:
        return HttpResponseRedirect(material.url)
    response = FileResponse(
        material.file.open("rb"),
        as_attachment=True,
        filename=material.original_name or material.file.name.rsplit("/", 1)[-1],
        content_type=material.content_type or "application/octet-stream",
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


# Invitations ---------------------------------------------------------------


class InviteView(OrganiserView):
    """Pick organisations (and people), preview both languages, send."""

    template_name = "meetings/invite_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = kwargs.get("meeting") or self.get_meeting()
        candidates = selectors.outreach_candidates(
            chapter=self.chapter, meeting=meeting
        )
        context.update(meeting=meeting, candidates=candidates)
        context.setdefault("form", InviteForm(candidates=candidates))
        return context

    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        candidates = selectors.outreach_candidates(
            chapter=self.chapter, meeting=meeting
        )
        form = InviteForm(request.POST, candidates=candidates)
        if not form.is_valid():
            return self.render_to_response(
                self.get_context_data(form=form, meeting=meeting)
            )
        recipients = self._recipients(form.cleaned_data, candidates)
        if request.POST.get("step") != "send":
            return render(
                request,
                "meetings/invite_preview.html",
                self.get_context_data(
                    form=form,
                    meeting=meeting,
                    recipients=recipients,
                    previews=_previews(meeting, request.user),
                ),
            )
        try:
            result = services.invitation_batch_create(
                actor=request.user, meeting=meeting, recipients=recipients
            )
        except MeetingError as error:
            messages.error(request, error.message)
            return redirect(self.meeting_url(meeting))
        for email in result.do_not_contact:
            messages.warning(
                request,
                _("%(email)s asked not to be contacted and was left out.")
                % {"email": email},
            )
        for email in result.already_invited:
            messages.info(
                request, _("%(email)s was already invited.") % {"email": email}
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
    def _recipients(data, candidates) -> list[Recipient]:
        wanted = set(data.get("representatives") or [])
        recipients = [
            Recipient(
                name=row["representative"].name,
                email=row["representative"].email,
                language=row["representative"].language,
                organisation=row["organisation"],
                representative=row["representative"],
            )
            for row in candidates
            if row["representative"] and str(row["representative"].pk) in wanted
        ]
        if data.get("extra_email"):
            recipients.append(
                Recipient(
                    name=data["extra_name"],
                    email=data["extra_email"],
                    language=data.get("extra_language") or "ar",
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
    for code, name in (("ar", _("Arabic")), ("en", _("English"))):
        sample = Invitation(
            meeting=meeting,
            name=_("Name of the representative"),
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
            {"code": code, "name": name, "subject": email.subject, "body": email.body}
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
                services.invitation_resend(actor=request.user, invitation=invitation)
                messages.success(request, _("The invitation is being sent again."))
            elif action == "remind":
                services.invitation_remind(actor=request.user, invitation=invitation)
                messages.success(request, _("A reminder is being sent."))
            elif action == "revoke":
                services.invitation_revoke_links(
                    actor=request.user, invitation=invitation
                )
                messages.success(
                    request, _("The personal links of this invitation were closed.")
                )
            elif action == "whatsapp":
                return HttpResponseRedirect(
                    services.invitation_whatsapp_url(
                        actor=request.user, invitation=invitation
                    )
                )
            else:
                raise Http404
        except MeetingError as error:
            messages.error(request, error.message)
        return redirect(self.meeting_url(meeting) + "#invitations")


class RemindUnansweredView(OrganiserView):
    """ "Remind everyone who has not answered": the list of who will get the
    reminder and in which language first, then one POST sends them all."""

    template_name = "meetings/remind_unanswered.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.get_meeting()
        context.update(
            meeting=meeting,
            reached=services.invitations_to_remind(meeting=meeting),
        )
        return context

    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        try:
            count = services.invitations_remind_unanswered(
                actor=request.user, meeting=meeting
            )
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
                count = services.invitation_retry_failed(
                    actor=request.user, meeting=meeting
                )
            elif action == "requeue":
                count = services.invitation_requeue_stalled(
                    actor=request.user, meeting=meeting
                )
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
        return redirect(self.meeting_url(meeting) + "#invitations")


# Attendance ----------------------------------------------------------------


class CheckInView(OrganiserView):
    """Check-in at the door, made for a phone: every invitee (accepted
    first, then those who have not answered, then those who declined),
    searched by person or organisation, one form per row, and walk-ins."""

    template_name = "meetings/checkin.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.get_meeting()
        query = self.request.GET.get("q", "").strip()[:100]
        invitations, walk_ins = selectors.checkin_list(meeting=meeting, query=query)
        accepted = Invitation.Status.ACCEPTED
        declined = Invitation.Status.DECLINED
        context.update(
            meeting=meeting,
            query=query,
            groups=[
                (
                    "accepted",
                    pgettext("invitation status", "Accepted"),
                    [i for i in invitations if i.status == accepted],
                ),
                (
                    "unanswered",
                    _("Waiting for an answer"),
                    [i for i in invitations if i.status not in (accepted, declined)],
                ),
                (
                    "declined",
                    pgettext("invitation status", "Declined"),
                    [i for i in invitations if i.status == declined],
                ),
            ],
            invitee_count=len(invitations),
            walk_ins=walk_ins,
            present_count=selectors.attended_organisation_count(meeting=meeting),
            organisation_names=selectors.outreach_organisation_names(
                chapter=self.chapter
            ),
        )
        context.setdefault("form", WalkInForm(initial={"language": get_language()}))
        return context

    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        action = request.POST.get("action")
        if action == "check_in":
            invitation = get_object_or_404(
                Invitation, meeting=meeting, pk=_posted_pk(request, "invitation")
            )
            services.attendance_check_in(
                actor=request.user,
                invitation=invitation,
                name_in_minutes=request.POST.get("name_in_minutes") == "on",
            )
            messages.success(
                request, _("%(name)s was checked in.") % {"name": invitation.name}
            )
        elif action == "undo":
            attendance = get_object_or_404(
                Attendance, meeting=meeting, pk=_posted_pk(request, "attendance")
            )
            services.attendance_remove(actor=request.user, attendance=attendance)
        elif action == "walk_in":
            return self._walk_in(request, meeting)
        else:
            raise Http404
        return redirect(self.meeting_url(meeting, "meetings:checkin"))

    def _walk_in(self, request, meeting):
        form = WalkInForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            organisation = selectors.organisation_by_name(
                chapter=self.chapter, name=data["organisation_name"]
            )
            if organisation is None and not data["new_organisation"]:
                form.add_error(
                    "organisation_name",
                    _(
                        "This organisation is not on the outreach list. Choose "
                        "one from the list, or tick the box to add it."
                    ),
                )
            else:
                try:
                    services.attendance_add_walk_in(
                        actor=request.user,
                        meeting=meeting,
                        name=data["name"],
                        organisation_name=data["organisation_name"],
                        organisation=organisation,
                        email=data["email"],
                        kind=data["kind"],
                        language=data["language"] or get_language(),
                        name_in_minutes=data["name_in_minutes"],
                    )
                except MeetingError as error:
                    _error_to_form(form, error)
                else:
                    messages.success(
                        request, _("%(name)s was checked in.") % {"name": data["name"]}
                    )
                    return redirect(self.meeting_url(meeting, "meetings:checkin"))
        return self.render_to_response(self.get_context_data(form=form), status=400)


# The invitee's pages -------------------------------------------------------


def _invalid_link(request, status=404):
    return render(request, "meetings/invitation_invalid.html", status=status)


def _invitation_or_none(request, token):
    invitation, status = ratelimit.personal_link_lookup(
        request, "invitation", token, lambda: selectors.invitation_for_token(token)
    )
    if status:
        return None, _invalid_link(request, status=status)
    return invitation, None


def invitation_page(request, token):
    invitation, refusal = _invitation_or_none(request, token)
    if refusal:
        return refusal
    if request.method == "POST" and request.POST.get("form") == "idea":
        return _invitee_idea(request, invitation, token)
    if request.method == "POST" and request.POST.get("form") == "account":
        return _invitee_account(request, invitation)
    form = _answer_form(invitation, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_answer(
                invitation=invitation,
                accept=form.cleaned_data["answer"] == "accept",
                attendees=form.cleaned_data["attendees"],
                needs=form.cleaned_data["needs"],
                note=form.cleaned_data["note"],
                name_in_minutes=form.cleaned_data["name_in_minutes"],
            )
        except MeetingError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Thank you, your answer was saved."))
        return redirect(request.path)
    if request.method == "GET":
        services.invitation_open(invitation=invitation)
    return _render_invitation_page(request, invitation, token, form=form)


def _account_representative(invitation):
    """The representative whose account the invitee may open from this link:
    only when the invitation went to that representative's own address,
    which the link proves the invitee reads."""
    representative = invitation.representative
    if representative is None or representative.user_id is not None:
        return None
    if representative.email.strip().lower() != invitation.email.strip().lower():
        return None
    return representative


def _invitee_account(request, invitation):
    representative = _account_representative(invitation)
    if representative is None:
        return redirect(request.path)
    try:
        opened = representative_account_open(
            representative=representative, chapter=invitation.meeting.chapter
        )
    except MembershipError as error:
        messages.error(request, str(error))
        return redirect(request.path)
    if opened.created:
        login(
            request,
            opened.user,
            backend="allauth.account.auth_backends.AuthenticationBackend",
        )
        messages.success(
            request,
            _(
                "Your account is ready. Next time, sign in with a code sent "
                "to your e-mail address."
            ),
        )
        return redirect("chapters:my_chapters")
    messages.info(
        request,
        _(
            "An account already exists for this address and is now linked to "
            "your organisation. Sign in with a code sent to your e-mail address."
        ),
    )
    return redirect("account_login")


def _render_invitation_page(request, invitation, token, *, form, idea_form=None):
    meeting = invitation.meeting
    minutes = selectors.minutes_of(meeting)
    with timezone.override(selectors.chapter_zone(meeting.chapter)):
        return render(
            request,
            "meetings/invitation_page.html",
            {
                "ideas": selectors.ideas_for_invitee(invitation=invitation),
                "idea_form": idea_form or InviteeIdeaForm(),
                "can_add_ideas": meeting.status != meeting.Status.CANCELLED,
                "minutes_published": bool(minutes and minutes.is_published),
                "invitation": invitation,
                "meeting": meeting,
                "chapter": meeting.chapter,
                "agenda": meeting.agenda_items.order_by("order", "id"),
                "materials": selectors.meeting_materials(meeting=meeting),
                "form": form,
                "token": token,
                "can_open_account": not request.user.is_authenticated
                and _account_representative(invitation) is not None,
                "zone": selectors.chapter_zone(meeting.chapter).key,
                "can_answer": meeting.status != meeting.Status.CANCELLED
                and invitation.status != invitation.Status.WALK_IN
                and meeting.starts_at > timezone.now(),
            },
        )


def invitation_material(request, token, material):
    invitation, refusal = _invitation_or_none(request, token)
    if refusal:
        return refusal
    item = selectors.meeting_materials(meeting=invitation.meeting).filter(pk=material)
    item = item.first()
    if item is None:
        return _invalid_link(request)
    services.material_record_opening(invitation=invitation, material=item)
    return material_response(item)


def invitation_calendar(request, token):
    """The invitee's calendar file, the one their e-mail carries (same UID
    and SEQUENCE, so a calendar program replaces rather than doubles the
    event), behind the same personal-link gate as their page."""
    invitation, refusal = _invitation_or_none(request, token)
    if refusal:
        return refusal
    meeting = invitation.meeting
    cancelled = meeting.status == Meeting.Status.CANCELLED
    ics = emails.invitation_calendar(
        meeting=meeting,
        message="cancelled" if cancelled else "invitation",
        language=invitation.language,
        link=""
        if cancelled
        else emails.invitation_url(raw_token=token, language=invitation.language),
    )
    services.invitation_open(invitation=invitation)
    response = HttpResponse(ics, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="meeting.ics"'
    response["Cache-Control"] = "private, no-store"
    return response


def _answer_form(invitation, data=None) -> AnswerForm:
    return AnswerForm(
        data,
        initial={
            "answer": {"accepted": "accept", "declined": "decline"}.get(
                invitation.status
            ),
            "attendees": invitation.attendees or invitation.name,
            "needs": invitation.needs,
            "note": invitation.note,
            "name_in_minutes": invitation.name_in_minutes,
        },
    )


def _invitee_idea(request, invitation, token):
    """An idea or question sent from the personal page; it waits for an
    organiser's approval."""
    form = InviteeIdeaForm(request.POST)
    if form.is_valid():
        try:
            minutes_services.idea_submit(invitation=invitation, **form.idea_values())
        except MeetingError as error:
            _error_to_form(form, error)
        else:
            messages.success(
                request,
                _(
                    "Thank you. Your contribution will be visible to the other "
                    "participants once the organisers approve it."
                ),
            )
            return redirect(request.path + "#ideas")
    response = _render_invitation_page(
        request,
        invitation,
        token,
        form=_answer_form(invitation),
        idea_form=form,
    )
    response.status_code = 400
    return response


def invitation_minutes(request, token):
    """The published minutes, for an invitee through their personal link."""
    invitation, refusal = _invitation_or_none(request, token)
    if refusal:
        return refusal
    meeting = invitation.meeting
    minutes = selectors.minutes_of(meeting)
    if minutes is None or not minutes.is_published:
        return _invalid_link(request)
    with timezone.override(selectors.chapter_zone(meeting.chapter)):
        return render(
            request,
            "meetings/minutes_public.html",
            {
                "meeting": meeting,
                "chapter": meeting.chapter,
                "minutes": minutes,
                "token": token,
                "can_open_account": not request.user.is_authenticated
                and _account_representative(invitation) is not None,
                "zone": selectors.chapter_zone(meeting.chapter).key,
                **selectors.minutes_context(meeting=meeting),
            },
        )


# Notes -------------------------------------------------------------------


def _note_languages(meeting: Meeting) -> tuple[list[str], list[str]]:
    """(languages written during the meeting, languages offered as a
    translation), the page's language first among the working ones."""
    working = {"ar": ["ar"], "en": ["en"]}.get(meeting.working_languages, ["ar", "en"])
    current = get_language()
    working.sort(key=lambda code: code != current)
    return working, [code for code in ("ar", "en") if code not in working]


LANGUAGE_NAMES = {"ar": _lazy("Arabic"), "en": _lazy("English")}


class NotesView(OrganiserView):
    """Notes per agenda item: autosaved by static/js/meetings-notes.js, and a
    plain form per text when JavaScript is off."""

    template_name = "meetings/notes.html"
    manage_subtab = "notes"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = kwargs.get("meeting") or self.get_meeting()
        # {(item pk, language): {"text", "version", "error", "conflict"}} for a
        # form sent without JavaScript that could not be saved.
        overrides = kwargs.get("overrides", {})
        working, translations = _note_languages(meeting)
        agenda = selectors.agenda_with_notes(meeting=meeting)
        for item in agenda:
            item.fields = [
                self._field(item, code, code in translations, overrides)
                for code in working + translations
            ]
        context.update(meeting=meeting, agenda=agenda, subtab=self.manage_subtab)
        return context

    @staticmethod
    def _field(item, code, is_translation, overrides) -> dict:
        note = item.recorded_note
        field = {
            "language": code,
            "name": LANGUAGE_NAMES[code],
            "dir": "rtl" if code == "ar" else "ltr",
            "text": (getattr(note, f"text_{code}", "") or "") if note else "",
            "version": note.version(code) if note else 0,
            "is_translation": is_translation,
            "error": "",
            "conflict": None,
        }
        field.update(overrides.get((item.pk, code), {}))
        return field


class NoteSaveView(OrganiserActionView):
    """POST one language of one item's notes. JavaScript asks for JSON
    (Accept: application/json): 200 with the new version, 409 with the
    stored text when the version is stale, 400 with a message. A plain form
    gets a redirect, or the page again with the text kept and the problem
    shown."""

    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        item = get_object_or_404(AgendaItem, meeting=meeting, pk=self.kwargs["item"])
        wants_json = "application/json" in request.headers.get("Accept", "")
        form = NoteForm(request.POST)
        if not form.is_valid():
            message = _("These notes could not be read. Reload the page and try again.")
            if wants_json:
                return JsonResponse({"error": message}, status=400)
            messages.error(request, message)
            return redirect(self.meeting_url(meeting, "meetings:notes"))
        language = form.cleaned_data["language"]
        text = form.cleaned_data["text"]
        try:
            note = minutes_services.note_save(
                actor=request.user,
                item=item,
                language=language,
                text=text,
                version=form.cleaned_data["version"],
            )
        except NoteConflict as conflict:
            editor = conflict.note.updated_by
            payload = {
                "error": conflict.message,
                "text": conflict.text,
                "version": conflict.version,
                "by": (editor.get_full_name() or editor.email) if editor else "",
                "at": date_format(timezone.localtime(conflict.note.updated_at), "H:i"),
            }
            if wants_json:
                return JsonResponse(payload, status=409)
            return self._again(
                meeting, item, language, text, conflict.version, conflict=payload
            )
        except MeetingError as error:
            if wants_json:
                return JsonResponse({"error": error.message}, status=400)
            return self._again(
                meeting,
                item,
                language,
                text,
                form.cleaned_data["version"],
                error=error.message,
            )
        saved_at = date_format(timezone.localtime(note.updated_at), "H:i")
        if wants_json:
            return JsonResponse(
                {"version": note.version(language), "saved_at": saved_at}
            )
        messages.success(request, _("Saved at %(time)s.") % {"time": saved_at})
        return redirect(
            self.meeting_url(meeting, "meetings:notes") + f"#item-{item.pk}"
        )

    def _again(self, meeting, item, language, text, version, **problem):
        view = NotesView()
        view.setup(self.request, *self.args, **self.kwargs)
        view.chapter = self.chapter
        context = view.get_context_data(
            meeting=meeting,
            overrides={
                (item.pk, language): {"text": text, "version": version, **problem}
            },
        )
        status = 409 if problem.get("conflict") else 400
        return render(self.request, NotesView.template_name, context, status=status)


# Ideas -------------------------------------------------------------------


class IdeasView(OrganiserView):
    template_name = "meetings/ideas.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = kwargs.get("meeting") or self.get_meeting()
        organisations = selectors.meeting_organisations(meeting=meeting)
        ideas = selectors.ideas_for_organiser(meeting=meeting)
        # Merge targets: the other ideas of the same category.
        for idea in ideas["pending"] + ideas["approved"]:
            idea.merge_targets = [
                other
                for other in ideas["pending"] + ideas["approved"]
                if other.category == idea.category and other.pk != idea.pk
            ]
            idea.kind = f"{idea.category}:{idea.topic}"
        context.update(
            meeting=meeting,
            ideas=ideas,
            kind_choices=idea_kind_choices(),
            subtab="ideas",
        )
        context.setdefault("form", IdeaForm(organisations=organisations))
        return context

    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        form = IdeaForm(
            request.POST,
            organisations=selectors.meeting_organisations(meeting=meeting),
        )
        if form.is_valid():
            try:
                minutes_services.idea_add(
                    actor=request.user, meeting=meeting, **form.idea_values()
                )
            except MeetingError as error:
                _error_to_form(form, error)
            else:
                messages.success(request, _("The idea was added."))
                return redirect(self.meeting_url(meeting, "meetings:ideas"))
        return self.render_to_response(
            self.get_context_data(form=form, meeting=meeting), status=400
        )


class IdeaActionView(OrganiserActionView):
    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        idea = get_object_or_404(Idea, meeting=meeting, pk=self.kwargs["idea"])
        action = request.POST.get("action")
        try:
            if action in ("approve", "reject"):
                minutes_services.idea_moderate(
                    actor=request.user, idea=idea, approve=action == "approve"
                )
                messages.success(
                    request,
                    _("The idea is now visible to the participants.")
                    if action == "approve"
                    else _("The idea will not be shown."),
                )
            elif action == "merge":
                into = get_object_or_404(
                    Idea, meeting=meeting, pk=_posted_pk(request, "into")
                )
                minutes_services.idea_merge(actor=request.user, idea=idea, into=into)
                messages.success(request, _("The duplicate was merged."))
            elif action == "unmerge":
                minutes_services.idea_unmerge(actor=request.user, idea=idea)
                messages.success(request, _("The idea stands on its own again."))
            elif action == "update":
                form = IdeaUpdateForm(request.POST)
                if not form.is_valid():
                    raise MeetingError(_("Choose a category from the list."))
                category, topic = split_kind(form.cleaned_data["kind"])
                minutes_services.idea_update(
                    actor=request.user,
                    idea=idea,
                    category=category,
                    topic=topic,
                    answer=form.cleaned_data["answer"],
                    is_next_step=form.cleaned_data["is_next_step"],
                )
                messages.success(request, _("The idea was saved."))
            else:
                raise Http404
        except MeetingError as error:
            messages.error(request, error.message)
        return redirect(
            self.meeting_url(meeting, "meetings:ideas") + f"#idea-{idea.pk}"
        )


# Decisions ---------------------------------------------------------------


def _meeting_decision(meeting, pk) -> Decision:
    """One of the meeting's decisions (another meeting's is a 404)."""
    return get_object_or_404(
        Decision.objects.select_related("meeting__chapter", "owner"),
        meeting=meeting,
        pk=pk,
    )


class DecisionsView(OrganiserView):
    template_name = "meetings/decisions.html"

    def get_decision(self, meeting):
        return _meeting_decision(meeting, self.kwargs["decision"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = kwargs.get("meeting") or self.get_meeting()
        # Not kwargs["decision"]: TemplateView passes the URL's id under that
        # name.
        decision = kwargs.get("editing")
        if decision is None and "decision" in self.kwargs:
            decision = self.get_decision(meeting)
        organisations = selectors.meeting_organisations(meeting=meeting)
        initial = (
            {
                "text_ar": decision.text_ar,
                "text_en": decision.text_en,
                "owner": decision.owner_id,
                "due_date": decision.due_date,
            }
            if decision
            else None
        )
        context.update(
            meeting=meeting,
            decision=decision,
            decisions=selectors.meeting_decisions(meeting=meeting),
            removed_decisions=Decision.all_objects.restorable()
            .filter(meeting=meeting)
            .order_by("-removed_at"),
            restore_days=DECISION_RESTORE_DAYS,
            subtab="decisions",
        )
        context.setdefault(
            "form", DecisionForm(initial=initial, organisations=organisations)
        )
        return context

    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        if "decision" in self.kwargs and request.POST.get("action") == "restore":
            return self._restore(meeting)
        decision = self.get_decision(meeting) if "decision" in self.kwargs else None
        form = DecisionForm(
            request.POST,
            organisations=selectors.meeting_organisations(meeting=meeting),
        )
        if form.is_valid():
            try:
                if decision:
                    minutes_services.decision_update(
                        actor=request.user, decision=decision, data=form.cleaned_data
                    )
                else:
                    minutes_services.decision_add(
                        actor=request.user, meeting=meeting, data=form.cleaned_data
                    )
            except MeetingError as error:
                _error_to_form(form, error)
            else:
                messages.success(request, _("The decision was saved."))
                return redirect(self.meeting_url(meeting, "meetings:decisions"))
        return self.render_to_response(
            self.get_context_data(form=form, meeting=meeting, editing=decision),
            status=400,
        )

    def _restore(self, meeting):
        decision = get_object_or_404(
            Decision.all_objects.removed(), meeting=meeting, pk=self.kwargs["decision"]
        )
        try:
            minutes_services.decision_restore(
                actor=self.request.user, decision=decision
            )
        except MeetingError as error:
            messages.error(self.request, error.message)
        else:
            messages.success(self.request, _("The decision was restored."))
        return redirect(
            self.meeting_url(meeting, "meetings:decisions") + f"#decision-{decision.pk}"
        )


class DecisionRemoveView(OrganiserView):
    """Removing a decision asks first, on a page of its own (no JavaScript
    needed); the decision can then be restored from the decisions page."""

    template_name = "meetings/decision_remove.html"

    def get_decision(self, meeting):
        return _meeting_decision(meeting, self.kwargs["decision"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.get_meeting()
        context.update(
            meeting=meeting,
            decision=self.get_decision(meeting),
            restore_days=DECISION_RESTORE_DAYS,
            subtab="decisions",
        )
        return context

    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        decision = self.get_decision(meeting)
        minutes_services.decision_remove(actor=request.user, decision=decision)
        messages.success(
            request,
            ngettext(
                "The decision was removed. You can restore it from this page "
                "for %(days)s day.",
                "The decision was removed. You can restore it from this page "
                "for %(days)s days.",
                DECISION_RESTORE_DAYS,
            )
            % {"days": DECISION_RESTORE_DAYS},
        )
        return redirect(self.meeting_url(meeting, "meetings:decisions"))


# Minutes -----------------------------------------------------------------


class MinutesView(OrganiserView):
    """The minutes as attendees will read them, with the public summary and
    the publishing controls."""

    template_name = "meetings/minutes.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = kwargs.get("meeting") or self.get_meeting()
        minutes = selectors.minutes_of(meeting)
        recipients = selectors.minutes_recipient_counts(meeting=meeting)
        recipient_list = selectors.minutes_recipient_list(meeting=meeting)
        context.update(
            meeting=meeting,
            minutes=minutes,
            recipients_total=recipients["total"],
            recipients_sent=recipients["sent"],
            recipient_list=recipient_list,
            unsent_no_shows=[
                i for i in recipient_list["no_shows"] if not i.minutes_sent_at
            ],
            subtab="minutes",
            **selectors.minutes_context(meeting=meeting),
        )
        context.setdefault(
            "summary_form",
            SummaryForm(
                initial={
                    "summary_ar": minutes.summary_ar,
                    "summary_en": minutes.summary_en,
                    "summary_is_public": minutes.summary_is_public,
                }
                if minutes
                else None
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        action = request.POST.get("action")
        if action == "summary":
            form = SummaryForm(request.POST)
            if form.is_valid():
                try:
                    minutes_services.minutes_summary_save(
                        actor=request.user, meeting=meeting, **form.cleaned_data
                    )
                except MeetingError as error:
                    _error_to_form(form, error)
                else:
                    messages.success(request, _("The summary was saved."))
                    return redirect(self.meeting_url(meeting, "meetings:minutes"))
            return self.render_to_response(
                self.get_context_data(summary_form=form, meeting=meeting), status=400
            )
        if action != "publish":
            raise Http404
        # The accepted invitees who did not come, ticked by the organiser;
        # the selector keeps only this meeting's accepted invitations.
        also = [
            int(v)
            for v in request.POST.getlist("also")
            if v.isdecimal() and len(v) < 10
        ]
        try:
            _minutes, queued = minutes_services.minutes_publish(
                actor=request.user, meeting=meeting, also=also
            )
        except MeetingError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                ngettext(
                    "The minutes are published; %(count)s attendee is being e-mailed.",
                    "The minutes are published; %(count)s attendees are being e-mailed.",
                    queued,
                )
                % {"count": queued},
            )
        return redirect(self.meeting_url(meeting, "meetings:minutes"))
