"""Extension points: what the chapter pages need from the apps above chapters.

chapters is the lowest app: members depends on it, meetings on both, and
never the other way round. Where a page of chapters shows what members or
meetings own (the member list of a country page, the dashboard's figures,
the exports, who represents which organisation), chapters declares here
what it needs, as a typed extension point, and the app that owns the data
registers a provider in its AppConfig.ready() (members/registrations.py,
meetings/registrations.py).

A point with no provider fails loudly (MissingProvider) the first time a
page asks for it: a page never quietly shows nothing.

Adding one: declare the provider's shape (a frozen dataclass of
callables) and the point below, use it in chapters through `.get()` or
`.all()`, and register it from the owning app. See docs/architecture.md."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ImproperlyConfigured


class MissingProvider(ImproperlyConfigured):
    """A page asked an extension point that no app filled."""


class ExtensionPoint[T]:
    """Exactly one provider, registered once."""

    def __init__(self, name: str, need: str):
        self.name = name
        self.need = need
        self._provider: T | None = None

    def register(self, provider: T) -> T:
        if self._provider is not None and self._provider is not provider:
            raise ImproperlyConfigured(
                f"The extension point {self.name!r} has a provider already."
            )
        self._provider = provider
        return provider

    def get(self) -> T:
        if self._provider is None:
            raise MissingProvider(
                f"No provider is registered for the extension point "
                f"{self.name!r} ({self.need}). The app that owns this data "
                f"registers it in its AppConfig.ready()."
            )
        return self._provider

    def __repr__(self) -> str:
        return f"<ExtensionPoint {self.name}>"


class ExtensionList[T]:
    """Several providers, each under its own key, read in the order of their
    `position` (not the order the apps happen to register in)."""

    def __init__(self, name: str, need: str):
        self.name = name
        self.need = need
        self._items: dict[str, T] = {}

    def register(self, item: T) -> T:
        key = item.key  # type: ignore[attr-defined]
        if key in self._items and self._items[key] != item:
            raise ImproperlyConfigured(
                f"The extension point {self.name!r} has a {key!r} already."
            )
        self._items[key] = item
        return item

    def all(self) -> list[T]:
        if not self._items:
            raise MissingProvider(
                f"No provider is registered for the extension point "
                f"{self.name!r} ({self.need}). The apps that own this data "
                f"register it in their AppConfig.ready()."
            )
        return sorted(self._items.values(), key=lambda item: item.position)  # type: ignore[attr-defined]

    def __repr__(self) -> str:
        return f"<ExtensionList {self.name}>"


# The shapes of the providers ----------------------------------------------------


@dataclass(frozen=True)
class PublicMembers:
    """The listed members of a chapter as the public may see them (the
    consent rule is the provider's), and the one public write: expressing
    interest."""

    # (chapter, day) -> the memberships listed at the end of that day in the
    # chapter's zone, from the consent history, in page order; each with its
    # consent_version_in_force
    listed_members_as_of: Callable[[Any, date], list]
    # (memberships) -> consecutive groups by type of organisation
    group_by_kind: Callable[[list], list]
    # (chapter) -> {"member_groups", "member_count"}: per type, the first
    # members in page order with the type's total (the country page)
    member_preview: Callable[[Any], dict]
    # (groups) -> the groups cut to the country page's first view
    bound_groups: Callable[[list], list]
    # (chapter, *, kind, query, page, per_page, language) -> a Page of listed
    # memberships in page order (the "show all" pages and the API's pages)
    members_page: Callable[..., Any]
    # (chapter, *, language) -> every listed membership in page order, as a
    # queryset to stream (the CSV)
    listed_in_page_order: Callable[..., Any]
    # () -> chapter id -> number of listed members
    listed_member_counts: Callable[[], dict[int, int]]
    # (organisation, *, base_url) -> the public facts of one organisation
    member_open_data: Callable[..., dict]
    # () -> the types of organisation, as form choices
    kind_choices: Callable[[], list[tuple[str, Any]]]
    # (*, chapter, organisation_name, kind, contact_name, email, message,
    #  language) -> the new outreach entry
    submit_interest: Callable[..., Any]


@dataclass(frozen=True)
class Representation:
    """The rows permissions.py reads about who represents which organisation
    (the rules themselves stay in chapters/permissions.py)."""

    organisations: Callable[[], Any]  # () -> QuerySet of every organisation
    representatives: Callable[[], Any]  # () -> QuerySet of every representative


@dataclass(frozen=True)
class MemberFigures:
    """The dashboard's figures of the outreach list, memberships and tasks."""

    coverage: Callable[..., dict]  # (*, chapter)
    coverage_organisations: Callable[..., Any]  # (*, chapter, group, engaged)
    membership_figure_keys: tuple[str, ...]
    membership_figures: Callable[..., dict]  # (*, chapter, now)
    membership_organisations: Callable[..., Any]  # (*, chapter, figure)
    task_figures: Callable[..., dict]  # (*, chapter)
    tasks_without_volunteers: Callable[..., list]  # (*, chapter)
    # (organisations, *, chapter) -> the same, annotated with the chapter's
    # prospect_pk, prospect_stage, membership_pk and membership_state
    with_standing: Callable[..., Any]
    # () -> annotations of Chapter: listed members and outreach per chapter
    chapter_member_counts: Callable[[], dict]
    prospect_stages: Callable[[], dict]  # () -> stage code -> label
    membership_states: Callable[[], dict]  # () -> state code -> label


@dataclass(frozen=True)
class MeetingFigures:
    """The dashboard's funnel and meeting figures."""

    funnel_steps: tuple[str, ...]
    funnel: Callable[..., dict[str, int]]  # (*, chapter)
    funnel_organisations: Callable[..., Any]  # (*, chapter, step)
    first_exploratory_meeting: Callable[..., Any]  # (*, chapter)
    next_meeting: Callable[..., Any]  # (*, chapter, now)
    meeting_figures: Callable[..., dict]  # (*, meeting)
    meeting_for_chapter: Callable[..., Any]  # (*, chapter, pk)
    meeting_organisations: Callable[..., Any]  # (*, meeting, figure)
    meetings_untranslated: Callable[..., int]  # (*, chapter)
    # (*, chapter_ids) -> chapter id -> {"identified", "invited", "attended",
    # "confirmed": organisations of its outreach list}, for many chapters
    # in a fixed number of queries (the staff comparison)
    chapter_funnels: Callable[..., dict[int, dict[str, int]]]
    # (*, chapter_ids) -> chapter id -> when its last meeting held started
    last_meetings_held: Callable[..., dict[int, Any]]


@dataclass(frozen=True)
class ExportDataset:
    """One of the organisers' exports (chapters/exports.py writes the files)."""

    key: str
    label: Any
    description: Any
    position: int  # place on the exports page, smallest first
    # (chapter, zone) -> (header, rows); the rows a generator
    build: Callable[[Any, Any], tuple[list[str], Iterator[list]]]


@dataclass(frozen=True)
class CountryPageSection:
    """A section of a country page below its member list (the public
    meetings). Part of the cached page: the owning app's services call
    chapters.cache.country_page_invalidate() when what it shows changes."""

    key: str
    position: int  # order on the page, smallest first
    render: Callable[[Any], str]  # (chapter) -> safe HTML, in the active language


@dataclass(frozen=True)
class AuditKeyChoices:
    """A key recorded beside an audit entry whose codes are another model's
    choices (a membership change's "via")."""

    key: str
    position: int
    field: Callable[[], Any]  # () -> the model field holding the choices


@dataclass(frozen=True)
class TimelineEvent:
    """One line of a chapter's timeline for staff (status changes, meetings
    held, members joining and leaving, engagements with government)."""

    when: Any  # an aware datetime, or a date (read as the start of that day)
    kind: str  # a short code the page styles by: "status", "meeting", ...
    text: str  # a translated sentence; typed names inside it isolated
    url: str = ""  # where staff read more, or ""


@dataclass(frozen=True)
class TimelineSource:
    """What one app tells of a chapter's history."""

    key: str
    position: int
    # (*, chapter) -> that app's events of the chapter, any order
    events: Callable[..., list[TimelineEvent]]


@dataclass(frozen=True)
class Engagements:
    """A chapter's engagements with government: the public summary of the
    country page's API answer and the staff comparison's recent count."""

    # (*, chapter, language) -> the engagements the organisers published,
    # as plain data for the API (champions only with their recorded consent)
    public_summary: Callable[..., list[dict]]
    # (*, chapter_ids, since) -> chapter id -> engagements dated since then
    recent_counts: Callable[..., dict[int, int]]


# The extension points ------------------------------------------------------------

public_members: ExtensionPoint[PublicMembers] = ExtensionPoint(
    "public_members", "the member list of country pages, the API and the CSV"
)
first_meetings_held: ExtensionPoint[Callable[..., dict[int, date]]] = ExtensionPoint(
    "first_meetings_held",
    "(*, chapter_ids=None) -> chapter id -> day of its first meeting held",
)
representation: ExtensionPoint[Representation] = ExtensionPoint(
    "representation", "who represents which organisation, for permissions"
)
member_figures: ExtensionPoint[MemberFigures] = ExtensionPoint(
    "member_figures", "the dashboard's outreach, membership and task figures"
)
meeting_figures: ExtensionPoint[MeetingFigures] = ExtensionPoint(
    "meeting_figures", "the dashboard's funnel and meeting figures"
)
export_datasets: ExtensionList[ExportDataset] = ExtensionList(
    "export_datasets", "the datasets of the organisers' exports page"
)
country_page_sections: ExtensionList[CountryPageSection] = ExtensionList(
    "country_page_sections", "the sections of a country page below its members"
)
audit_key_choices: ExtensionList[AuditKeyChoices] = ExtensionList(
    "audit_key_choices", "keys of audit entries labelled by another model's choices"
)
chapter_timeline: ExtensionList[TimelineSource] = ExtensionList(
    "chapter_timeline", "the events of a chapter's timeline for staff"
)
engagements: ExtensionPoint[Engagements] = ExtensionPoint(
    "engagements", "the public summary of engagements with government and their counts"
)
