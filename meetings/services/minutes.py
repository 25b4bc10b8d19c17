"""Writes for what a meeting produced: notes per agenda item, ideas and
questions, decisions and next steps, and the publication of the minutes.

Texts are plain text: stored as typed (minus control characters) and
escaped when shown, so a script tag is only ever text. Each limit has a
translated message."""

import re
import unicodedata
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chapters.audit import audit_log
from chapters.tokens import token_pending
from members.emails import opt_out_owed
from members.models import Organisation

from ..models import (
    CATEGORY_TOPICS,
    AgendaItem,
    AgendaNote,
    Decision,
    Idea,
    IdeaCategory,
    Invitation,
    InvitationLink,
    Meeting,
    Minutes,
)
from ..selectors import contact_allowed, minutes_recipients
from ..tasks import minutes_email_deliver
from . import MeetingError, _country_page_changed

NOTE_MAX_CHARS = 20_000
IDEA_MAX_CHARS = 2_000
ANSWER_MAX_CHARS = 4_000
DECISION_MAX_CHARS = 2_000
SUMMARY_MAX_CHARS = 3_000
# Ideas an invitee may have waiting for approval at once: enough for any
# honest contributor, a wall against a flood through one personal link.
PENDING_IDEAS_PER_INVITATION = 20
LANGUAGES = ("ar", "en")

# C0/C1 control characters other than tab and newline: PostgreSQL refuses
# NUL in text, and the others only hide or garble what is shown.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_ARABIC = re.compile(
    r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]"
)
_LATIN = re.compile(r"[A-Za-z\u00c0-\u024f]")


def clean_text(text: str | None) -> str:
    """Line endings made \\n, control characters removed, NFC, and blank
    space around the whole text dropped; the writer's own line breaks and
    direction marks stay."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", _CONTROL.sub("", text))
    return text.strip()


def detect_language(text: str) -> str:
    """'ar' when Arabic letters outnumber Latin ones, else 'en'."""
    arabic = len(_ARABIC.findall(text))
    latin = len(_LATIN.findall(text))
    return "ar" if arabic >= latin and arabic else ("en" if latin else "ar")


def _check_length(text: str, limit: int, field: str) -> None:
    if len(text) > limit:
        raise MeetingError(
            _(
                "This text has %(count)s characters; the limit is %(limit)s. "
                "Please shorten it or split it."
            )
            % {"count": len(text), "limit": limit},
            field=field,
        )


def _check_not_cancelled(meeting: Meeting) -> None:
    if meeting.status == Meeting.Status.CANCELLED:
        raise MeetingError(_("This meeting was cancelled."))


# Notes -------------------------------------------------------------------


class NoteConflict(MeetingError):
    """The note changed since the version the writer started from; carries
    the text now stored so the writer can merge rather than lose it."""

    def __init__(self, *, note: AgendaNote, language: str):
        super().__init__(
            _(
                "Another organiser changed these notes while you were writing. "
                "Both texts are shown: keep yours, take theirs or merge them."
            )
        )
        self.note = note
        self.language = language
        self.text = getattr(note, f"text_{language}") or ""
        self.version = note.version(language)


@transaction.atomic
def note_save(
    *, actor, item: AgendaItem, language: str, text: str, version: int
) -> AgendaNote:
    """Save the notes of an agenda item in one language, if `version` is the
    one stored (optimistic locking). A repeated save of the text already
    stored succeeds whatever its version, so a save whose answer was lost
    on a dropped connection is not reported as a conflict when retried.

    Not audited: autosave writes every few seconds; the note keeps who wrote
    it last and when."""
    if language not in LANGUAGES:
        raise MeetingError(_("Unknown language."))
    text = clean_text(text)
    _check_length(text, NOTE_MAX_CHARS, "text")
    # Lock the item so two first saves cannot both create the note row.
    item = (
        AgendaItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
    )
    _check_not_cancelled(item.meeting)
    note, _created = AgendaNote.objects.get_or_create(item=item)
    note = AgendaNote.objects.select_for_update().get(pk=note.pk)
    stored = getattr(note, f"text_{language}") or ""
    if stored == text:
        return note
    if note.version(language) != version:
        raise NoteConflict(note=note, language=language)
    setattr(note, f"text_{language}", text)
    setattr(note, f"version_{language}", note.version(language) + 1)
    note.updated_by = actor
    note.save()
    return note


# Ideas -------------------------------------------------------------------


def _check_kind(category: str, topic: str) -> None:
    if category not in IdeaCategory.values or topic not in CATEGORY_TOPICS.get(
        category, []
    ):
        raise MeetingError(_("Choose a category from the list."), field="kind")


def _idea_text(text: str) -> str:
    text = clean_text(text)
    if not text:
        raise MeetingError(_("Write the idea or question first."), field="text")
    _check_length(text, IDEA_MAX_CHARS, "text")
    return text


def _idea_snapshot(idea: Idea) -> dict:
    return {
        "status": idea.status,
        "category": idea.category,
        "topic": idea.topic,
        "merged_into": idea.merged_into_id,
        "is_next_step": idea.is_next_step,
    }


def _proposer_name(organisation: Organisation | None, name: str) -> str:
    """The name shown for who proposed an idea: as typed, else the chosen
    organisation's name in the language of the moment."""
    return clean_text(name)[:200] or (str(organisation) if organisation else "")


