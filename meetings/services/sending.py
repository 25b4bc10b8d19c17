"""Sending what invitees are owed (Invitation.pending_message). One
cohesive mechanism (its SMTP side is meetings.services.smtp): queue,
claim, send, record and recover belong together. It works in three
short steps so that a worker stopped at any moment loses nothing and sends
almost nothing twice:

1. claim: one transaction marks a chunk of owed invitations as this
   worker's (claimed_at, claimed_by; `select_for_update(skip_locked=True)`
   on PostgreSQL, so two workers never claim the same row), checks the
   do-not-contact list and creates the personal links and opt-out links;
2. send: each message over one SMTP connection for the chunk, from a
   thread of its own (smtp.Sender) that does nothing else, so the server is
   not kept waiting while the worker records and fills in messages;
3. record: the moment the sender hands an answer back, the worker's own
   thread records the outcome and clears the claim with one UPDATE (its
   own transaction; on PostgreSQL with synchronous_commit off, so it
   waits for no disk flush), before it does anything else.

The only duplicate left is a worker killed between the server's "250
accepted" and that record's commit (a fraction of a millisecond); such a
message is sent again with the same Message-ID (emails.message_id), so the
receiver can tell. A worker that stops at once (a second SIGTERM or
Ctrl+C) records on its way out what the server accepted.

A claim older than MEETINGS_SEND_LEASE_SECONDS (a live worker renews its
claims) belongs to a stopped worker: sends_recover() hands it back. A
temporary failure (4xx, connection refused, time-out) keeps the message
owed and schedules another attempt after MEETINGS_SEND_RETRY_DELAYS;
a permanent one (5xx, invalid address), or the last attempt, marks it
failed with the reason. See docs/invitations.md.
"""

import contextlib
import functools
import logging
import os
import socket
import time
import uuid
from collections import defaultdict, deque
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connection, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from chapters.tokens import token_new
from members.services.do_not_contact import opt_out_urls

from ..checkin_codes import link_checkin_digest
from ..emails import MESSAGES, InvitationMailing, reply_to
from ..models import AgendaItem, Invitation, InvitationLink, Meeting
from ..selectors import (
    contact_blocked,
    meeting_materials,
    sends_abandoned,
    sends_waiting,
)
from .handover import worker_task
from .smtp import (
    OUTAGE,
    PERMANENT,
    SEND_ERRORS,
    Sender,
    Transport,
    failure_kind,
    failure_reason,
)

logger = logging.getLogger(__name__)


def lease_seconds() -> float:
    return float(getattr(settings, "MEETINGS_SEND_LEASE_SECONDS", 300))


def retry_delays() -> list[float]:
    """Seconds to wait after the 1st, 2nd… failed attempt; one more attempt
    than there are delays."""
    return list(
        getattr(settings, "MEETINGS_SEND_RETRY_DELAYS", (60, 120, 240, 480, 960))
    )


def chunk_size() -> int:
    """Invitations per task. Each chunk costs a claim, a task and an SMTP
    connection whatever its size (some 15-25 ms), so 100 rather than 50
    makes a large batch a fifth faster; a killed worker's chunk still waits
    only for the lease."""
    return max(1, int(getattr(settings, "MEETINGS_SEND_CHUNK", 100)))


# Queueing ------------------------------------------------------------------


def _deliver_task():
    """The worker's task that runs deliver_chunk (meetings.tasks registers
    it; see .handover for why this module does not import it)."""
    return worker_task("invitations_deliver")


def enqueue_sends(
    invitation_ids: list[int], message: str, *, run_after: datetime | None = None
) -> None:
    """Hand the ids to the worker in chunks once the transaction commits
    (at once outside one). A later start (`run_after`) needs a backend that
    can defer; without one the recovery starts them when they are due."""
    task = _deliver_task()
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return
        task = task.using(run_after=run_after)
    size = chunk_size()
    for start in range(0, len(invitation_ids), size):
        chunk = list(invitation_ids[start : start + size])
        transaction.on_commit(
            lambda chunk=chunk: task.enqueue(invitation_ids=chunk, message=message)
        )


