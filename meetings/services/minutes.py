"""Writes of a meeting's minutes: the summary, and their publication to the
attendees, whose e-mails are recorded in the publishing transaction and
handed to the worker (meetings.tasks.minutes_email_deliver, looked up
through .handover) once it commits."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chapters.audit import audit_log
from chapters.languages import is_filled, localized
from chapters.tokens import token_pending
from members.emails import opt_out_owed

from ..models import Invitation, InvitationLink, Meeting, Minutes
from ..selectors import contact_allowed, minutes_recipients
from .effects import country_page_changed
from .errors import MeetingError
from .handover import worker_task
from .texts import check_length, clean_text

SUMMARY_MAX_CHARS = 3_000


def _minutes_snapshot(minutes: Minutes) -> dict:
    return {
        "published_at": minutes.published_at.isoformat()
        if minutes.published_at
        else None,
        "summary_is_public": minutes.summary_is_public,
        **{column: getattr(minutes, column) or "" for column in localized("summary")},
    }


def _locked_minutes(meeting: Meeting) -> tuple[Meeting, Minutes]:
    meeting = (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("chapter")
        .get(pk=meeting.pk)
    )
    minutes, _created = Minutes.objects.get_or_create(meeting=meeting)
    return meeting, Minutes.objects.select_for_update().get(pk=minutes.pk)


@transaction.atomic
def minutes_summary_save(
    *,
    actor,
    meeting: Meeting,
    summary_is_public: bool,
    **summary: str,
) -> Minutes:
    """The short summary for the country page, one keyword per language
    named as its translated column (summary_ar, summary_en, ...; a language
    left out is emptied). It appears there only once the minutes are published,
    and only for a meeting shown on the country page; the notes themselves
    never do."""
    columns = localized("summary")
    unknown = sorted(set(summary) - set(columns))
    if unknown:
        raise TypeError(f"minutes_summary_save() got unknown columns {unknown}")
    meeting, minutes = _locked_minutes(meeting)
    texts = {column: clean_text(summary.get(column)) for column in columns}
    for column, text in texts.items():
        check_length(text, SUMMARY_MAX_CHARS, column)
    if summary_is_public and not meeting.is_public:
        raise MeetingError(
            _(
                "This meeting is not shown on the country page, so its summary "
                "cannot be either. Make the meeting public first."
            ),
            field="summary_is_public",
        )
    if summary_is_public and not is_filled(texts, "summary"):
        raise MeetingError(
            _("Write the summary before showing it on the country page."),
            field=columns[0],
        )
    before = _minutes_snapshot(minutes)
    was_shown = minutes.is_published and minutes.summary_is_public
    for column, text in texts.items():
        setattr(minutes, column, text)
    minutes.summary_is_public = summary_is_public
    minutes.save()
    if was_shown or (minutes.is_published and minutes.summary_is_public):
        country_page_changed(meeting)
    audit_log(
        actor=actor,
        action="minutes.summary",
        obj=minutes,
        chapter=meeting.chapter,
        before=before,
        after=_minutes_snapshot(minutes),
    )
    return minutes


@transaction.atomic
def minutes_publish(
    *, actor, meeting: Meeting, also: list[int] | None = None
) -> tuple[Minutes, int]:
    """Publish the minutes to the attendees (selectors.minutes_recipients:
    the invitees checked in, and the accepted invitees who did not come
    that the organiser adds with `also`): each gets one e-mail, in their
    language, with a personal link to the minutes. Publishing again e-mails
    only those who have not had them (people checked in or added later, or
    whose e-mail failed). Returns the minutes and how many e-mails were
    queued."""
    meeting, minutes = _locked_minutes(meeting)
    if meeting.status == Meeting.Status.CANCELLED:
        raise MeetingError(_("This meeting was cancelled."))
    if meeting.starts_at > timezone.now():
        raise MeetingError(_("Minutes can be published once the meeting has started."))
    before = _minutes_snapshot(minutes)
    first = not minutes.is_published
    if first:
        minutes.published_at = timezone.now()
        minutes.published_by = actor
        minutes.save()
        if minutes.summary_is_public:
            country_page_changed(meeting)
    queued = 0
    for invitation in (
        minutes_recipients(meeting=meeting, also=also)
        .filter(minutes_sent_at__isnull=True)
        .select_for_update(of=("self",))
        .select_related("meeting__chapter", "meeting__created_by", "created_by")
        .order_by("pk")
    ):
        if contact_allowed(invitation.email):
            _minutes_email_queue(invitation=invitation)
            queued += 1
    audit_log(
        actor=actor,
        action="minutes.publish" if first else "minutes.resend",
        obj=minutes,
        chapter=meeting.chapter,
        before=before,
        after={**_minutes_snapshot(minutes), "queued": queued},
    )
    return minutes, queued


def _minutes_email_queue(*, invitation: Invitation) -> None:
    """Record the e-mail of the minutes to one attendee (`minutes_sent_at`,
    a personal link and an opt-out link whose tokens the worker makes as it
    sends) in the publishing transaction, and hand their ids to the worker
    once that transaction commits: a rollback sends nothing, a second
    publish finds it recorded and sends nothing more, no lock is held while
    the mail server answers, and no working link waits in the task table."""
    link = InvitationLink.objects.create(
        invitation=invitation,
        digest=token_pending(),
        channel=InvitationLink.Channel.EMAIL,
    )
    opt_out = opt_out_owed(invitation.email)
    invitation.minutes_sent_at = timezone.now()
    invitation.save(update_fields=["minutes_sent_at"])
    ids = {"invitation_id": invitation.pk, "link_id": link.pk, "opt_out_id": opt_out.pk}
    transaction.on_commit(lambda: worker_task("minutes_email_deliver").enqueue(**ids))