@transaction.atomic
def idea_add(
    *,
    actor,
    meeting: Meeting,
    category: str,
    topic: str,
    text: str,
    organisation: Organisation | None = None,
    organisation_name: str = "",
) -> Idea:
    """An idea recorded by an organiser: approved at once."""
    _check_not_cancelled(meeting)
    _check_kind(category, topic)
    text = _idea_text(text)
    idea = Idea.objects.create(
        meeting=meeting,
        category=category,
        topic=topic,
        text=text,
        language=detect_language(text),
        organisation=organisation,
        organisation_name=_proposer_name(organisation, organisation_name),
        status=Idea.Status.APPROVED,
        created_by=actor,
        moderated_by=actor,
        moderated_at=timezone.now(),
    )
    audit_log(
        actor=actor,
        action="idea.add",
        obj=idea,
        chapter=meeting.chapter,
        after=_idea_snapshot(idea),
    )
    return idea


@transaction.atomic
def idea_submit(
    *, invitation: Invitation, category: str, topic: str, text: str
) -> Idea:
    """An idea or question sent through a personal link, before or after
    the meeting; it waits for an organiser's approval."""
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("meeting__chapter")
        .get(pk=invitation.pk)
    )
    meeting = invitation.meeting
    _check_not_cancelled(meeting)
    _check_kind(category, topic)
    text = _idea_text(text)
    if (
        Idea.objects.filter(invitation=invitation, status=Idea.Status.PENDING).count()
        >= PENDING_IDEAS_PER_INVITATION
    ):
        raise MeetingError(
            _(
                "You have many ideas waiting for the organisers' approval; "
                "please wait until they have read them."
            )
        )
    idea = Idea.objects.create(
        meeting=meeting,
        category=category,
        topic=topic,
        text=text,
        language=detect_language(text),
        organisation=invitation.organisation,
        organisation_name=invitation.organisation_name,
        invitation=invitation,
        status=Idea.Status.PENDING,
    )
    audit_log(
        actor=None,
        actor_label=f"personal link of {invitation.email}",
        action="idea.submit",
        obj=idea,
        chapter=meeting.chapter,
        after=_idea_snapshot(idea),
    )
    return idea


def _locked_idea(idea: Idea) -> Idea:
    return (
        Idea.objects.select_for_update(of=("self",))
        .select_related("meeting__chapter")
        .get(pk=idea.pk)
    )


@transaction.atomic
def idea_moderate(*, actor, idea: Idea, approve: bool) -> Idea:
    """Approve (others can see it) or keep unpublished (kept, never shown)."""
    idea = _locked_idea(idea)
    before = _idea_snapshot(idea)
    idea.status = Idea.Status.APPROVED if approve else Idea.Status.REJECTED
    if not approve:
        idea.is_next_step = False
    idea.moderated_by = actor
    idea.moderated_at = timezone.now()
    idea.save()
    audit_log(
        actor=actor,
        action="idea.approve" if approve else "idea.reject",
        obj=idea,
        chapter=idea.meeting.chapter,
        before=before,
        after=_idea_snapshot(idea),
    )
    return idea


