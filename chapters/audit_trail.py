"""Reading the audit trail: the entries a viewer may see, filtered, and the
words that name each recorded action."""

import re
from collections import defaultdict
from datetime import datetime, time, timedelta

from django.apps import apps
from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import get_language, get_language_bidi, gettext
from django.utils.translation import gettext_lazy as _

from . import extensions
from .models import AuditEntry, Chapter, zone_or_utc

ACTION_LABELS = {
    "agenda_item.add": _("Agenda item added"),
    "agenda_item.move": _("Agenda item moved"),
    "agenda_item.remove": _("Agenda item removed"),
    "agenda_item.update": _("Agenda item changed"),
    "attendance.check_in": _("Checked in"),
    "attendance.remove": _("Check-in undone"),
    "attendance.walk_in": _("Walk-in recorded"),
    "chapter.update": _("Public content or status changed"),
    "decision.add": _("Decision added"),
    "decision.remove": _("Decision removed"),
    "decision.restore": _("Decision restored"),
    "decision.update": _("Decision changed"),
    "do_not_contact.add": _("Address added to the do-not-contact list"),
    "idea.add": _("Idea added"),
    "idea.approve": _("Idea approved"),
    "idea.merge": _("Idea merged into another"),
    "idea.reject": _("Idea not published"),
    "idea.submit": _("Idea sent by an invitee"),
    "idea.unmerge": _("Merged idea separated again"),
    "idea.update": _("Idea changed"),
    "import.cancel": _("Import cancelled"),
    "import.check": _("Import file checked"),
    "import.commit": _("Organisations imported"),
    "import.fail": _("Import failed"),
    "import.start": _("Import started"),
    "import.upload": _("File uploaded for import"),
    "invitation.answer": _("Invitation answered"),
    "invitation.batch": _("Invitations sent"),
    "invitation.bounced": _("Invitation bounced"),
    "invitation.remind": _("Invitation reminder sent"),
    "invitation.requeue": _("Stalled invitations queued again"),
    "invitation.resend": _("Invitation sent again"),
    "invitation.retry_failed": _("Failed invitations sent again"),
    "invitation.revoke_links": _("Personal links of an invitation revoked"),
    "invitation.whatsapp": _("Invitation shared on WhatsApp"),
    "material.add": _("Material added"),
    "material.remove": _("Material removed"),
    "meeting.cancel": _("Meeting cancelled"),
    "meeting.create": _("Meeting created"),
    "meeting.held": _("Meeting marked as held"),
    "meeting.update": _("Meeting changed"),
    "membership.confirm": _("Membership confirmed"),
    "membership.consult": _("Consulting the organisation"),
    "membership.decline": _("Membership declined"),
    "membership.links_revoke": _("Personal links of a membership revoked"),
    "membership.remind": _("Membership reminder sent"),
    "membership.request": _("Membership confirmation requested"),
    "membership.resend": _("Confirmation request sent again"),
    "membership.withdraw": _("Membership withdrawn"),
    "minutes.publish": _("Minutes published"),
    "minutes.resend": _("Minutes sent again"),
    "minutes.summary": _("Public summary of the minutes saved"),
    "organisation.create": _("Organisation added"),
    "organisation.merge": _("Organisation merged into a known one"),
    "organisation.merge_existing": _("Organisation merged with one on the list"),
    "organisation.update": _("Organisation changed"),
    "organiser.grant": _("Organiser role granted"),
    "organiser.invitation_accept": _("Co-organiser invitation accepted"),
    "organiser.invite": _("Co-organiser invited"),
    "organiser.preferences": _("Notification settings changed"),
    "organiser.revoke": _("Organiser role revoked"),
    "prospect.create": _("Added to the outreach list"),
    "prospect.interest": _("Interest form received"),
    "prospect.update": _("Follow-up changed"),
    "representative.account_link": _("Representative's account linked"),
    "representative.create": _("Representative added"),
    "representative.delete": _("Representative removed"),
    "representative.update": _("Representative changed"),
    "task.create": _("Initial task added"),
    "task.update": _("Initial task changed"),
    "task.volunteer": _("Volunteered for a task"),
    "task.volunteer_cancel": _("Volunteering withdrawn"),
}
PAGE_SIZE = 50


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


# How services name an actor without an account (chapters.audit), shown in
# the reader's language.
ACTOR_PREFIXES = {
    "personal link of ": _("personal link of %(who)s"),
    "interest form: ": _("interest form of %(who)s"),
}
ACTOR_LABELS = {"mail provider": _("the mail provider")}


def actor_text(entry: AuditEntry) -> str:
    if entry.actor_id and entry.actor is not None:
        return entry.actor.email
    label = entry.actor_label
    if label in ACTOR_LABELS:
        return str(ACTOR_LABELS[label])
    for prefix, sentence in ACTOR_PREFIXES.items():
        if label.startswith(prefix):
            return str(sentence) % {"who": label[len(prefix) :]}
    return label


