"""A country's chapter, the people who organise it, and the audit trail of
every change users care about."""

import os
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from . import extensions, languages
from .folding import chapter_search_text
from .languages import Language, in_order, validate_codes
from .languages import default as default_language


def zone_or_utc(name: str) -> ZoneInfo:
    """The named time zone, or UTC when the name is empty or unknown."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


class ChapterQuerySet(models.QuerySet):
    def managed_by(self, user):
        """Chapters the user may organise: all for staff, else their own."""
        if not user.is_authenticated:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(
            organisers__user=user, organisers__revoked_at__isnull=True
        ).distinct()


class Chapter(models.Model):
    class Status(models.TextChoices):
        INTEREST = "interest", _("Interest")
        EXPLORING = "exploring", _("Exploring")
        FORMING = "forming", _("Forming")
        LAUNCHED = "launched", _("Launched")
        DORMANT = "dormant", _("Dormant")

    country = CountryField(_("country"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    introduction = models.TextField(_("short introduction"), blank=True)
    why_cld = models.TextField(
        _("why community-led development matters here"), blank=True
    )
    host_organisation = models.CharField(
        _("coordinating organisation"), max_length=200, blank=True
    )
    co_chairs = models.CharField(_("interim co-chairs"), max_length=300, blank=True)
    membership_expectations = models.TextField(_("what membership means"), blank=True)
    contact_email = models.EmailField(_("public contact e-mail"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status, default=Status.INTEREST
    )
    first_meeting_on = models.DateField(_("first meeting"), null=True, blank=True)
    launched_on = models.DateField(_("launch date"), null=True, blank=True)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    # The languages the chapter works and publishes in, some of the site's:
    # its content is expected in each of them (what is missing is flagged
    # there only), and its people choose among them.
    languages = models.JSONField(
        _("languages"),
        default=languages.chapter_default,
        validators=[validate_codes],
    )
    members_updated_at = models.DateTimeField(
        _("member list updated"), null=True, blank=True
    )
    # Bumped by chapters.cache.country_page_invalidate() whenever something the
    # public pages show changes outside this row (a membership, an
    # organisation, a meeting). Part of every public cache key, and kept in the
    # database so that every app server sees the same version.
    public_version = models.PositiveIntegerField(default=0, editable=False)
    # What the directory search matches (chapters.folding): the ISO code and
    # the country's and chapter's names in every language, folded. Kept in
    # step by refresh_search(); trigram-indexed on PostgreSQL (migration 0009).
    search_text = models.TextField(blank=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ChapterQuerySet.as_manager()

    class Meta:
        verbose_name = _("chapter")
        verbose_name_plural = _("chapters")
        ordering = ["country"]

    def __str__(self):
        return str(self.name)

    def save(self, *args, **kwargs):
        # Derived data, not a business rule: the search column must match
        # the names however the row is saved.
        self.refresh_search()
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("chapters:country", kwargs={"iso2": self.iso2})

    def refresh_search(self) -> None:
        """Recompute search_text; bulk_create callers call this themselves
        since save() does not run."""
        self.search_text = chapter_search_text(
            code=str(self.country.code or ""),
            names=(
                getattr(self, f"name_{code}", "") or "" for code in languages.codes()
            ),
        )

    @property
    def is_before_forming(self) -> bool:
        """Interest or exploring: confirmed members may move it to forming."""
        return self.status in (self.Status.INTEREST, self.Status.EXPLORING)

    @property
    def language_codes(self) -> list[str]:
        """Its languages that are site languages, in the site's order."""
        return in_order(self.languages or []) or [default_language()]

    @property
    def default_language(self) -> str:
        """The language it publishes in first (the first of its list): what
        a visitor who asks for a language it does not publish reads."""
        published = self.language_codes
        first = (self.languages or [None])[0]
        return first if first in published else published[0]

    @property
    def content_languages(self) -> list[str]:
        """Its languages, the default first: the order its texts fall back in."""
        default = self.default_language
        return [default, *(code for code in self.language_codes if code != default)]

    def publishes_in(self, code: str) -> bool:
        return code in self.language_codes

    @property
    def iso2(self) -> str:
        return str(self.country.code).lower()

    @property
    def zone(self) -> ZoneInfo:
        return zone_or_utc(self.time_zone)


class Organiser(models.Model):
    """The organiser role of one user in one chapter. A revoked role keeps its
    row, so the history of who could act, and when, survives."""

    chapter = models.ForeignKey(
        Chapter, on_delete=models.CASCADE, related_name="organisers"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.CASCADE,
        related_name="organiser_roles",
    )
    granted_at = models.DateTimeField(auto_now_add=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("organiser")
        verbose_name_plural = _("organisers")
        constraints = [
            models.UniqueConstraint(
                fields=["chapter", "user"],
                condition=Q(revoked_at__isnull=True),
                name="one_active_organiser_role_per_user_and_chapter",
            )
        ]

    def __str__(self):
        return f"{self.user} @ {self.chapter}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class OrganiserInvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(
            accepted_at__isnull=True,
            cancelled_at__isnull=True,
            expires_at__gt=timezone.now(),
        )


