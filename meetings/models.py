"""Exploratory meetings, their agenda, the materials shared in advance, the
invitations sent to representatives and the attendance on the day."""

import re
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from chapters import languages
from chapters.languages import Language
from chapters.models import Chapter
from members.models import Organisation, Representative


class DefaultAgendaItem(models.Model):
    """The template a new exploratory meeting's agenda is copied from; staff
    edit it in the admin. Seeded from the source document's proposed agenda."""

    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    notes = models.TextField(_("notes"), blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=15
    )

    class Meta:
        verbose_name = _("default agenda item")
        verbose_name_plural = _("default agenda")
        ordering = ["order", "id"]

    def __str__(self):
        return str(self.title)

    @property
    def content_languages(self) -> list[str]:
        """The chapter's languages, its default first: what the title and
        summary fall back to (chapters.languages.field_in_language)."""
        return self.chapter.content_languages


class MeetingQuerySet(models.QuerySet):
    def for_chapter(self, chapter):
        # With the chapter joined: a meeting's texts fall back through its
        # chapter's languages (content_languages), one query for any list.
        return self.filter(chapter=chapter).select_related("chapter")

    def public(self):
        return self.filter(is_public=True).exclude(
            status__in=[Meeting.Status.DRAFT, Meeting.Status.CANCELLED]
        )


class Meeting(models.Model):
    class Kind(models.TextChoices):
        EXPLORATORY = "exploratory", _("Exploratory meeting")
        FOLLOW_UP = "follow_up", _("Follow-up meeting")
        OTHER = "other", _("Other meeting")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        OPEN = "open", _("Invitations open")
        HELD = "held", _("Held")
        CANCELLED = "cancelled", _("Cancelled")

    chapter = models.ForeignKey(
        Chapter, on_delete=models.CASCADE, related_name="meetings"
    )
    kind = models.CharField(
        _("kind"), max_length=16, choices=Kind, default=Kind.EXPLORATORY
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    city = models.CharField(_("city"), max_length=100, blank=True)
    venue_address = models.TextField(_("venue address"), blank=True)
    map_url = models.URLField(_("map link"), blank=True)
    online_url = models.URLField(_("online meeting link"), blank=True)
    # The codes of the languages spoken at the meeting, in the settings'
    # order (chapters.languages); every site language by default.
    working_languages = models.JSONField(
        _("working languages"),
        default=languages.codes,
        validators=[languages.validate_codes],
    )
    target_min = models.PositiveSmallIntegerField(
        _("target number of organisations (minimum)"), default=10
    )
    target_max = models.PositiveSmallIntegerField(
        _("target number of organisations (maximum)"), default=20
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status, default=Status.DRAFT
    )
    is_public = models.BooleanField(
        _("show on the country page"),
        default=False,
        help_text=_(
            "Public meetings show their title, date and city on the country page; "
            "never the online link or who attends."
        ),
    )
    reminder_days = models.PositiveSmallIntegerField(
        _("automatic reminder (days before)"),
        default=3,
        help_text=_("0 turns the automatic reminder off."),
    )
    # Raised on every change invitees must hear about, so calendar programs
    # replace the earlier event (iCalendar SEQUENCE).
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MeetingQuerySet.as_manager()

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")),
                name="meeting_ends_after_it_starts",
            )
        ]

    def __str__(self):
        return str(self.title)

    @property
    def content_languages(self) -> list[str]:
        """The chapter's languages, its default first: what the title and
        summary fall back to (chapters.languages.field_in_language)."""
        return self.chapter.content_languages

    @property
    def offline_until(self) -> datetime:
        """Until when an organiser's phone may keep the meeting-day pages
        (names of invitees included) for offline use: the end of the day
        after the meeting, in the chapter's zone."""
        zone = self.chapter.zone
        day = timezone.localtime(self.ends_at, zone).date()
        return datetime.combine(day + timedelta(days=2), time.min, tzinfo=zone)

    # What pages test of a meeting's status, named once here.
    @property
    def is_held(self) -> bool:
        return self.status == self.Status.HELD

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_closed(self) -> bool:
        """Held or cancelled: nobody is invited, reminded or told any more."""
        return self.status in (self.Status.HELD, self.Status.CANCELLED)

    @property
    def is_online_only(self) -> bool:
        return bool(self.online_url) and not self.venue_address

    @property
    def is_past(self) -> bool:
        return self.ends_at <= timezone.now()

    @property
    def working_languages_display(self) -> str:
        """ "Arabic and English", in the active language."""
        return languages.names_list(self.working_languages)