def object_type_label(label: str) -> str:
    """The model's own (translated) name for "app.model"."""
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label


def labelled(entries, *, time_zone: str = "UTC") -> list[AuditEntry]:
    """The entries with the words the pages show: what was done, to what
    kind of record, by whom, and each field's change in the reader's
    language (field names, status labels, times in the chapter's zone, the
    records an id points to: one query per kind of record)."""
    entries = list(entries)
    zone = zone_or_utc(time_zone)
    records = _referenced_records(entries)
    for entry in entries:
        entry.action_label = action_label(entry.action)
        entry.type_label = object_type_label(entry.object_type)
        entry.changes = changes(entry, zone=zone, records=records)
        entry.actor_text = actor_text(entry)
    return entries


def entries_in_scope(*, chapter: Chapter | None) -> QuerySet:
    """One chapter's entries, or (staff) every entry, with or without a
    chapter."""
    entries = AuditEntry.objects.all()
    if chapter is not None:
        entries = entries.filter(chapter=chapter)
    return entries


def filter_choices(entries: QuerySet) -> tuple[list, list]:
    """(actions, object types) present in the scope, labelled: two small
    DISTINCT queries."""
    actions = sorted(
        {
            (code, action_label(code))
            for code in entries.order_by().values_list("action", flat=True).distinct()
        },
        key=lambda pair: pair[1],
    )
    types = sorted(
        {
            (code, object_type_label(code))
            for code in entries.order_by()
            .values_list("object_type", flat=True)
            .distinct()
        },
        key=lambda pair: pair[1],
    )
    return actions, types


def entries_filtered(
    entries: QuerySet,
    *,
    action: str = "",
    actor: str = "",
    object_type: str = "",
    chapter: Chapter | None = None,
    date_from=None,
    date_to=None,
    time_zone: str = "UTC",
) -> QuerySet:
    """Dates are whole days in the chapter's time zone, both ends included."""
    if action:
        entries = entries.filter(action=action)
    if object_type:
        entries = entries.filter(object_type=object_type)
    if chapter is not None:
        entries = entries.filter(chapter=chapter)
    if actor := actor.strip():
        entries = entries.filter(
            Q(actor__email__icontains=actor) | Q(actor_label__icontains=actor)
        )
    zone = zone_or_utc(time_zone)
    if date_from:
        entries = entries.filter(
            created_at__gte=datetime.combine(date_from, time.min, tzinfo=zone)
        )
    if date_to:
        entries = entries.filter(
            created_at__lt=datetime.combine(
                date_to + timedelta(days=1), time.min, tzinfo=zone
            )
        )
    return entries.select_related("actor", "chapter").order_by("-created_at", "-pk")


# Keys services record that are not fields of the record itself.
KEY_LABELS = {
    "absorbed": _("absorbed"),
    "active": _("active"),
    "answer": _("answer"),
    "code": _("code"),
    "count": _("number"),
    "created": _("created"),
    "email": _("e-mail"),
    "email_given": _("e-mail address left"),
    "emails": _("e-mails"),
    "duplicate": _("already on the list"),
    "error": _("with errors"),
    "file": _("file"),
    "from_state": _("previous state"),
    "invitations": _("invitations"),
    "kept": _("kept"),
    "key": _("suggested task"),
    "language": _("language"),
    "link": _("link"),
    "meeting": _("meeting"),
    "merged": _("merged"),
    "moved": _("moved"),
    "name": _("name"),
    "new": _("new"),
    "organisation": _("organisation"),
    "position": _("position"),
    "queued": _("queued"),
    "reason": _("reason"),
    "representative": _("representative"),
    "requeued": _("queued again"),
    "revoked": _("links stopped"),
    "rows": _("rows"),
    "skipped": _("skipped"),
    "source": _("source"),
    "state": _("state"),
    "status": _("status"),
    "text": _("text"),
    "title": _("title"),
    "url": _("address"),
    "user": _("user"),
    "via": _("through"),
}
# Values recorded as a machine gave them (a mail server's reply): shown as
# they are, marked as English, beside the action's label in the reader's
# language.
VERBATIM_KEYS = {"reason"}
BOOKKEEPING_KEYS = {"event"}
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _model(entry: AuditEntry):
    try:
        return apps.get_model(entry.object_type)
    except (LookupError, ValueError):
        return None


def _field(model, key: str):
    """The model field a recorded key names, and the language when the key
    is one language of a translated field (text_<code> -> text, code)."""
    if model is None:
        return None, ""
    names = {f.name: f for f in model._meta.get_fields() if hasattr(f, "attname")}
    for name in (key, key.removesuffix("_id")):
        if name in names:
            base, _sep, code = name.rpartition("_")
            if base in names and code in dict(settings.LANGUAGES):
                return names[base], code
            return names[name], ""
    return None, ""