class OrganiserInvitation(models.Model):
    """An organiser's invitation to a co-organiser, sent as a personal link to
    one e-mail address. Only the digest of the link's token is stored (see
    chapters/tokens.py); accepting requires signing in with that address."""

    chapter = models.ForeignKey(
        Chapter, on_delete=models.CASCADE, related_name="organiser_invitations"
    )
    email = models.EmailField(_("e-mail"))
    language = models.CharField(
        _("language"), max_length=2, choices=Language, default=languages.default
    )
    token_digest = models.CharField(max_length=64, unique=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)

    objects = OrganiserInvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organiser invitation")
        verbose_name_plural = _("organiser invitations")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.email} @ {self.chapter}"

    @property
    def is_pending(self) -> bool:
        return (
            self.accepted_at is None
            and self.cancelled_at is None
            and self.expires_at > timezone.now()
        )


class AuditEntry(models.Model):
    """Who changed what, when, with the state before and after. Written by
    services in the same transaction as the change itself."""

    chapter = models.ForeignKey(
        Chapter,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # How an actor without an account acted, e.g. "personal link of x@y".
    actor_label = models.CharField(max_length=255, blank=True)
    action = models.CharField(max_length=64, db_index=True)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField(max_length=255, blank=True)
    before = models.JSONField(default=dict, blank=True)
    after = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        ordering = ["-created_at", "-id"]
        # The chapter's trail, newest first, and its last activity.
        indexes = [
            models.Index(fields=["chapter", "-created_at"], name="audit_chapter_newest")
        ]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.object_repr}"


class OrganiserPreference(models.Model):
    """How one organiser hears about what organisations do in their
    chapters, and the language the portal writes to them in. Without a row,
    an organiser gets each notice at once, in the portal's default
    language."""

    class Delivery(models.TextChoices):
        IMMEDIATE = "immediate", _("At once, one e-mail per event")
        DIGEST = "digest", _("Once a day, in one e-mail")
        OFF = "off", _("Never")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organiser_preference",
    )
    delivery = models.CharField(
        _("notifications"),
        max_length=16,
        choices=Delivery,
        default=Delivery.IMMEDIATE,
    )
    language = models.CharField(
        _("language of my e-mails"),
        max_length=2,
        choices=Language,
        default=languages.default,
    )
    # When the last digest was queued: at most one digest a day, however
    # often the command runs.
    last_digest_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("organiser preference")
        verbose_name_plural = _("organiser preferences")

    def __str__(self):
        return self.user.email


class OrganiserNotification(models.Model):
    """One thing an organisation did that one organiser is told about. Rows
    for the daily digest wait with sent_at empty; the digest sets sent_at in
    the transaction that queues the e-mail, so no event is sent twice."""

    class Kind(models.TextChoices):
        INVITATION_ACCEPTED = "invitation.accepted", _("Accepted an invitation")
        INVITATION_DECLINED = "invitation.declined", _("Declined an invitation")
        MEMBERSHIP_CONFIRMED = "membership.confirm", _("Confirmed its membership")
        MEMBERSHIP_DECLINED = "membership.decline", _("Declined the membership")
        MEMBERSHIP_WITHDRAWN = "membership.withdraw", _("Withdrew its membership")
        INTEREST = "interest", _("Expressed interest in the chapter")
        GOVERNANCE = "governance", _("Changed the chapter's governance")

    chapter = models.ForeignKey(
        Chapter, on_delete=models.CASCADE, related_name="organiser_notifications"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organiser_notifications",
    )
    kind = models.CharField(max_length=32, choices=Kind)
    delivery = models.CharField(
        max_length=16, choices=OrganiserPreference.Delivery.choices
    )
    # Names in both languages and the organiser page to open, copied at the
    # time of the event so the digest reads the same whenever it is sent.
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("organiser notification")
        verbose_name_plural = _("organiser notifications")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(sent_at__isnull=True),
                name="organiser_notification_unsent",
            )
        ]

    def __str__(self):
        return f"{self.kind} → {self.recipient}"


class ExportStorage(FileSystemStorage):
    """The private directory of prepared exports (settings.EXPORTS_ROOT),
    outside MEDIA_ROOT and without an address: a file reaches an organiser
    only through the chapter's download view (chapters/views/exports.py)."""

    @property
    def base_location(self):
        return str(settings.EXPORTS_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("A prepared export has no public address.")


def export_storage():
    return ExportStorage()


class ExportJob(models.Model):
    """One export prepared by the worker (chapters/exports.py): the dataset,
    format and language asked for, its progress, and the private file once
    written. Queued → running → done, or failed with the reason's code."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (.xlsx)"

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Being prepared")
        DONE = "done", _("Ready to download")
        FAILED = "failed", _("Could not be prepared")

    chapter = models.ForeignKey(
        Chapter, on_delete=models.CASCADE, related_name="export_jobs"
    )
    dataset = models.CharField(max_length=40)
    file_format = models.CharField(max_length=4, choices=Format)
    language = models.CharField(max_length=10)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State, default=State.QUEUED
    )
    rows_done = models.PositiveIntegerField(default=0)
    # Known when the file is written: the datasets do not count their rows
    # ahead (docs/exports.md).
    rows_total = models.PositiveIntegerField(null=True, blank=True)
    file = models.FileField(storage=export_storage, max_length=200, blank=True)
    # A code of exports.ERRORS, shown in the reader's language.
    error = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        # The data set as the exports page names it, in the active language
        # (the audit trail names the job so).
        labels = {item.key: item.label for item in extensions.export_datasets.all()}
        return f"{labels.get(self.dataset, self.dataset)} ({self.file_format.upper()})"

    @property
    def is_running(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RUNNING)

    @property
    def is_done(self) -> bool:
        return self.state == self.State.DONE

    @property
    def is_failed(self) -> bool:
        return self.state == self.State.FAILED