def owed_fields(message: str) -> dict:
    """The update that makes `message` owed anew (a new Message-ID, a fresh
    count of attempts)."""
    return {
        "pending_message": message,
        "send_generation": F("send_generation") + 1,
        "send_attempts": 0,
        "next_attempt_at": None,
    }


# Claim -----------------------------------------------------------------------


class _Claimed:
    __slots__ = ("invitation", "link_pk", "opt_out_link", "raw_token")

    def __init__(self, invitation, raw_token, link_pk, opt_out_link):
        self.invitation = invitation
        self.raw_token = raw_token
        self.link_pk = link_pk
        self.opt_out_link = opt_out_link


def _claim(*, ids: list[int], message: str, owner: str, now: datetime) -> list:
    stale = now - timedelta(seconds=lease_seconds())
    claimable = (
        Invitation.objects.filter(pk__in=ids, pending_message=message)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=stale))
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    )
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            locked = claimable.select_for_update(skip_locked=True)
            claimable = Invitation.objects.filter(
                pk__in=list(locked.values_list("pk", flat=True))
            )
        if not claimable.update(claimed_at=now, claimed_by=owner):
            return []
        invitations = list(
            Invitation.objects.filter(pk__in=ids, claimed_by=owner).order_by(
                "meeting_id", "language", "id"
            )
        )
        _attach_related(invitations)
        blocked = contact_blocked([i.email for i in invitations])
        allowed = []
        for invitation in invitations:
            if invitation.email.strip().lower() in blocked:
                _record_blocked(invitation)
            else:
                allowed.append(invitation)
        return _links(allowed, message)


def _attach_related(invitations: list[Invitation]) -> None:
    """The meeting (with its chapter and creator) and the inviting organiser
    of each invitation, read once per chunk rather than joined per row."""
    meetings = Meeting.objects.select_related("chapter", "created_by").in_bulk(
        {i.meeting_id for i in invitations}
    )
    users = get_user_model().objects.in_bulk(
        {i.created_by_id for i in invitations if i.created_by_id}
    )
    for invitation in invitations:
        invitation.meeting = meetings[invitation.meeting_id]
        invitation.created_by = users.get(invitation.created_by_id)


def _record_blocked(invitation: Invitation) -> None:
    with override(invitation.language):
        reason = _("The address asked not to be contacted.")
    fields = {"pending_message": "", "claimed_at": None, "claimed_by": ""}
    if invitation.status == Invitation.Status.QUEUED:
        fields.update(status=Invitation.Status.FAILED, failure_reason=reason)
    Invitation.objects.filter(pk=invitation.pk).update(**fields)


def _links(invitations: list[Invitation], message: str) -> list[_Claimed]:
    """Personal links and opt-out links for the chunk, with one insert each
    (inside the claim's transaction: they exist before any e-mail names
    them)."""
    tokens = [token_new() if message != "cancelled" else None for _i in invitations]
    links = InvitationLink.objects.bulk_create(
        InvitationLink(
            invitation=invitation,
            digest=token[1],
            checkin_digest=link_checkin_digest(token[0]),
            channel=InvitationLink.Channel.EMAIL,
        )
        for invitation, token in zip(invitations, tokens, strict=True)
        if token is not None
    )
    link_pks = iter(link.pk for link in links)
    opt_outs: dict[int, str] = {}
    by_language = defaultdict(list)
    for invitation in invitations:
        by_language[invitation.language].append(invitation)
    for language, group in by_language.items():
        with override(language):
            urls = opt_out_urls([i.email for i in group])
        opt_outs.update(zip((i.pk for i in group), urls, strict=True))
    return [
        _Claimed(
            invitation,
            token[0] if token else None,
            next(link_pks) if token else None,
            opt_outs[invitation.pk],
        )
        for invitation, token in zip(invitations, tokens, strict=True)
    ]


