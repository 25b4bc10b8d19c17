"""Writes of ideas and questions: added by organisers or submitted through
an invitee's personal link (waiting for approval), moderated, merged and
unmerged, answered, and their wording corrected; each audited."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chapters.audit import audit_log
from members.models import Organisation

from ..models import CATEGORY_TOPICS, Idea, IdeaCategory, Invitation, Meeting
from .errors import MeetingError, check_not_cancelled
from .texts import check_length, clean_text, detect_language

IDEA_MAX_CHARS = 2_000

ANSWER_MAX_CHARS = 4_000


# Ideas an invitee may have waiting for approval at once: enough for any
# honest contributor, a wall against a flood through one personal link.
PENDING_IDEAS_PER_INVITATION = 20


def _check_kind(category: str, topic: str) -> None:
    if category not in IdeaCategory.values or topic not in CATEGORY_TOPICS.get(
        category, []
    ):
        raise MeetingError(_("Choose a category from the list."), field="kind")


def _idea_text(text: str) -> str:
    text = clean_text(text)
    if not text:
        raise MeetingError(_("Write the idea or question first."), field="text")
    check_length(text, IDEA_MAX_CHARS, "text")
    return text


def _idea_snapshot(idea: Idea) -> dict:
    return {
        "status": idea.status,
        "category": idea.category,
        "topic": idea.topic,
        "merged_into": idea.merged_into_id,
        "is_next_step": idea.is_next_step,
    }


def _audit(actor, action: str, idea: Idea, before: dict) -> None:
    """The audit entry of a change to an existing idea, its state after."""
    audit_log(
        actor=actor,
        action=action,
        obj=idea,
        chapter=idea.meeting.chapter,
        before=before,
        after=_idea_snapshot(idea),
    )


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
    check_not_cancelled(meeting)
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
    check_not_cancelled(meeting)
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
    _audit(actor, "idea.merge", idea, before)
    return idea


@transaction.atomic
def idea_unmerge(*, actor, idea: Idea) -> Idea:
    idea = _locked_idea(idea)
    before = _idea_snapshot(idea)
    idea.merged_into = None
    idea.save()
    _audit(actor, "idea.unmerge", idea, before)
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
    check_length(answer, ANSWER_MAX_CHARS, "answer")
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
