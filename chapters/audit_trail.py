"""Reading the audit trail: the entries a viewer may see, filtered, and
told as sentences in the reader's language: who did what to which named
record (chapters.audit_sentences), each changed field under its model's
label, values as people read them (choice labels, the names of the records
an id points to, times in the chapter's zone), every name read in bulk, so
a page asks the same number of queries for five entries as for fifty."""

import re
from collections import defaultdict
from datetime import datetime, time, timedelta
from functools import cache, partial

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import lazy
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language, get_language_bidi, gettext
from django.utils.translation import gettext_lazy as _

from . import extensions, times
from .audit_sentences import UNKNOWN, sentence_for
from .languages import codes as language_codes
from .languages import label_in, names_list
from .models import AuditEntry, Chapter, zone_or_utc

ACTION_LABELS = {
    "agenda_item.add": _("Agenda item added"),
    "agenda_item.move": _("Agenda item moved"),
    "agenda_item.remove": _("Agenda item removed"),
    "agenda_item.update": _("Agenda item changed"),
    "attendance.check_in": _("Checked in"),
    "attendance.remove": _("Check-in undone"),
    "attendance.walk_in": _("Walk-in recorded"),
    "chapter.create": _("Chapter opened"),
    "chapter.update": _("Public content or status changed"),
    "decision.add": _("Decision added"),
    "decision.remove": _("Decision removed"),
    "decision.restore": _("Decision restored"),
    "decision.update": _("Decision changed"),
    "do_not_contact.add": _("Address added to the do-not-contact list"),
    "engagement.create": _("Engagement with government recorded"),
    "engagement.delete": _("Engagement with government deleted"),
    "engagement.publish": _("Engagement shown on the country page"),
    "engagement.unpublish": _("Engagement taken off the country page"),
    "engagement.update": _("Engagement with government changed"),
    "governance_role.assign": _("Governance role given"),
    "governance_role.delete": _("Governance role removed"),
    "governance_role.end": _("Governance role ended"),
    "governance_role.update": _("Governance role changed"),
    "government_contact.consent_record": _("Consent to be named recorded"),
    "government_contact.consent_withdraw": _("Consent to be named withdrawn"),
    "government_contact.create": _("Government contact added"),
    "government_contact.delete": _("Government contact removed"),
    "government_contact.update": _("Government contact changed"),
    "export.download": _("Prepared export downloaded"),
    "export.download_direct": _("Export downloaded"),
    "export.request": _("Export asked for"),
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


# How services name an actor without an account (chapters.audit): the
# person's address, and the way they acted, in the reader's language.
ACTOR_CHANNELS = {
    "personal link of ": _("through a personal link"),
    "interest form: ": _("through the interest form"),
    "opt-out link of ": _("through an opt-out link"),
}
ACTOR_LABELS = {
    "mail provider": _("the mail provider"),
    "automatic reminder": _("the portal"),
}


def person_name(user) -> str:
    """A user as the trail names them: their name, else their address."""
    return user.get_full_name().strip() or user.email or user.get_username()


def actor_name(entry: AuditEntry) -> tuple[str, str, bool]:
    """(who, how, whether who is a phrase rather than a name): "Laila
    Haddad"; "huda@example.org" "through the interest form"; "the portal"
    (a phrase) for the portal's own work."""
    if entry.actor_id and entry.actor is not None:
        return person_name(entry.actor), "", False
    label = entry.actor_label
    if not label:
        return gettext("the portal"), "", True
    if label in ACTOR_LABELS:
        return str(ACTOR_LABELS[label]), "", True
    for prefix, channel in ACTOR_CHANNELS.items():
        if label.startswith(prefix):
            return label[len(prefix) :], str(channel), False
    return label, "", False


def object_type_label(label: str) -> str:
    """The model's own (translated) name for "app.model"."""
    model = _model_of(label)
    return str(model._meta.verbose_name) if model is not None else label


def labelled(entries, *, time_zone: str = "UTC") -> list[AuditEntry]:
    """The entries with the words the pages show: the sentence of what was
    done (`sentence`, safe HTML, and `channel`, how the person acted), when
    (`when`, in the zone), and each field's change in the reader's language.
    One query per kind of record named and per kind an id points to."""
    entries = list(entries)
    zone = zone_or_utc(time_zone)
    records = _referenced_records(entries)
    # Read once, for every entry, when a page first shows a name: a list
    # that shows no sentence asks nothing.
    names = cache(lambda: _record_names(entries))

    def object_name(entry) -> str:
        key = (entry.object_type, entry.object_id, sentence_for(entry.action).named_by)
        return names().get(key) or _missing_name(entry)

    for entry in entries:
        entry.action_label = action_label(entry.action)
        entry.type_label = object_type_label(entry.object_type)
        entry.actor_text, entry.channel, entry.actor_is_phrase = actor_name(entry)
        entry.object_name = lazy(partial(object_name, entry), str)()
        entry.sentence = lazy(partial(sentence, entry), SafeString)()
        entry.when = times.local_moment(entry.created_at, zone)
        entry.changes = changes(entry, zone=zone, records=records)
    return entries


def sentence(entry: AuditEntry) -> str:
    """What happened, as safe HTML: the sentence of the action in the
    reader's language, each name isolated (`dir="auto"`), so that a Latin
    name keeps its order in an Arabic sentence and the other way round."""
    text = str(sentence_for(entry.action).text)
    values = {
        "actor": entry.actor_text,
        "object": str(entry.object_name),
        "action": entry.action_label,
    }
    if sentence_for(entry.action) is UNKNOWN and entry.action not in ACTION_LABELS:
        values["action"] = entry.action.replace(".", " ").replace("_", " ")
    # "The portal sent…", "The mail provider reported…" at a sentence's
    # start; a name or an address stays as it is written.
    if entry.actor_is_phrase and text.startswith("%(actor)s"):
        values["actor"] = capfirst(values["actor"])
    return mark_safe(  # noqa: S308 # nosec B308 B703 # text and names escaped
        escape(text)
        % {
            key: format_html('<span dir="auto">{}</span>', value)
            for key, value in values.items()
        }
    )


def _missing_name(entry: AuditEntry) -> str:
    if entry.object_repr:
        return entry.object_repr
    return gettext("%(kind)s no. %(number)s") % {
        "kind": object_type_label(entry.object_type),
        "number": entry.object_id,
    }


def _model_of(label: str):
    try:
        return apps.get_model(label)
    except (LookupError, ValueError):
        return None


def _name_of(value) -> str:
    if isinstance(value, get_user_model()):
        return person_name(value)
    return str(value) if value is not None else ""


def _record_names(entries) -> dict:
    """{(object type, id, named_by): the record's name in the reader's
    language}, for the records that still exist: one query per kind of
    record (and attribute naming it), whatever the number of entries. The
    model is found from the entry's own "app.model", so chapters names the
    other apps' records without importing them."""
    wanted = defaultdict(set)
    for entry in entries:
        wanted[(entry.object_type, sentence_for(entry.action).named_by)].add(
            entry.object_id
        )
    names = {}
    for (object_type, named_by), ids in wanted.items():
        model = _model_of(object_type)
        if model is None:
            continue
        keys = _primary_keys(model, ids)
        if not keys:
            continue
        records = model._default_manager.filter(pk__in=keys)
        try:
            field = model._meta.get_field(named_by) if named_by else None
        except FieldDoesNotExist:
            field = None
        if field is not None and field.concrete and field.is_relation:
            records = records.select_related(named_by)
        elif not named_by and (required := _required_relations(model)):
            # str() of a record may read its required relations (a
            # prospect's organisation, minutes' meeting): joined, not asked
            # once per row.
            records = records.select_related(*required)
        for record in records:
            value = getattr(record, named_by, record) if named_by else record
            names[(object_type, str(record.pk), named_by)] = _name_of(value)[:300]
    return names


def _required_relations(model) -> list[str]:
    return [
        field.name
        for field in model._meta.concrete_fields
        if field.is_relation and not field.null
    ]


def _primary_keys(model, ids) -> list:
    keys = []
    for value in ids:
        try:
            keys.append(model._meta.pk.to_python(value))
        except (ValidationError, ValueError, TypeError):
            continue
    return keys


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
            Q(actor__email__icontains=actor)
            | Q(actor__first_name__icontains=actor)
            | Q(actor__last_name__icontains=actor)
            | Q(actor_label__icontains=actor)
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
# The id of the history step a membership change wrote; the code of the
# suggestion a task was made from (the sentence names the task).
BOOKKEEPING_KEYS = {"event", "key"}
ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _model(entry: AuditEntry):
    return _model_of(entry.object_type)


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


def _neighbour_fields(model, key: str):
    """Fields named `key` on the records next to this one (a task's
    volunteering has the "organisation" a volunteering entry records)."""
    if model is None:
        return []
    found = []
    for relation in model._meta.get_fields():
        other = relation.related_model if relation.is_relation else None
        if other is None or other is model or isinstance(other, str):
            continue
        field, _code = _field(other, key)
        if field is not None:
            found.append(field)
    return found


def _relation_of(model, key: str):
    """The relation a recorded id points along: the record's own field, or
    the one of a neighbouring record."""
    field, _code = _field(model, key)
    if field is not None:
        return field if field.is_relation and field.concrete else None
    relations = [f for f in _neighbour_fields(model, key) if f.is_relation]
    return relations[0] if relations else None


def _referenced_records(entries) -> dict:
    """{(model, pk): name} for every id a recorded foreign key points to:
    one query per kind of record pointed to."""
    wanted = defaultdict(set)
    for entry in entries:
        model = _model(entry)
        for data in (entry.before, entry.after):
            for key, value in (data if isinstance(data, dict) else {}).items():
                if isinstance(value, bool) or not isinstance(value, int):
                    continue
                field = _relation_of(model, key)
                if field is not None:
                    wanted[field.related_model].add(value)
    found = {}
    for related, ids in wanted.items():
        records = related._default_manager.filter(pk__in=ids)
        if required := _required_relations(related):
            records = records.select_related(*required)
        found.update({(related, r.pk): _name_of(r)[:300] for r in records})
    return found


def _choices_of() -> dict:
    """Keys recorded beside a record whose codes are another model's
    choices: key -> () -> the field (extension point `audit_key_choices`)."""
    return {item.key: item.field for item in extensions.audit_key_choices.all()}


def _holds(field, value) -> bool:
    return value in dict(getattr(field, "flatchoices", None) or [])


def _choice_field_holding(model, value, key=""):
    """For a key that is not a field of the record (a membership change's
    "via", an interest form's type of organisation), the choice field whose
    codes name the value: declared by the app that owns it, else one of the
    record's fields, else one of its neighbours' of the same name."""
    choices_of = _choices_of()
    if key in choices_of:
        return choices_of[key]()
    if model is None or not isinstance(value, str):
        return None
    for field in model._meta.get_fields():
        if _holds(field, value):
            return field
    for relation in model._meta.get_fields():
        other = relation.related_model if relation.is_relation else None
        if other is None or isinstance(other, str):
            continue
        for field in other._meta.get_fields():
            if _holds(field, value):
                return field
    return None


def field_label(model, key: str) -> str:
    """A recorded key as the model names it ("Title (Arabic)"), else as the
    trail names the keys services record beside a record."""
    field, code = _field(model, key)
    # A field named without a verbose name has only its English attribute.
    if field is not None and field.verbose_name == field.name.replace("_", " "):
        field = None if key in KEY_LABELS else field
    if field is not None:
        label = str(field.verbose_name)
        return str(label_in(label, code)) if code else label
    return str(KEY_LABELS.get(key, key.replace("_", " ")))


def changes(entry: AuditEntry, *, zone=None, records=None) -> list[dict]:
    """The fields of an entry with their value before and after."""
    before = entry.before if isinstance(entry.before, dict) else {}
    after = entry.after if isinstance(entry.after, dict) else {}
    model = _model(entry)
    zone = zone or zone_or_utc("UTC")
    records = records if records is not None else _referenced_records([entry])
    # Keys starting with an underscore are bookkeeping, not changes; a
    # value a snapshot holds the same before and after did not change.
    keys = [
        k
        for k in dict.fromkeys([*before, *after])
        if not k.startswith("_")
        and k not in BOOKKEEPING_KEYS
        and not (k in before and k in after and before[k] == after[k])
    ]

    def shown(key, value):
        field = _field(model, key)[0]
        if isinstance(value, int) and not isinstance(value, bool):
            field = _relation_of(model, key) or field
        if field is None or (isinstance(value, str) and not _holds(field, value)):
            field = _choice_field_holding(model, value, key) or field
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
            model = _model_of(app_model)
            label = str(model._meta.verbose_name_plural) if model else key
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
        if value and all(item in language_codes() for item in value):
            return names_list(value)  # a chapter's or a meeting's languages
        return _joined([_shown(item) for item in value])
    if field is not None and field.is_relation and isinstance(value, int):
        return (records or {}).get((field.related_model, value), "—")
    if field is not None and field.name == "time_zone" and isinstance(value, str):
        return times.zone_name(zone_or_utc(value)) if value else "—"
    choices = dict(getattr(field, "flatchoices", None) or [])
    if value in choices:
        return str(choices[value])
    if isinstance(value, str) and ISO_DATETIME.match(value):
        moment = parse_datetime(value)
        if moment is not None:
            return times.local_moment(moment, zone or zone_or_utc("UTC"))
    if isinstance(value, str) and ISO_DATE.match(value):
        day = parse_date(value)
        if day is not None:
            return times.format_day(day)
    return str(value)[:300]