def _renew(*, owner: str, pending: list[_Claimed]) -> list[_Claimed]:
    """Keep the claims of a long chunk fresh, drop any another worker has
    taken over (its lease ran out) and re-check the do-not-contact list."""
    ids = [item.invitation.pk for item in pending]
    Invitation.objects.filter(pk__in=ids, claimed_by=owner).update(
        claimed_at=timezone.now()
    )
    ours = set(
        Invitation.objects.filter(pk__in=ids, claimed_by=owner).values_list(
            "pk", flat=True
        )
    )
    blocked = contact_blocked([item.invitation.email for item in pending])
    kept = []
    for item in pending:
        if item.invitation.pk not in ours:
            continue
        if item.invitation.email.strip().lower() in blocked:
            with transaction.atomic():
                _record_blocked(item.invitation)
                _drop_link(item)
            continue
        kept.append(item)
    return kept


# Record ----------------------------------------------------------------------


@contextlib.contextmanager
def _quick_commits():
    """While a chunk is sent, on PostgreSQL, COMMIT returns before the disk
    flush (synchronous_commit off for this connection, reset afterwards).
    A killed worker cannot lose a COMMIT that returned: the server has it.
    Only a crash of the database server itself could lose the last fraction
    of a second of records, whose messages would then be sent again (with
    the same Message-ID). The claim before it is committed normally."""
    if connection.vendor != "postgresql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit TO OFF")
    try:
        yield
    finally:
        with contextlib.suppress(DatabaseError), connection.cursor() as cursor:
            cursor.execute("RESET synchronous_commit")


def _drop_link(item: _Claimed) -> None:
    # The personal link of a message that was not sent must not stay usable.
    if item.link_pk is not None:
        InvitationLink.objects.filter(pk=item.link_pk).delete()


@functools.cache
def _update_sql(columns: tuple[str, ...], conditions: tuple[str, ...]) -> str:
    quote = connection.ops.quote_name
    meta = Invitation._meta
    assignments = ", ".join(
        f"{quote(meta.get_field(name).column)} = %s" for name in columns
    )
    tests = " AND ".join(
        f"{quote(meta.get_field(name).column)} = %s" for name in conditions
    )
    return f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {tests}"  # noqa: S608  # nosec B608 - names from the model, values as parameters


def _update(fields: dict, where: dict) -> int:
    """UPDATE invitation SET fields WHERE where, as the ORM would write it
    but without compiling a query each time: this runs once per e-mail, and
    the compilation cost more than the statement itself."""
    meta = Invitation._meta
    params = [
        meta.get_field(name).get_db_prep_save(value, connection)
        for name, value in (*fields.items(), *where.items())
    ]
    with connection.cursor() as cursor:
        cursor.execute(_update_sql(tuple(fields), tuple(where)), params)
        return cursor.rowcount


def _record(
    item: _Claimed,
    owner: str,
    fields: dict,
    *,
    drop_link: bool,
    status: str | None = None,
) -> None:
    """Record the outcome if the claim is still this worker's and the
    message is still the one owed. `status` replaces the status only while
    the invitation is queued (an answer given meanwhile stands). Plain
    values, no expressions: this runs once per e-mail."""
    fields = {"claimed_at": None, "claimed_by": "", **fields}
    where = {
        "id": item.invitation.pk,
        "claimed_by": owner,
        "send_generation": item.invitation.send_generation,
    }
    # One UPDATE is its own transaction: the record commits at once.
    updated = 0
    with transaction.atomic() if drop_link else contextlib.nullcontext():
        if status is not None and item.invitation.status == Invitation.Status.QUEUED:
            updated = _update(
                {**fields, "status": status},
                {**where, "status": Invitation.Status.QUEUED},
            )
        if not updated:
            updated = _update(fields, where)
        if drop_link:
            _drop_link(item)
    if not updated:
        _claim_lost(item, owner)


def _claim_lost(item: _Claimed, owner: str) -> None:
    """The outcome could not be recorded: a new message became owed while
    this one was being sent (hand it to the worker), or another worker took
    the claim over after the lease ran out."""
    pk = item.invitation.pk
    still_mine = Invitation.objects.filter(pk=pk, claimed_by=owner)
    pending = still_mine.values_list("pending_message", flat=True).first()
    if pending is not None:
        still_mine.update(claimed_at=None, claimed_by="")
        if pending:
            enqueue_sends([pk], pending)
    logger.warning("the send to invitation %s was not recorded", pk)


