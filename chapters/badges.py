"""The tone of every status the portal shows: one mapping for every page.

A status is shown with {% status_badge kind value label %}
(chapters/templatetags/badges.py), never with Bootstrap classes picked in a
template. The kind is "<model>_<field>" of the model that stores it
(chapter_status, membership_state, invitation_status...); the value is the
stored code. The keys are plain strings, so that chapters, the lowest app,
holds the tones of members' and meetings' statuses without importing them
(tests/test_architecture.py); tests/design/test_badges.py reads every
model's choices and fails when a value has no tone here, or a tone names a
value that no longer exists.

The tones (their colours are in static/css/portal.css, docs/design.md):

- success: reached the good end (launched, confirmed, accepted, done);
- primary: moving now, in the chapter's hands (forming, in progress);
- info: under way, waiting on someone else (sent, requested, checking);
- warning: needs a person's attention (pending approval, no reply);
- danger: something failed and needs fixing (bounced, failed);
- neutral: not started, or ended without fault (draft, declined, withdrawn).
"""

from enum import StrEnum

from django.apps import apps


class Tone(StrEnum):
    SUCCESS = "success"
    PRIMARY = "primary"
    INFO = "info"
    WARNING = "warning"
    DANGER = "danger"
    NEUTRAL = "neutral"


TONES: dict[str, dict[str, Tone]] = {
    # chapters.Chapter.status
    "chapter_status": {
        "interest": Tone.NEUTRAL,
        "exploring": Tone.INFO,
        "forming": Tone.PRIMARY,
        "launched": Tone.SUCCESS,
        "dormant": Tone.WARNING,
    },
    # members: Membership.state
    "membership_state": {
        "candidate": Tone.NEUTRAL,
        "requested": Tone.INFO,
        "consulting": Tone.WARNING,
        "confirmed": Tone.SUCCESS,
        "declined": Tone.NEUTRAL,
        "withdrawn": Tone.NEUTRAL,
    },
    # members: Prospect.stage (the outreach list)
    "prospect_stage": {
        "identified": Tone.NEUTRAL,
        "invited": Tone.INFO,
        "responded": Tone.INFO,
        "attended": Tone.PRIMARY,
        "member": Tone.SUCCESS,
        "declined": Tone.NEUTRAL,
    },
    # chapters.ExportJob.state
    "exportjob_state": {
        "queued": Tone.NEUTRAL,
        "running": Tone.INFO,
        "done": Tone.SUCCESS,
        "failed": Tone.DANGER,
    },
    # members: ImportJob.status
    "importjob_status": {
        "uploaded": Tone.NEUTRAL,
        "checking": Tone.INFO,
        "previewed": Tone.PRIMARY,
        "importing": Tone.INFO,
        "imported": Tone.SUCCESS,
        "failed": Tone.DANGER,
        "cancelled": Tone.NEUTRAL,
    },
    # members: InitialTask.status
    "initialtask_status": {
        "open": Tone.NEUTRAL,
        "in_progress": Tone.PRIMARY,
        "done": Tone.SUCCESS,
    },
    # meetings: Meeting.status
    "meeting_status": {
        "draft": Tone.NEUTRAL,
        "open": Tone.PRIMARY,
        "held": Tone.SUCCESS,
        "cancelled": Tone.NEUTRAL,
    },
    # meetings: Invitation.status
    "invitation_status": {
        "queued": Tone.NEUTRAL,
        "sent": Tone.INFO,
        "failed": Tone.DANGER,
        "bounced": Tone.DANGER,
        "opened": Tone.INFO,
        "accepted": Tone.SUCCESS,
        "declined": Tone.NEUTRAL,
        "no_reply": Tone.WARNING,
        "walk_in": Tone.PRIMARY,
    },
    # meetings: Idea.status
    "idea_status": {
        "pending": Tone.WARNING,
        "approved": Tone.SUCCESS,
        "rejected": Tone.NEUTRAL,
    },
}


class UnknownStatusKind(KeyError):
    """A template asked for a kind of status this module does not know (a
    typo, or a new status field without its tones)."""


def tone(kind: str, value: str) -> Tone:
    """The tone of one status. An unknown kind is a programming error and
    fails loudly; an unknown value (a code since removed) shows as neutral
    rather than breaking the page."""
    try:
        values = TONES[kind]
    except KeyError:
        raise UnknownStatusKind(
            f"No tones for the status kind {kind!r}; add them to chapters/badges.py."
        ) from None
    return values.get(str(value), Tone.NEUTRAL)


def kind_of(model, field_name: str) -> str:
    return f"{model._meta.model_name}_{field_name}"


def catalogue() -> list[dict]:
    """Every kind of status with its values, labels and tones, for the
    design page: read from the installed models' choices, by the kind's
    name, without naming an app above chapters."""
    kinds = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            kind = kind_of(model, field.name)
            if kind not in TONES or not field.choices:
                continue
            kinds.append(
                {
                    "kind": kind,
                    "model": model._meta.verbose_name,
                    "field": field.verbose_name,
                    "statuses": [
                        {"value": value, "label": label, "tone": tone(kind, value)}
                        for value, label in field.choices
                    ],
                }
            )
    order = list(TONES)
    return sorted(kinds, key=lambda item: order.index(item["kind"]))
