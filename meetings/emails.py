"""Messages to invitees, each in the invitee's own language, with times in
the chapter's time zone: the invitation (with its calendar file), the
reminder, and the notices that the meeting moved or was cancelled."""

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from chapters.templatetags.portal import field_in_language
from config.mail import email_render

from .ics import meeting_ics
from .models import Invitation, Meeting
from .selectors import chapter_zone

MESSAGES = ("invitation", "reminder", "moved", "cancelled")


def invitation_url(*, raw_token: str, language: str) -> str:
    with translation.override(language):
        path = reverse("meetings:invitation", kwargs={"token": raw_token})
    return settings.SITE_URL + path


def reply_to(invitation: Invitation) -> list[str]:
    for candidate in (
        getattr(invitation.created_by, "email", ""),
        getattr(invitation.meeting.created_by, "email", ""),
        invitation.meeting.chapter.contact_email,
    ):
        if candidate:
            return [candidate]
    return []


def meeting_when(meeting: Meeting, language: str) -> dict:
    """Start and end as words in the language, in the chapter's time zone."""
    zone = chapter_zone(meeting.chapter)
    starts = timezone.localtime(meeting.starts_at, zone)
    ends = timezone.localtime(meeting.ends_at, zone)
    with translation.override(language):
        return {
            "date": date_format(starts, "l j F Y"),
            "starts": date_format(starts, "H:i"),
            "ends": date_format(ends, "H:i"),
            "zone": str(zone.key),
            "utc_offset": starts.strftime("%z")[:3] + ":" + starts.strftime("%z")[3:],
        }


def invitation_email(
    *,
    invitation: Invitation,
    message: str,
    raw_token: str | None,
    agenda: list,
    materials: list,
    opt_out_link: str,
) -> EmailMultiAlternatives:
    meeting = invitation.meeting
    language = invitation.language
    link = invitation_url(raw_token=raw_token, language=language) if raw_token else ""
    context = {
        "message": message,
        "invitation": invitation,
        "meeting": meeting,
        "title": field_in_language(meeting, "title", language)[0],
        "description": field_in_language(meeting, "description", language)[0],
        "city": field_in_language(meeting, "city", language)[0],
        "when": meeting_when(meeting, language),
        "agenda": [
            {
                "title": field_in_language(item, "title", language)[0],
                "minutes": item.duration_minutes,
                "presenter": item.presenter,
            }
            for item in agenda
        ],
        "link": link,
        "unsubscribe_link": opt_out_link,
    }
    with translation.override(language):
        context["materials"] = [
            {
                "title": material.title,
                "language": str(material.get_language_display()),
                "url": f"{link}materials/{material.pk}/" if link else "",
            }
            for material in materials
        ]
    subject, text, html = email_render(
        template="meetings_invitation", context=context, language=language
    )
    email = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.email],
        reply_to=reply_to(invitation),
        headers={
            "List-Unsubscribe": f"<{context['unsubscribe_link']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    email.attach_alternative(html, "text/html")
    if message != "reminder":
        email.attach(
            "meeting.ics",
            meeting_ics(
                meeting,
                language=language,
                url=link,
                cancelled=message == "cancelled",
            ),
            "text/calendar; charset=utf-8; method="
            + ("CANCEL" if message == "cancelled" else "PUBLISH"),
        )
    return email


def whatsapp_text(*, invitation: Invitation, raw_token: str) -> str:
    meeting = invitation.meeting
    language = invitation.language
    when = meeting_when(meeting, language)
    link = invitation_url(raw_token=raw_token, language=language)
    with translation.override(language):
        return _(
            "Hello %(name)s, you are invited to %(title)s on %(date)s at "
            "%(time)s (%(zone)s). Details, materials and your answer: %(link)s"
        ) % {
            "name": invitation.name,
            "title": field_in_language(meeting, "title", language)[0],
            "date": when["date"],
            "time": when["starts"],
            "zone": when["zone"],
            "link": link,
        }


def minutes_url(*, raw_token: str, language: str) -> str:
    with translation.override(language):
        path = reverse("meetings:invitation_minutes", kwargs={"token": raw_token})
    return settings.SITE_URL + path


def minutes_email(
    *, invitation: Invitation, raw_token: str, opt_out_link: str
) -> EmailMultiAlternatives:
    """The minutes are published: a personal link to them, in the invitee's
    language."""
    meeting = invitation.meeting
    language = invitation.language
    context = {
        "invitation": invitation,
        "meeting": meeting,
        "title": field_in_language(meeting, "title", language)[0],
        "date": meeting_when(meeting, language)["date"],
        "link": minutes_url(raw_token=raw_token, language=language),
        "unsubscribe_link": opt_out_link,
    }
    subject, text, html = email_render(
        template="meetings_minutes", context=context, language=language
    )
    email = EmailMultiAlternatives(
        subject=subject,
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[invitation.email],
        reply_to=reply_to(invitation),
        headers={
            "List-Unsubscribe": f"<{opt_out_link}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
    )
    email.attach_alternative(html, "text/html")
    return email