def _record_sent(item: _Claimed, owner: str, message: str) -> None:
    now = timezone.now()
    fields = {
        "pending_message": "",
        "failure_reason": "",
        "send_attempts": item.invitation.send_attempts + 1,
        "next_attempt_at": None,
    }
    status = None
    if message == "invitation":
        status = Invitation.Status.SENT
        fields["sent_at"] = now
    elif message == "reminder":
        fields["reminded_at"] = now
    else:
        fields["notified_sequence"] = item.invitation.meeting.sequence
    _record(item, owner, fields, drop_link=False, status=status)


def _retry_at(attempts_before: int, now: datetime) -> datetime | None:
    """When to try again after a temporary failure of attempt number
    attempts_before + 1, or None when that was the last one."""
    delays = retry_delays()
    if attempts_before >= len(delays):
        return None
    return now + timedelta(seconds=delays[attempts_before])


def _record_failure(
    item: _Claimed, owner: str, message: str, reason: str, *, permanent: bool
) -> datetime | None:
    """Returns when the message is tried again (None: it failed for good)."""
    attempts = item.invitation.send_attempts
    again = None if permanent else _retry_at(attempts, timezone.now())
    fields = {
        "failure_reason": reason,
        "send_attempts": attempts + 1,
        "next_attempt_at": again,
    }
    status = None
    if again is None:
        fields["pending_message"] = ""
        if message == "invitation":
            status = Invitation.Status.FAILED
    _record(item, owner, fields, drop_link=True, status=status)
    return again


# Send ------------------------------------------------------------------------

# Mailings made by this process, reused by the next chunks while everything
# they show is unchanged (the key holds all of it) and for at most a minute
# (the Date header and the calendar's DTSTAMP are the mailing's).
_MAILINGS: dict = {}
_MAILING_SECONDS = 60


def _values(obj, fields) -> tuple:
    """The fields' values as a key: a JSON list (a meeting's working
    languages) as a tuple."""
    values = (getattr(obj, field.attname) for field in fields)
    return tuple(tuple(value) if isinstance(value, list) else value for value in values)


class _Mailings:
    """The InvitationMailing of each meeting, language and Reply-To in the
    chunk: the meeting's agenda and materials are read once per chunk, the
    mailing rendered once per process while they stay the same."""

    def __init__(self, message: str):
        self.message = message
        self._meetings: dict = {}
        self._mailings: dict = {}

    def _meeting(self, meeting) -> tuple[list, list, tuple]:
        if meeting.pk not in self._meetings:
            agenda = list(
                AgendaItem.objects.filter(meeting=meeting).order_by("order", "id")
            )
            materials = list(meeting_materials(meeting=meeting))
            content = (
                _values(meeting, meeting._meta.concrete_fields),
                meeting.chapter.time_zone,
                tuple(_values(item, item._meta.concrete_fields) for item in agenda),
                tuple((m.pk, m.title, tuple(m.languages)) for m in materials),
            )
            self._meetings[meeting.pk] = (agenda, materials, content)
        return self._meetings[meeting.pk]

    def __call__(self, invitation: Invitation) -> InvitationMailing:
        answer_to = tuple(reply_to(invitation))
        key = (invitation.meeting_id, invitation.language, answer_to)
        if key not in self._mailings:
            self._mailings[key] = self._mailing(invitation, answer_to)
        return self._mailings[key]

    def _mailing(self, invitation: Invitation, answer_to: tuple) -> InvitationMailing:
        agenda, materials, content = self._meeting(invitation.meeting)
        key = (self.message, invitation.language, answer_to, content)
        made = _MAILINGS.get(key)
        if made is None or time.monotonic() - made[0] > _MAILING_SECONDS:
            if len(_MAILINGS) > 32:
                _MAILINGS.clear()
            made = _MAILINGS[key] = (
                time.monotonic(),
                InvitationMailing(
                    meeting=invitation.meeting,
                    message=self.message,
                    language=invitation.language,
                    agenda=agenda,
                    materials=materials,
                    reply_to=list(answer_to),
                ),
            )
        return made[1]