@transaction.atomic
def idea_merge(*, actor, idea: Idea, into: Idea) -> Idea:
    """Mark `idea` as a duplicate of `into`. The duplicate keeps its text and
    proposer and points at `into`, which the minutes show once with every
    organisation that proposed it. Duplicates of the duplicate follow it."""
    idea = _locked_idea(idea)
    into = _locked_idea(into)
    if idea.pk == into.pk or idea.meeting_id != into.meeting_id:
        raise MeetingError(
            _("An idea can only be merged into another idea of the same meeting.")
        )
    if into.merged_into_id:
        raise MeetingError(
            _("That idea was itself merged; merge into the one it points to.")
        )
    before = _idea_snapshot(idea)
    Idea.objects.filter(merged_into=idea).update(merged_into=into)
    idea.merged_into = into
    idea.is_next_step = False
    idea.save()
    if idea.status == Idea.Status.APPROVED and into.status == Idea.Status.PENDING:
        # What was public stays public under the idea that now carries it.
        into.status = Idea.Status.APPROVED
        into.moderated_by = actor
        into.moderated_at = timezone.now()
        into.save()
    audit_log(
        actor=actor,
        action="idea.merge",
        obj=idea,
        chapter=idea.meeting.chapter,
        before=before,
        after=_idea_snapshot(idea),
    )
    return idea


@transaction.atomic
def idea_unmerge(*, actor, idea: Idea) -> Idea:
    idea = _locked_idea(idea)
    before = _idea_snapshot(idea)
    idea.merged_into = None
    idea.save()
    audit_log(
        actor=actor,
        action="idea.unmerge",
        obj=idea,
        chapter=idea.meeting.chapter,
        before=before,
        after=_idea_snapshot(idea),
    )
    return idea


@transaction.atomic
def idea_update(
    *,
    actor,
    idea: Idea,
    category: str,
    topic: str,
    answer: str = "",
    is_next_step: bool = False,
) -> Idea:
    """Recategorise an idea, answer a question, or mark the idea as an
    agreed next step (approved ideas only)."""
    idea = _locked_idea(idea)
    _check_kind(category, topic)
    answer = clean_text(answer)
    _check_length(answer, ANSWER_MAX_CHARS, "answer")
    if is_next_step and (
        idea.status != Idea.Status.APPROVED or idea.merged_into_id is not None
    ):
        raise MeetingError(_("Only an approved idea can become an agreed next step."))
    before = {**_idea_snapshot(idea), "answer": idea.answer}
    idea.category, idea.topic, idea.answer = category, topic, answer
    idea.is_next_step = is_next_step
    idea.save()
    audit_log(
        actor=actor,
        action="idea.update",
        obj=idea,
        chapter=idea.meeting.chapter,
        before=before,
        after={**_idea_snapshot(idea), "answer": idea.answer},
    )
    return idea


def _idea_wording(idea: Idea) -> dict:
    return {
        "category": idea.category,
        "topic": idea.topic,
        "text": idea.text,
        "language": idea.language,
        "organisation": idea.organisation_id,
        "organisation_name": idea.organisation_name,
    }


@transaction.atomic
def idea_edit(
    *,
    actor,
    idea: Idea,
    category: str,
    topic: str,
    text: str,
    organisation: Organisation | None = None,
    organisation_name: str = "",
) -> Idea:
    """Correct what an idea says (a typo, a translation, a clearer wording,
    personal data that should not be shared), its category and topic, and
    who proposed it; checked like a new idea. The wording before the edit
    stays in the audit trail, which only the chapter's organisers read.
    Status, merging and the answer are left as they were. Saving what is
    already stored (a retried request) changes and records nothing."""
    idea = _locked_idea(idea)
    _check_kind(category, topic)
    text = _idea_text(text)
    before = _idea_wording(idea)
    idea.category, idea.topic, idea.text = category, topic, text
    idea.language = detect_language(text)
    idea.organisation = organisation
    idea.organisation_name = _proposer_name(organisation, organisation_name)
    after = _idea_wording(idea)
    if after == before:
        return idea
    idea.save()
    audit_log(
        actor=actor,
        action="idea.update",
        obj=idea,
        chapter=idea.meeting.chapter,
        before=before,
        after=after,
    )
    return idea


# Decisions ---------------------------------------------------------------


def _decision_values(data: dict) -> dict:
    values = {
        "text_ar": clean_text(data.get("text_ar")),
        "text_en": clean_text(data.get("text_en")),
        "owner": data.get("owner"),
        "due_date": data.get("due_date"),
    }
    if not (values["text_ar"] or values["text_en"]):
        raise MeetingError(
            _("Write the decision in at least one language."), field="text_ar"
        )
    for field in ("text_ar", "text_en"):
        _check_length(values[field], DECISION_MAX_CHARS, field)
    return values


def _decision_snapshot(decision: Decision) -> dict:
    due: date | None = decision.due_date
    return {
        "text_ar": decision.text_ar or "",
        "text_en": decision.text_en or "",
        "owner": decision.owner_id,
        "due_date": due.isoformat() if due else None,
    }