class AgendaItem(models.Model):
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="agenda_items"
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    title = models.CharField(_("title"), max_length=300)
    notes = models.TextField(_("notes"), blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"), default=15
    )
    presenter = models.CharField(_("presenter"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["order", "id"]

    def __str__(self):
        return str(self.title)

    @property
    def content_languages(self) -> list[str]:
        """The chapter's languages, its default first: what the title and
        summary fall back to (chapters.languages.field_in_language)."""
        return self.chapter.content_languages


class MaterialQuerySet(models.QuerySet):
    def for_meeting(self, meeting):
        """The meeting's own materials and the chapter's reusable ones."""
        return self.filter(chapter_id=meeting.chapter_id).filter(
            Q(meeting=meeting) | Q(meeting__isnull=True)
        )


def material_upload_to(instance, filename):
    # The stored name never comes from the uploader: a random name and the
    # extension of the type found in the content.
    return f"materials/{instance.chapter_id}/{filename}"


class Material(models.Model):
    chapter = models.ForeignKey(
        Chapter, on_delete=models.CASCADE, related_name="materials"
    )
    # Empty for the chapter's reusable materials (about the movement).
    meeting = models.ForeignKey(
        Meeting,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="materials",
        verbose_name=_("meeting"),
    )
    title = models.CharField(_("title"), max_length=200)
    # The codes of the languages the material is written in, in the
    # settings' order (chapters.languages).
    languages = models.JSONField(
        _("languages"),
        default=languages.codes,
        validators=[languages.validate_codes],
    )
    file = models.FileField(_("file"), upload_to=material_upload_to, blank=True)
    original_name = models.CharField(max_length=200, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    url = models.URLField(_("link"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MaterialQuerySet.as_manager()

    class Meta:
        verbose_name = _("material")
        verbose_name_plural = _("materials")
        ordering = ["meeting_id", "title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(file="") & ~Q(url="")) | (~Q(file="") & Q(url="")),
                name="material_is_a_file_or_a_link",
            )
        ]

    def __str__(self):
        return self.title

    @property
    def is_link(self) -> bool:
        return bool(self.url)

    @property
    def languages_display(self) -> str:
        """ "Arabic and English", in the active language."""
        return languages.names_list(self.languages)


class InvitationBatch(models.Model):
    """One press of "send": what the progress bar follows."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="batches"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("invitation batch")
        verbose_name_plural = _("invitation batches")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.meeting} {self.created_at:%Y-%m-%d %H:%M}"


# Stored as an invitation's failure reason when its meeting is cancelled
# before it went out; shown in the reader's language (failure_explanation).
CANCELLED_BEFORE_SENDING = "meeting cancelled before sending"


class InvitationQuerySet(models.QuerySet):
    def invited(self):
        """Invitations proper: without the records of walk-ins who left an
        address (status "walk_in"), who were never invited."""
        return self.exclude(status=Invitation.Status.WALK_IN)


class Invitation(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        BOUNCED = "bounced", _("Bounced")
        OPENED = "opened", _("Opened")
        ACCEPTED = "accepted", pgettext_lazy("invitation status", "Accepted")
        DECLINED = "declined", pgettext_lazy("invitation status", "Declined")
        NO_REPLY = "no_reply", _("No reply")
        # Came without an invitation and left an address: never invited
        # (nothing is sent but the minutes), recorded so that the minutes
        # reach them through a personal link like every attendee's.
        WALK_IN = "walk_in", pgettext_lazy("invitation status", "Came uninvited")

    ANSWERED = (Status.ACCEPTED, Status.DECLINED)
    # Delivered and not answered: what reminders are for.
    AWAITING = (Status.SENT, Status.OPENED)
    # Can be sent again by the organiser (also the retry of a failed one).
    RESENDABLE = (
        Status.SENT,
        Status.OPENED,
        Status.FAILED,
        Status.BOUNCED,
        Status.NO_REPLY,
    )

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="invitations"
    )
    batch = models.ForeignKey(
        InvitationBatch,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations",
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    representative = models.ForeignKey(
        Representative,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Copied at invitation time: the invitation keeps who was invited even
    # when the representative record changes later.
    name = models.CharField(_("name"), max_length=200)
    organisation_name = models.CharField(_("organisation"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"))
    language = models.CharField(
        _("language"), max_length=2, choices=Language, default=languages.default
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status, default=Status.QUEUED
    )
    failure_reason = models.CharField(_("reason"), max_length=500, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)
    # The meeting sequence last announced to this invitee (see Meeting.sequence).
    notified_sequence = models.PositiveIntegerField(default=0)
    # The one message the worker owes this invitee ("invitation", "reminder",
    # "moved", "cancelled"); the worker clears it in the transaction that
    # records the sending, so a repeated task finds nothing to send.
    pending_message = models.CharField(max_length=16, blank=True, default="")
    # Raised each time a new message becomes owed; with the pk it makes the
    # e-mail's Message-ID, so a message sent twice (a worker killed between
    # the server's acceptance and the record) is recognisable as one.
    send_generation = models.PositiveIntegerField(default=1)
    # Attempts at the owed message so far, and when the next may start
    # (automatic retry with back-off after a temporary failure).
    send_attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # A worker's claim on the owed message while it sends it; a claim older
    # than MEETINGS_SEND_LEASE_SECONDS belongs to a worker that stopped and
    # is taken back by meetings.services.sending.sends_recover().
    claimed_at = models.DateTimeField(null=True, blank=True)
    claimed_by = models.CharField(max_length=64, blank=True, default="")
    attendees = models.TextField(_("who will attend"), blank=True)
    needs = models.TextField(_("dietary or access needs"), blank=True)
    note = models.TextField(_("note to the organisers"), blank=True)
    # The person agreed that their name appears in the minutes (default off:
    # the minutes name organisations only).
    name_in_minutes = models.BooleanField(
        _("my name may appear in the minutes"), default=False
    )
    # Set when the minutes are published (minutes_publish, in its
    # transaction); the e-mail goes after commit (tasks.minutes_email_deliver),
    # which clears it again if the e-mail is refused. Publishing twice thus
    # e-mails each attendee once, and a failed e-mail is retried.
    minutes_sent_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["organisation_name", "name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "email"], name="one_invitation_per_email_and_meeting"
            )
        ]
        indexes = [
            models.Index(fields=["meeting", "status"]),
            # The recovery's two questions, asked every minute: owed messages
            # whose claim is stale, and owed messages due and unclaimed.
            models.Index(
                fields=["claimed_at"],
                condition=~Q(pending_message=""),
                name="invitation_owed_claimed",
            ),
            models.Index(
                fields=["next_attempt_at"],
                condition=~Q(pending_message=""),
                name="invitation_owed_due",
            ),
        ]

    def __str__(self):
        return f"{self.name} <{self.email}>"

    # What pages test of an invitation's status, named once here.
    @property
    def is_queued(self) -> bool:
        return self.status == self.Status.QUEUED

    @property
    def is_accepted(self) -> bool:
        return self.status == self.Status.ACCEPTED

    @property
    def is_declined(self) -> bool:
        return self.status == self.Status.DECLINED

    @property
    def is_walk_in(self) -> bool:
        return self.status == self.Status.WALK_IN

    @property
    def can_be_resent(self) -> bool:
        return self.status in self.RESENDABLE

    @property
    def awaits_answer(self) -> bool:
        return self.status in self.AWAITING

    @property
    def failure_explanation(self) -> str:
        """Why the invitation did not arrive, in the reader's language. The
        mail server's own reply (failure_reason) is technical English, kept
        for the organiser to quote to a provider and shown marked as such."""
        reason = self.failure_reason.strip()
        if reason == CANCELLED_BEFORE_SENDING:
            return gettext("The meeting was cancelled before this invitation was sent.")
        if self.status == self.Status.BOUNCED:
            return gettext(
                "The message came back: this address does not receive e-mail."
            )
        code = re.match(r"^([245])\d\d\b|^([245])\.\d{1,3}\.\d{1,3}\b", reason)
        first = (code.group(1) or code.group(2)) if code else ""
        if first == "5":
            return gettext("The recipient's mail server refused this address.")
        if first == "4":
            return gettext(
                "The recipient's mail server could not take the message for now."
            )
        return gettext("The message could not be sent.")

    @property
    def failure_detail(self) -> str:
        """The mail server's reply, when there is one to quote."""
        reason = self.failure_reason.strip()
        return "" if reason == CANCELLED_BEFORE_SENDING else reason

    @property
    def has_answered(self) -> bool:
        return self.status in self.ANSWERED


class InvitationLink(models.Model):
    """A personal link to one invitation's page. Only the digest is stored
    (chapters.tokens); every e-mail or WhatsApp share makes a new link, and
    revoking the invitation's links closes them all. Links serve this page
    only and stop working when the meeting ends."""

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        WHATSAPP = "whatsapp", _("WhatsApp")

    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, related_name="links"
    )
    digest = models.CharField(max_length=64, unique=True)
    # The digest of the link's check-in code (chapters.tokens.checkin_code),
    # set when the link is made from its raw token; empty (NULL) for a link
    # that carries no code (made before codes existed, or for the minutes).
    checkin_digest = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    channel = models.CharField(max_length=16, choices=Channel, default=Channel.EMAIL)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("personal link")
        verbose_name_plural = _("personal links")

    def __str__(self):
        return f"{self.invitation} ({self.channel})"


class MaterialOpening(models.Model):
    """Who has opened which material, through their personal link."""

    material = models.ForeignKey(
        Material, on_delete=models.CASCADE, related_name="openings"
    )
    invitation = models.ForeignKey(
        Invitation, on_delete=models.CASCADE, related_name="material_openings"
    )
    first_opened_at = models.DateTimeField(auto_now_add=True)
    count = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["material", "invitation"], name="one_opening_row_per_invitee"
            )
        ]

    def __str__(self):
        return f"{self.material} / {self.invitation}"


class Attendance(models.Model):
    """Someone present on the day: from an accepted invitation or a walk-in."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="attendances"
    )
    invitation = models.OneToOneField(
        Invitation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="attendance",
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("name"), max_length=200)
    organisation_name = models.CharField(_("organisation"), max_length=200)
    name_in_minutes = models.BooleanField(
        _("name may appear in the minutes"), default=False
    )
    checked_in_at = models.DateTimeField(auto_now_add=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        ordering = ["organisation_name", "name"]

    def __str__(self):
        return f"{self.name} ({self.organisation_name})"


# Notes, ideas, decisions and minutes ------------------------------------


class AgendaNote(models.Model):
    """What the organisers wrote about one agenda item, in one language or
    several (modeltranslation: text_ar, text_en, ...). Each language has its
    own version number (translated too: version_ar, version_en, ...):
    autosave sends the version it started from, and a save from a stale
    version is refused, so two organisers never overwrite each other
    silently, while two writing in different languages do not clash."""

    item = models.OneToOneField(
        AgendaItem, on_delete=models.CASCADE, related_name="note"
    )
    text = models.TextField(_("notes"), blank=True)
    # Only its per-language columns are used (version_in).
    version = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("agenda item notes")
        verbose_name_plural = _("agenda item notes")

    def __str__(self):
        return f"{self.item}"

    def version_in(self, language: str) -> int:
        """The version of the text in one language (0 before its first
        save; a language added later starts empty)."""
        return getattr(self, f"version_{language}") or 0


class IdeaCategory(models.TextChoices):
    """The four conversations of the source document's agenda (items 3 to
    6), in its wording."""

    JOINT_WORK = "joint_work", _("Areas of joint work")
    GOVERNMENT = "government", _("Pathways to encourage the government")
    SDGS = "sdgs", _("Localising the SDGs")
    EXPECTATIONS = "expectations", _("Members' expectations")


class IdeaTopic(models.TextChoices):
    BEST_PRACTICES = "best_practices", _("Sharing best practices")
    ADVOCACY = "advocacy", _("Advocacy")
    LEADERSHIP = "leadership", _("Leadership opportunities")
    PARLIAMENTARY_VISITS = (
        "parliamentary_visits",
        _("Parliamentary visits to successful projects"),
    )
    EXCHANGES = "exchanges", _("Exchanges with other countries")
    CHAMPIONS = "champions", _("Champions inside ministries")
    CONSULTATION = "consultation", _("Consultations with the government")
    UNDP = "undp", _("The role of UNDP")
    QUESTION = "question", _("Question")
    OTHER = "other", _("Other")


# Which topics belong to which category, in the order the seed names them.
CATEGORY_TOPICS = {
    IdeaCategory.JOINT_WORK: [
        IdeaTopic.BEST_PRACTICES,
        IdeaTopic.ADVOCACY,
        IdeaTopic.LEADERSHIP,
        IdeaTopic.OTHER,
    ],
    IdeaCategory.GOVERNMENT: [
        IdeaTopic.PARLIAMENTARY_VISITS,
        IdeaTopic.EXCHANGES,
        IdeaTopic.CHAMPIONS,
        IdeaTopic.OTHER,
    ],
    IdeaCategory.SDGS: [IdeaTopic.CONSULTATION, IdeaTopic.UNDP, IdeaTopic.OTHER],
    IdeaCategory.EXPECTATIONS: [IdeaTopic.QUESTION],
}


class IdeaQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Idea.Status.APPROVED, merged_into__isnull=True)

    def pending(self):
        return self.filter(status=Idea.Status.PENDING, merged_into__isnull=True)


class Idea(models.Model):
    """A contribution to the meeting: an idea in one of the seed's
    categories, or a question about members' expectations (with the
    organisers' answer). Ideas sent through a personal link wait for an
    organiser's approval before anyone else sees them. Kept as written, in
    the language it was written in (not translated)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Not published")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="ideas")
    category = models.CharField(_("category"), max_length=16, choices=IdeaCategory)
    topic = models.CharField(_("topic"), max_length=24, choices=IdeaTopic)
    text = models.TextField(_("idea or question"))
    language = models.CharField(
        _("language"), max_length=2, choices=Language, default=languages.default
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("proposed by"),
    )
    # Copied (or typed for an organisation outside the outreach list), so
    # the minutes keep who proposed it.
    organisation_name = models.CharField(_("proposed by"), max_length=200, blank=True)
    invitation = models.ForeignKey(
        Invitation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ideas",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status, default=Status.PENDING
    )
    # A duplicate keeps its text and points at the idea it was merged into.
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("merged into"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    is_next_step = models.BooleanField(_("agreed next step"), default=False)
    answer = models.TextField(_("answer"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    moderated_at = models.DateTimeField(null=True, blank=True)

    objects = IdeaQuerySet.as_manager()

    class Meta:
        verbose_name = _("idea")
        verbose_name_plural = _("ideas")
        ordering = ["category", "topic", "created_at", "id"]
        indexes = [models.Index(fields=["meeting", "status"])]

    def __str__(self):
        return self.text[:80]

    # What pages test of an idea's status, named once here.
    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED

    @property
    def is_rejected(self) -> bool:
        return self.status == self.Status.REJECTED

    @property
    def can_become_engagement(self) -> bool:
        """Ideas about the government or the SDGs can be turned into an
        engagement with government (meetings.services.engagements)."""
        return self.category in (IdeaCategory.GOVERNMENT, IdeaCategory.SDGS)


# How long a removed decision can be restored from the decisions page.
DECISION_RESTORE_DAYS = 30


class DecisionQuerySet(models.QuerySet):
    def removed(self):
        return self.filter(removed_at__isnull=False)

    def restorable(self):
        """Removed, recently enough to be restored."""
        since = timezone.now() - timedelta(days=DECISION_RESTORE_DAYS)
        return self.filter(removed_at__gte=since)


class KeptDecisionManager(models.Manager.from_queryset(DecisionQuerySet)):
    """Removed decisions are kept a while to be restored, but for every read
    (decisions page, minutes, an idea's decisions) they are gone."""

    def get_queryset(self):
        return super().get_queryset().filter(removed_at__isnull=True)


class Decision(models.Model):
    """A decision or next step of the meeting, with the organisation that
    owns it and when it is due (text in each language: modeltranslation).
    Removing one only marks it removed (`removed_at`); it can be restored
    for DECISION_RESTORE_DAYS (meetings.services.decisions)."""

    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="decisions"
    )
    text = models.TextField(_("decision or next step"))
    owner = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("owner organisation"),
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    idea = models.ForeignKey(
        Idea,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decisions",
    )
    order = models.PositiveSmallIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    removed_at = models.DateTimeField(_("removed"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = KeptDecisionManager()
    # Every decision, the removed ones included: restoring, the admin.
    all_objects = models.Manager.from_queryset(DecisionQuerySet)()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions and next steps")
        ordering = ["order", "id"]

    def __str__(self):
        return str(self.text)[:80]


class Minutes(models.Model):
    """Publication of a meeting's minutes. The minutes page itself is
    generated from the meeting's agenda, attendance, notes, ideas and
    decisions; this row says when they were published and holds the short
    public summary (translated: summary_ar, summary_en, ...) for the
    country page."""

    meeting = models.OneToOneField(
        Meeting, on_delete=models.CASCADE, related_name="minutes"
    )
    summary = models.TextField(_("public summary"), blank=True)
    summary_is_public = models.BooleanField(
        _("show the summary on the country page"), default=False
    )
    published_at = models.DateTimeField(_("published"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("minutes")
        verbose_name_plural = _("minutes")

    def __str__(self):
        return f"{self.meeting}"

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


class DeviceAction(models.Model):
    """An action of the meeting day taken on an organiser's device, by the id
    the device gave it (a UUID made when the action was taken, kept with it
    while it waits to be sent). A device sends again until it hears back, so
    the id, stored in the same transaction as the action, makes every resend
    a no-op: a check-in, a walk-in or an idea is never recorded twice."""

    class Kind(models.TextChoices):
        CHECK_IN = "check_in", _("Check-in")
        UNDO = "undo", _("Undo")
        WALK_IN = "walk_in", _("Walk-in")
        IDEA = "idea", _("Idea")

    client_id = models.UUIDField(unique=True)
    meeting = models.ForeignKey(
        Meeting, on_delete=models.CASCADE, related_name="device_actions"
    )
    kind = models.CharField(max_length=16, choices=Kind)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("action from a device")
        verbose_name_plural = _("actions from devices")

    def __str__(self):
        return f"{self.kind} {self.client_id}"


# Engagements with government --------------------------------------------------
# What the chapter does with government after its meetings: parliamentary
# visits, exchanges, meetings with champions, SDG consultations, memoranda
# and letters (meetings.services.engagements, docs/engagements.md). The
# people met in government are private to the chapter, like representatives;
# a champion is named on public pages only while their recorded consent
# stands (GovernmentContact.may_be_named).


class GovernmentContactQuerySet(models.QuerySet):
    def for_chapter(self, chapter):
        return self.filter(chapter=chapter)

    def nameable(self):
        """The consent rule of every public page and the API: a contact is
        named only with consent recorded and not withdrawn since."""
        return self.filter(
            consent_recorded_at__isnull=False, consent_withdrawn_at__isnull=True
        )


class GovernmentContact(models.Model):
    """Someone the chapter works with in a ministry, parliament or agency.
    Private to the chapter that recorded them (e-mail and phone never leave
    the organiser pages); a champion is named publicly only with consent."""

    chapter = models.ForeignKey(
        Chapter, on_delete=models.CASCADE, related_name="government_contacts"
    )
    name = models.CharField(_("name"), max_length=200)
    institution = models.CharField(
        _("institution"),
        max_length=200,
        help_text=_("The ministry, parliament or agency."),
    )
    position = models.CharField(_("position or portfolio"), max_length=200, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_champion = models.BooleanField(_("champion"), default=False)
    consent_recorded_at = models.DateTimeField(
        _("consent to be named recorded"), null=True, blank=True
    )
    consent_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    consent_note = models.CharField(
        _("how consent was given"), max_length=300, blank=True
    )
    consent_withdrawn_at = models.DateTimeField(
        _("consent withdrawn"), null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = GovernmentContactQuerySet.as_manager()

    class Meta:
        verbose_name = _("government contact")
        verbose_name_plural = _("government contacts")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["chapter", "name"])]

    def __str__(self):
        return self.name

    @property
    def may_be_named(self) -> bool:
        return (
            self.consent_recorded_at is not None and self.consent_withdrawn_at is None
        )


class EngagementKind(models.TextChoices):
    PARLIAMENTARY_VISIT = (
        "parliamentary_visit",
        _("Parliamentary visit to a successful project"),
    )
    EXCHANGE = "exchange", _("Exchange with another country's chapter")
    CHAMPION_MEETING = "champion_meeting", _("Meeting with a champion")
    SDG_CONSULTATION = (
        "sdg_consultation",
        _("SDG localisation consultation (government or UNDP)"),
    )
    MEMORANDUM = "memorandum", _("Memorandum")
    LETTER = "letter", _("Letter")
    OTHER = "other", pgettext_lazy("engagement kind", "Other")


class EngagementQuerySet(models.QuerySet):
    def for_chapter(self, chapter):
        return self.filter(chapter=chapter)

    def published(self):
        return self.filter(is_public=True)


class Engagement(models.Model):
    """One engagement with government, with the people and member
    organisations taking part, its outcome and next step. Title and public
    summary are translated (modeltranslation); the summary shows on the
    country page and in the API only when `is_public`. It may come from a
    meeting's idea or decision, and keeps the link."""

    chapter = models.ForeignKey(
        Chapter, on_delete=models.CASCADE, related_name="engagements"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=EngagementKind)
    happened_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("public summary"), blank=True)
    institutions = models.CharField(
        _("institutions involved"), max_length=300, blank=True
    )
    contacts = models.ManyToManyField(
        GovernmentContact,
        blank=True,
        related_name="engagements",
        verbose_name=_("government contacts"),
    )
    organisations = models.ManyToManyField(
        Organisation,
        blank=True,
        related_name="+",
        verbose_name=_("member organisations taking part"),
    )
    outcome = models.TextField(_("outcome"), blank=True)
    next_step = models.TextField(_("next step"), blank=True)
    idea = models.ForeignKey(
        Idea,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="engagements",
        verbose_name=_("from the idea"),
    )
    decision = models.ForeignKey(
        Decision,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="engagements",
        verbose_name=_("from the decision"),
    )
    is_public = models.BooleanField(_("show on the country page"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EngagementQuerySet.as_manager()

    class Meta:
        verbose_name = _("engagement with government")
        verbose_name_plural = _("engagements with government")
        ordering = ["-happened_on", "-id"]
        indexes = [
            models.Index(fields=["chapter", "-happened_on"]),
            models.Index(fields=["chapter", "kind"]),
            models.Index(fields=["chapter", "is_public"]),
        ]

    def __str__(self):
        return str(self.title)

    @property
    def content_languages(self) -> list[str]:
        """The chapter's languages, its default first: what the title and
        summary fall back to (chapters.languages.field_in_language)."""
        return self.chapter.content_languages