def _worker_name() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def deliver_chunk(*, invitation_ids: list[int], message: str) -> dict:
    """Claim what is still owed among the ids, send it, record each
    outcome. Returns the counts."""
    if message not in MESSAGES:
        raise ValueError(message)
    owner = _worker_name()
    claimed = _claim(
        ids=invitation_ids, message=message, owner=owner, now=timezone.now()
    )
    counts = {"sent": 0, "failed": 0, "retry": 0, "skipped": 0}
    counts["skipped"] = len(set(invitation_ids)) - len(claimed)
    retries: list[tuple[int, datetime]] = []
    transport = Transport()
    try:
        with _quick_commits():
            _send_claimed(
                claimed,
                owner=owner,
                message=message,
                transport=transport,
                counts=counts,
                retries=retries,
            )
    finally:
        transport.close()
    if retries:
        # One task for the chunk's retries, when the last of them is due.
        enqueue_sends(
            [pk for pk, _again in retries],
            message,
            run_after=max(again for _pk, again in retries),
        )
    return counts


def send_ahead() -> int:
    """Messages handed to the sender thread at a time. 2 (one on the wire,
    one ready behind it) records each message while the next one goes out:
    faster, but a larger share of the time has an accepted message not yet
    recorded, which a killed worker sends again. 1 records each message
    before the next one goes. See docs/invitations.md."""
    return max(1, int(getattr(settings, "MEETINGS_SEND_AHEAD", 2)))


def _send_claimed(
    pending: list[_Claimed],
    *,
    owner: str,
    message: str,
    transport: Transport,
    counts: dict,
    retries: list,
) -> None:
    """Fill in each message, hand it to the sender thread and record each
    outcome as soon as the sender hands it back, renewing the claims of a
    long chunk as it goes.

    Nothing slow happens while an answer may be waiting to be recorded:
    the chunk's mailings are rendered (and the meetings' agendas read)
    before the first message goes, and the renewal (queries, and the
    do-not-contact check of what is not sent yet) waits until the messages
    on their way are recorded."""
    ahead = send_ahead()
    mailings = _Mailings(message)
    for item in pending:
        with contextlib.suppress(*SEND_ERRORS):  # the message's own failure
            mailings(item.invitation)
    renew_every = max(1.0, lease_seconds() / 4)
    renewed = time.monotonic()
    pending = deque(pending)
    sender = Sender(transport)
    handed = 0
    outage = None
    try:
        while pending or handed:
            renew = time.monotonic() - renewed > renew_every
            if renew and not handed and outage is None:
                pending = deque(_renew(owner=owner, pending=list(pending)))
                renewed, renew = time.monotonic(), False
            while pending and handed < ahead and outage is None and not renew:
                item = pending.popleft()
                try:
                    prepared = mailings(item.invitation).prepare(
                        invitation=item.invitation,
                        raw_token=item.raw_token,
                        opt_out_link=item.opt_out_link,
                    )
                except SEND_ERRORS as error:
                    _settle(item, error, owner, message, counts, retries)
                    continue
                sender.hand(item, prepared)
                handed += 1
            if not handed:
                break
            # Left with the sender until recorded: a stop that lands while it
            # is read or recorded must not lose an accepted message.
            item, error = sender.next_outcome()
            if error is not None and not isinstance(error, SEND_ERRORS):
                raise error
            # After an outage the sender tries nothing more.
            tried = outage is None
            if error is not None and failure_kind(error) == OUTAGE:
                outage = error
            _settle(item, error, owner, message, counts, retries, tried=tried)
            sender.outcome_recorded()
            handed -= 1
        # An outage fails the message it hit and defers the rest of the chunk.
        for item in pending if outage is not None else ():
            _settle(item, outage, owner, message, counts, retries, tried=False)
    finally:
        # Leaving early (an error, or the worker told to stop at once):
        # record what the server accepted meanwhile, so it is not sent again,
        # the one being recorded when the stop came included (recording it
        # twice finds the claim already released and changes nothing).
        for item in sender.close():
            with contextlib.suppress(DatabaseError):
                _record_sent(item, owner, message)


