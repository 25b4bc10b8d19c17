"""A chapter's members in the past, from the consent history.

MembershipEvent rows are only ever added, so a membership's state at any
moment is the `to_state` of its last applied event before that moment (an
event refused, `applied=False`, changed nothing). A membership was listed
on a day when, at the end of that day in the chapter's time zone, that
state was "confirmed"; the consent version in force is the one its
representative agreed to in the last applied confirmation before then.

Read by the country page, its CSV and the API "as of" a past day
(`PublicMembers.listed_members_as_of`), and by the staff timeline (members
joining and leaving, `TIMELINE`). One query each, whatever the number of
members."""

import datetime

from django.db.models import OuterRef, Subquery
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from chapters.bidi import isolated
from chapters.extensions import TimelineEvent, TimelineSource
from chapters.languages import default, field_in_language
from chapters.models import Chapter

from .models import Membership, MembershipEvent
from .public import KIND_ORDER

Action = MembershipEvent.Action
State = Membership.State


def day_ends(chapter: Chapter, day: datetime.date) -> datetime.datetime:
    """The first moment after `day` in the chapter's time zone."""
    after = day + datetime.timedelta(days=1)
    return datetime.datetime.combine(after, datetime.time.min, tzinfo=chapter.zone)


def listed_members_as_of(chapter: Chapter, day: datetime.date) -> list[Membership]:
    """The memberships listed at the end of `day` with their organisation,
    in the country page's order (type, then name in the active language).
    Each carries `consent_version_in_force` and `listed_since` (the moment
    of that confirmation). A day before the chapter's first confirmation
    gives an empty list."""
    before = day_ends(chapter, day)
    applied = MembershipEvent.objects.filter(
        membership=OuterRef("pk"), applied=True, created_at__lt=before
    ).order_by("-created_at", "-pk")
    confirmation = applied.filter(action=Action.CONFIRM)
    memberships = list(
        Membership.objects.for_chapter(chapter)
        .annotate(
            state_then=Subquery(applied.values("to_state")[:1]),
            consent_version_in_force=Subquery(
                confirmation.values("consent_version")[:1]
            ),
            listed_since=Subquery(confirmation.values("created_at")[:1]),
        )
        .filter(state_then=State.CONFIRMED)
        .select_related("organisation")
    )
    language = translation.get_language() or default()
    memberships.sort(
        key=lambda m: (
            KIND_ORDER.get(m.organisation.kind, len(KIND_ORDER)),
            field_in_language(m.organisation, "name", language)[0].strip().casefold(),
        )
    )
    return memberships


def timeline_events(*, chapter: Chapter) -> list[TimelineEvent]:
    """Members joining (a confirmation applied) and leaving (a withdrawal
    applied), for the staff timeline. One query."""
    events = (
        MembershipEvent.objects.filter(
            membership__chapter=chapter,
            applied=True,
            action__in=(Action.CONFIRM, Action.WITHDRAW),
        )
        .select_related("membership__organisation")
        .order_by()
    )
    language = translation.get_language() or default()
    lines = []
    for event in events:
        membership = event.membership
        name = isolated(field_in_language(membership.organisation, "name", language)[0])
        if event.action == Action.CONFIRM:
            text = _("%(organisation)s confirmed its membership and is listed.") % {
                "organisation": name
            }
            kind = "joined"
        else:
            text = _("%(organisation)s withdrew its membership.") % {
                "organisation": name
            }
            kind = "left"
        lines.append(
            TimelineEvent(
                when=event.created_at,
                kind=kind,
                text=text,
                url=reverse(
                    "members:membership_detail",
                    kwargs={"iso2": chapter.iso2, "pk": membership.pk},
                ),
            )
        )
    return lines


TIMELINE = TimelineSource(key="members", position=30, events=timeline_events)
