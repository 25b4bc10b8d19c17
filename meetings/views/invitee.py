"""The invitee's pages behind a personal link (no account needed): the
invitation page (answer, ideas, opening an account), a material, the
calendar file and the published minutes. A bad or rate-limited link gets
the same "invalid link" page."""

from django.contrib import messages
from django.contrib.auth import login
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from chapters import ratelimit
from members.services.accounts import representative_account_open
from members.services.membership_rules import MembershipError

from .. import emails, selectors
from ..forms.ideas import InviteeIdeaForm
from ..forms.invitations import AnswerForm
from ..models import Meeting
from ..services.errors import MeetingError
from ..services.ideas import idea_submit
from ..services.invitations import invitation_answer, invitation_open
from ..services.materials import material_record_opening
from .base import error_to_form
from .materials import material_response


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
            invitation_answer(
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
        invitation_open(invitation=invitation)
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
                and not invitation.is_walk_in
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
    material_record_opening(invitation=invitation, material=item)
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
    invitation_open(invitation=invitation)
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
            idea_submit(invitation=invitation, **form.idea_values())
        except MeetingError as error:
            error_to_form(form, error)
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