def _settle(
    item: _Claimed,
    error: Exception | None,
    owner: str,
    message: str,
    counts: dict,
    retries: list,
    *,
    tried: bool = True,
) -> None:
    """Record one message's outcome and count it."""
    if error is None:
        _record_sent(item, owner, message)
        counts["sent"] += 1
        return
    kind = failure_kind(error)
    reason = failure_reason(error)
    if tried:
        logger.warning(
            "%s e-mail to invitation %s failed (%s): %s",
            message,
            item.invitation.pk,
            kind,
            reason,
        )
    again = _record_failure(item, owner, message, reason, permanent=kind == PERMANENT)
    if again is None:
        counts["failed"] += 1
    else:
        counts["retry"] += 1
        retries.append((item.invitation.pk, again))


# Recovery --------------------------------------------------------------------


class AbandonedSend(Exception):
    """Recorded on a task left RUNNING by a worker that was stopped; its
    unsent invitations were handed to the worker again."""


def _task_ids_alive(*, now: datetime, lease: float) -> set[int] | None:
    """Invitation ids some waiting or live sending task will look at; None
    when the task backend keeps no queue to look into."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    task = _deliver_task()
    if not isinstance(task.get_backend(), DatabaseBackend):
        return None
    alive = DBTaskResult.objects.filter(task_path=task.module_path).filter(
        Q(status="READY")
        | Q(status="RUNNING", started_at__gte=now - timedelta(seconds=lease))
    )
    ids: set[int] = set()
    for arguments in alive.values_list("args_kwargs", flat=True):
        ids.update(arguments.get("kwargs", {}).get("invitation_ids", []))
    return ids


def _close_dead_tasks(*, now: datetime, lease: float) -> int:
    """Mark FAILED the sending tasks left RUNNING by stopped workers (none
    of their invitations still has a live claim), so the task list says
    what happened; their work was handed back already."""
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    task = _deliver_task()
    if not isinstance(task.get_backend(), DatabaseBackend):
        return 0
    stale = now - timedelta(seconds=lease)
    closed = 0
    for result in DBTaskResult.objects.filter(
        task_path=task.module_path, status="RUNNING", started_at__lt=stale
    ):
        ids = result.args_kwargs.get("kwargs", {}).get("invitation_ids", [])
        if Invitation.objects.filter(pk__in=ids, claimed_at__gte=stale).exists():
            continue
        result.set_failed(
            AbandonedSend("The worker stopped; the unsent messages were handed back.")
        )
        closed += 1
    return closed


def sends_recover(
    *, now: datetime | None = None, lease: float | None = None, thorough: bool = True
) -> dict:
    """Hand back what stopped workers left: claims older than the lease
    whose outcome was never recorded become owed again and go to the
    worker. `thorough` (the every-minute command) also hands to the worker
    every owed message that is due and that no waiting or live task will
    look at (a lost task, a retry whose task was not kept), and closes the
    task rows stopped workers left RUNNING. Safe to run at any time and as
    often as wanted: the claim step decides who sends what."""
    now = now or timezone.now()
    lease = lease_seconds() if lease is None else lease
    with transaction.atomic():
        abandoned = sends_abandoned(now=now, lease=lease)
        if connection.features.has_select_for_update_skip_locked:
            abandoned = abandoned.select_for_update(skip_locked=True)
        released = list(abandoned.values_list("pk", "pending_message"))
        Invitation.objects.filter(
            pk__in=[pk for pk, _message in released],
            claimed_at__lt=now - timedelta(seconds=lease),
        ).update(claimed_at=None, claimed_by="")
    counts = {"released": len(released), "requeued": 0, "tasks_closed": 0}
    by_message = defaultdict(list)
    for pk, message in released:
        by_message[message].append(pk)
    if thorough:
        covered = _task_ids_alive(now=now, lease=lease) or set()
        released_ids = {pk for pk, _message in released}
        for pk, message in sends_waiting(now=now).values_list("pk", "pending_message"):
            if pk not in covered and pk not in released_ids:
                by_message[message].append(pk)
                counts["requeued"] += 1
        counts["tasks_closed"] = _close_dead_tasks(now=now, lease=lease)
    for message, ids in by_message.items():
        if message in MESSAGES:
            enqueue_sends(sorted(ids), message)
    return counts
