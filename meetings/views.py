"""Views of the meetings app: organiser pages under /<lang>/manage/<iso2>/
(ChapterOrganiserMixin: another chapter's meeting is a 404) and the
invitee's pages behind a personal link (no account needed). Each view binds
a form, calls one service, messages and redirects."""

from django.contrib import messages
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from chapters.permissions import ChapterOrganiserMixin

from . import selectors, services
from .forms import (
    AgendaItemForm,
    AnswerForm,
    InviteForm,
    MaterialForm,
    MeetingForm,
    WalkInForm,
)
from .models import (
    AgendaItem,
    Attendance,
    Invitation,
    InvitationBatch,
    Material,
    Meeting,
)
from .services import MeetingError, Recipient


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
            try:
                meeting = services.meeting_create(
                    actor=request.user, chapter=self.chapter, data=form.cleaned_data
                )
            except MeetingError as error:
                _error_to_form(form, error)
            else:
                messages.success(request, _("The meeting was created as a draft."))
                return redirect(self.meeting_url(meeting))
        return self.render_to_response(self.get_context_data(form=form))


class MeetingUpdateView(OrganiserView):
    template_name = "meetings/meeting_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["meeting"] = meeting = kwargs.get("meeting") or self.get_meeting()
        context.setdefault("form", MeetingForm(instance=meeting))
        return context

    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        form = MeetingForm(request.POST, instance=meeting)
        if form.is_valid():
            try:
                services.meeting_update(
                    actor=request.user,
                    meeting=self.get_meeting(),
                    data=form.cleaned_data,
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


class MeetingStatusView(OrganiserView):
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


class AgendaItemMoveView(AgendaItemMixin, OrganiserView):
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
    """The invitation as it will read in each language, with a sample link."""
    from .emails import invitation_email

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


class InvitationActionView(OrganiserView):
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


class MeetingInvitationsActionView(OrganiserView):
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
                _("%(count)s messages were handed to the sender again.")
                % {"count": count},
            )
        return redirect(self.meeting_url(meeting) + "#invitations")


# Attendance ----------------------------------------------------------------


class CheckInView(OrganiserView):
    template_name = "meetings/checkin.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        meeting = self.get_meeting()
        accepted, walk_ins = selectors.checkin_list(meeting=meeting)
        context.update(
            meeting=meeting,
            accepted=accepted,
            walk_ins=walk_ins,
            organisation_names=selectors.outreach_organisation_names(
                chapter=self.chapter
            ),
        )
        context.setdefault("form", WalkInForm())
        return context

    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting()
        action = request.POST.get("action")
        if action == "check_in":
            invitation = get_object_or_404(
                Invitation,
                meeting=meeting,
                status=Invitation.Status.ACCEPTED,
                pk=request.POST.get("invitation"),
            )
            services.attendance_check_in(actor=request.user, invitation=invitation)
        elif action == "undo":
            attendance = get_object_or_404(
                Attendance, meeting=meeting, pk=request.POST.get("attendance")
            )
            services.attendance_remove(actor=request.user, attendance=attendance)
        elif action == "walk_in":
            form = WalkInForm(request.POST)
            if not form.is_valid():
                return self.render_to_response(self.get_context_data(form=form))
            services.attendance_add_walk_in(
                actor=request.user,
                meeting=meeting,
                name=form.cleaned_data["name"],
                organisation_name=form.cleaned_data["organisation_name"],
                organisation=selectors.organisation_by_name(
                    chapter=self.chapter, name=form.cleaned_data["organisation_name"]
                ),
            )
            messages.success(
                request,
                _("%(name)s was checked in.") % {"name": form.cleaned_data["name"]},
            )
        else:
            raise Http404
        return redirect(self.meeting_url(meeting, "meetings:checkin"))


# The invitee's pages -------------------------------------------------------

TOKEN_LOOKUPS_PER_MINUTE = 30


def _throttled(request) -> bool:
    """Personal-link lookups per client address and minute, so links cannot
    be guessed at speed (they could not be anyway: 256 bits)."""
    address = request.META.get("REMOTE_ADDR", "")
    key = f"meetings:token-lookups:{address}:{int(timezone.now().timestamp() // 60)}"
    if cache.add(key, 1, timeout=70):
        return False
    try:
        count = cache.incr(key)
    except ValueError:
        return False
    return count > TOKEN_LOOKUPS_PER_MINUTE


def _invalid_link(request, status=404):
    return render(request, "meetings/invitation_invalid.html", status=status)


def _invitation_or_none(request, token):
    if _throttled(request):
        return None, _invalid_link(request, status=429)
    invitation = selectors.invitation_for_token(token)
    if invitation is None:
        return None, _invalid_link(request)
    return invitation, None


def invitation_page(request, token):
    invitation, refusal = _invitation_or_none(request, token)
    if refusal:
        return refusal
    meeting = invitation.meeting
    form = AnswerForm(
        request.POST or None,
        initial={
            "answer": {"accepted": "accept", "declined": "decline"}.get(
                invitation.status
            ),
            "attendees": invitation.attendees or invitation.name,
            "needs": invitation.needs,
            "note": invitation.note,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.invitation_answer(
                invitation=invitation,
                accept=form.cleaned_data["answer"] == "accept",
                attendees=form.cleaned_data["attendees"],
                needs=form.cleaned_data["needs"],
                note=form.cleaned_data["note"],
            )
        except MeetingError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Thank you, your answer was saved."))
        return redirect(request.path)
    if request.method == "GET":
        services.invitation_open(invitation=invitation)
    with timezone.override(selectors.chapter_zone(meeting.chapter)):
        return render(
            request,
            "meetings/invitation_page.html",
            {
                "invitation": invitation,
                "meeting": meeting,
                "chapter": meeting.chapter,
                "agenda": meeting.agenda_items.order_by("order", "id"),
                "materials": selectors.meeting_materials(meeting=meeting),
                "form": form,
                "token": token,
                "zone": selectors.chapter_zone(meeting.chapter).key,
                "can_answer": meeting.status != meeting.Status.CANCELLED
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