def _referenced_records(entries) -> dict:
    """{(model, pk): text} for every id a recorded foreign key points to."""
    wanted = defaultdict(set)
    for entry in entries:
        model = _model(entry)
        for data in (entry.before, entry.after):
            for key, value in (data if isinstance(data, dict) else {}).items():
                field, _code = _field(model, key)
                if field is not None and field.is_relation and isinstance(value, int):
                    wanted[field.related_model].add(value)
    return {
        (related, record.pk): str(record)
        for related, ids in wanted.items()
        for record in related._default_manager.filter(pk__in=ids)
    }


def _choices_of() -> dict:
    """Keys recorded beside a record whose codes are another model's
    choices: key -> () -> the field (extension point `audit_key_choices`)."""
    return {item.key: item.field for item in extensions.audit_key_choices.all()}


def _choice_field_holding(model, value, key=""):
    """For a key that is not a field of the record (a membership change's
    "via"), the choice field whose codes name the value."""
    choices_of = _choices_of()
    if key in choices_of:
        return choices_of[key]()
    if model is None or not isinstance(value, str):
        return None
    for field in model._meta.get_fields():
        if value in dict(getattr(field, "flatchoices", None) or []):
            return field
    return None


def field_label(model, key: str) -> str:
    field, code = _field(model, key)
    # A field named without a verbose name has only its English attribute.
    if field is not None and field.verbose_name == field.name.replace("_", " "):
        field = None if key in KEY_LABELS else field
    if field is not None:
        label = str(field.verbose_name)
        if code:
            language = str(dict(settings.LANGUAGES)[code])
            return gettext("%(field)s (%(language)s)") % {
                "field": label,
                "language": language,
            }
        return label
    return str(KEY_LABELS.get(key, key.replace("_", " ")))


def changes(entry: AuditEntry, *, zone=None, records=None) -> list[dict]:
    """The fields of an entry with their value before and after."""
    before = entry.before if isinstance(entry.before, dict) else {}
    after = entry.after if isinstance(entry.after, dict) else {}
    model = _model(entry)
    zone = zone or zone_or_utc("UTC")
    records = records if records is not None else _referenced_records([entry])
    # Keys starting with an underscore, and the id of the history step a
    # membership change wrote, are bookkeeping, not changes.
    keys = [
        k
        for k in dict.fromkeys([*before, *after])
        if not k.startswith("_") and k not in BOOKKEEPING_KEYS
    ]

    def shown(key, value):
        field = _field(model, key)[0] or _choice_field_holding(model, value, key)
        return _shown(value, field=field, zone=zone, records=records)

    return [
        {
            "field": field_label(model, key),
            "before": shown(key, before.get(key)),
            "after": shown(key, after.get(key)),
            "had_before": key in before,
            "has_after": key in after,
            "verbatim": key in VERBATIM_KEYS,
        }
        for key in keys
    ]


def _joined(parts: list[str]) -> str:
    # The Arabic comma on a right-to-left page.
    return ("، " if get_language_bidi() else ", ").join(parts)[:300]


def _shown_record(value: dict) -> str:
    """A record described in a value (a merge's kept and absorbed
    organisations, the links moved): its name in the reader's language, or
    each count with the kind of record it counts."""
    names = [value.get(f"name_{get_language()}"), value.get("name")]
    names += [v for k, v in value.items() if k.startswith("name_")]
    name = next((n for n in names if isinstance(n, str) and n), "")
    if name:
        return name[:300]
    parts = []
    for key, count in value.items():
        label = key
        if key.count(".") == 2:
            app_model, _sep, _field_name = key.rpartition(".")
            try:
                label = str(apps.get_model(app_model)._meta.verbose_name_plural)
            except LookupError:
                label = key
        parts.append(f"{label}: {_shown(count)}")
    return _joined(parts)


def _shown(value, *, field=None, zone=None, records=None) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, dict):
        return _shown_record(value)
    if isinstance(value, list):
        return _joined([_shown(item) for item in value])
    if field is not None and field.is_relation:
        return records.get((field.related_model, value), "—")
    choices = dict(getattr(field, "flatchoices", None) or [])
    if value in choices:
        return str(choices[value])
    if isinstance(value, str) and ISO_DATETIME.match(value):
        moment = parse_datetime(value)
        if moment is not None:
            return date_format(localtime(moment, zone), "j F Y · H:i")
    if isinstance(value, str) and ISO_DATE.match(value):
        day = parse_date(value)
        if day is not None:
            return date_format(day, "j F Y")
    return str(value)[:300]