@transaction.atomic
def decision_add(
    *, actor, meeting: Meeting, data: dict, idea: Idea | None = None
) -> Decision:
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    _check_not_cancelled(meeting)
    values = _decision_values(data)
    last = meeting.decisions.order_by("-order").values_list("order", flat=True)
    decision = Decision.objects.create(
        meeting=meeting,
        idea=idea,
        order=(last.first() or 0) + 1,
        created_by=actor,
        **values,
    )
    audit_log(
        actor=actor,
        action="decision.add",
        obj=decision,
        chapter=meeting.chapter,
        after=_decision_snapshot(decision),
    )
    return decision


@transaction.atomic
def decision_update(*, actor, decision: Decision, data: dict) -> Decision:
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("meeting__chapter")
        .get(pk=decision.pk)
    )
    _check_not_cancelled(decision.meeting)
    before = _decision_snapshot(decision)
    for key, value in _decision_values(data).items():
        setattr(decision, key, value)
    decision.save()
    audit_log(
        actor=actor,
        action="decision.update",
        obj=decision,
        chapter=decision.meeting.chapter,
        before=before,
        after=_decision_snapshot(decision),
    )
    return decision


@transaction.atomic
def decision_remove(*, actor, decision: Decision) -> Decision:
    """Take the decision off the decisions page and the minutes. It is only
    marked removed, so that it can be restored (decision_restore) for
    DECISION_RESTORE_DAYS; removing it twice changes nothing."""
    decision = (
        Decision.all_objects.select_for_update(of=("self",))
        .select_related("meeting__chapter")
        .get(pk=decision.pk)
    )
    if decision.removed_at is not None:
        return decision
    decision.removed_at = timezone.now()
    decision.removed_by = actor
    decision.save(update_fields=["removed_at", "removed_by"])
    audit_log(
        actor=actor,
        action="decision.remove",
        obj=decision,
        chapter=decision.meeting.chapter,
        before=_decision_snapshot(decision),
    )
    return decision


@transaction.atomic
def decision_restore(*, actor, decision: Decision) -> Decision:
    """Put a removed decision back where it was, within DECISION_RESTORE_DAYS
    of its removal."""
    decision = (
        Decision.all_objects.select_for_update(of=("self",))
        .select_related("meeting__chapter")
        .get(pk=decision.pk)
    )
    if decision.removed_at is None:
        return decision
    _check_not_cancelled(decision.meeting)
    if not Decision.all_objects.restorable().filter(pk=decision.pk).exists():
        raise MeetingError(_("This decision was removed too long ago to be restored."))
    decision.removed_at = None
    decision.removed_by = None
    decision.save(update_fields=["removed_at", "removed_by"])
    audit_log(
        actor=actor,
        action="decision.restore",
        obj=decision,
        chapter=decision.meeting.chapter,
        after=_decision_snapshot(decision),
    )
    return decision


# Minutes -----------------------------------------------------------------


def _minutes_snapshot(minutes: Minutes) -> dict:
    return {
        "published_at": minutes.published_at.isoformat()
        if minutes.published_at
        else None,
        "summary_is_public": minutes.summary_is_public,
        "summary_ar": minutes.summary_ar or "",
        "summary_en": minutes.summary_en or "",
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
    summary_ar: str,
    summary_en: str,
    summary_is_public: bool,
) -> Minutes:
    """The short summary for the country page. It appears there only once
    the minutes are published, and only for a meeting shown on the country
    page; the notes themselves never do."""
    meeting, minutes = _locked_minutes(meeting)
    summary_ar, summary_en = clean_text(summary_ar), clean_text(summary_en)
    _check_length(summary_ar, SUMMARY_MAX_CHARS, "summary_ar")
    _check_length(summary_en, SUMMARY_MAX_CHARS, "summary_en")
    if summary_is_public and not meeting.is_public:
        raise MeetingError(
            _(
                "This meeting is not shown on the country page, so its summary "
                "cannot be either. Make the meeting public first."
            ),
            field="summary_is_public",
        )
    if summary_is_public and not (summary_ar or summary_en):
        raise MeetingError(
            _("Write the summary before showing it on the country page."),
            field="summary_ar",
        )
    before = _minutes_snapshot(minutes)
    was_shown = minutes.is_published and minutes.summary_is_public
    minutes.summary_ar, minutes.summary_en = summary_ar, summary_en
    minutes.summary_is_public = summary_is_public
    minutes.save()
    if was_shown or (minutes.is_published and minutes.summary_is_public):
        _country_page_changed(meeting)
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
            _country_page_changed(meeting)
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
    transaction.on_commit(lambda: minutes_email_deliver.enqueue(**ids))
