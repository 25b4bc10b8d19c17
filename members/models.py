"""Organisations, the people who represent them, the chapters' outreach lists
and the memberships that put an organisation on a country page."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from chapters import languages
from chapters.languages import Language
from chapters.models import Chapter

from .normalise import name_key, organisation_search_text, website_domain


class SDG(models.IntegerChoices):
    NO_POVERTY = 1, _("1. No poverty")
    ZERO_HUNGER = 2, _("2. Zero hunger")
    HEALTH = 3, _("3. Good health and well-being")
    EDUCATION = 4, _("4. Quality education")
    GENDER_EQUALITY = 5, _("5. Gender equality")
    WATER = 6, _("6. Clean water and sanitation")
    ENERGY = 7, _("7. Affordable and clean energy")
    WORK = 8, _("8. Decent work and economic growth")
    INDUSTRY = 9, _("9. Industry, innovation and infrastructure")
    INEQUALITIES = 10, _("10. Reduced inequalities")
    CITIES = 11, _("11. Sustainable cities and communities")
    CONSUMPTION = 12, _("12. Responsible consumption and production")
    CLIMATE = 13, _("13. Climate action")
    LIFE_BELOW_WATER = 14, _("14. Life below water")
    LIFE_ON_LAND = 15, _("15. Life on land")
    PEACE = 16, _("16. Peace, justice and strong institutions")
    PARTNERSHIPS = 17, _("17. Partnerships for the goals")


# The columns of Organisation's duplicate-detection keys of its name.
NAME_KEY_COLUMNS = languages.localized("name_key")


class Organisation(models.Model):
    class Kind(models.TextChoices):
        COMMUNITY_BASED = "cbo", _("Community-based organisation")
        NATIONAL_NGO = "ngo", _("National civil-society organisation / NGO")
        INTERNATIONAL_NGO = "ingo", _("International NGO")
        NETWORK = "network", _("Network or coalition")
        ACADEMIC = "academic", _("Academic institution")
        THINK_TANK = "think_tank", _("Think tank")
        GOVERNMENT = "government", _("Government body")
        PRIVATE = "private", _("Private sector")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    name_transliteration = models.CharField(
        _("transliterated name"), max_length=200, blank=True
    )
    acronym = models.CharField(_("acronym"), max_length=30, blank=True)
    kind = models.CharField(_("type"), max_length=16, choices=Kind)
    country = CountryField(_("country"), blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to="logos/", blank=True)
    description = models.TextField(_("short description"), blank=True)
    focus_sdgs = models.JSONField(_("Sustainable Development Goals"), default=list)
    tags = models.JSONField(_("tags"), default=list, blank=True)
    public_email = models.EmailField(_("public e-mail"), blank=True)
    # Duplicate-detection keys (members.normalise), kept in step with the
    # name and website by refresh_keys(); indexed for equality lookups. The
    # name's key in each language, `name_key_<code>`, is added below the class.
    website_domain = models.CharField(max_length=253, blank=True, editable=False)
    # What searches match (members.search): the name in every language, its
    # transliteration, acronym and city in every language, folded
    # (chapters.folding). Kept in step by refresh_keys(); trigram-indexed on
    # PostgreSQL (migration 0012).
    search_text = models.TextField(blank=True, default="", editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [
            *(
                models.Index(fields=[column], name=f"organisation_{column}")
                for column in NAME_KEY_COLUMNS
            ),
            models.Index(fields=["website_domain"], name="organisation_domain"),
        ]

    def __str__(self):
        return str(self.name)

    def save(self, *args, **kwargs):
        # Derived data, not a business rule: the keys must match the name
        # however the row is saved (services, admin, demo).
        self.refresh_keys()
        if kwargs.get("update_fields") is not None:
            # update_or_create() saves only the fields it changed.
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                *NAME_KEY_COLUMNS,
                "website_domain",
                "search_text",
            }
        super().save(*args, **kwargs)

    def refresh_keys(self) -> None:
        """Recompute the duplicate-detection keys and the search column;
        bulk_create callers call this themselves since save() does not run."""
        for code in languages.codes():
            name = getattr(self, f"name_{code}", "") or ""
            setattr(self, f"name_key_{code}", name_key(name))
        self.website_domain = website_domain(self.website)
        self.search_text = organisation_search_text(self)


# One key per language of the name, like modeltranslation's `name_<code>`
# columns (a key is not content, so it is not registered for translation):
# a language added to settings.LANGUAGES gets its column from the same
# migration as its name.
for _column in NAME_KEY_COLUMNS:
    Organisation.add_to_class(
        _column, models.CharField(max_length=200, blank=True, editable=False)
    )
del _column


class RepresentativeQuerySet(models.QuerySet):
    def for_chapter(self, chapter):
        """The privacy rule for contact details: a chapter's organisers see
        the contacts their chapter collected (its organisers, its imports, its
        interest form), never another chapter's, even for an organisation both
        have on their lists. Every organiser-facing list, count, export,
        invitation and e-mail of representatives goes through here."""
        return self.filter(chapter=chapter)


class Representative(models.Model):
    """A person who speaks for an organisation, as one chapter knows them.
    Contact details are private: only the organisers of that chapter and the
    organisation's own representatives see them. The same person known to
    two chapters is two rows, one per chapter."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="representatives"
    )
    # The chapter whose organisers, import or interest form brought the
    # contact in. Empty only for rows no chapter could be traced for: then
    # no chapter sees them, only the organisation's own representatives.
    chapter = models.ForeignKey(
        Chapter,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="representatives",
        verbose_name=_("collected by the chapter"),
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="representations",
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"), blank=True, db_index=True)
    # E.164 ("+9627..."), normalised by the form or the import.
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    role = models.CharField(_("role in the organisation"), max_length=120, blank=True)
    language = models.CharField(
        _("preferred language"),
        max_length=2,
        choices=Language,
        default=languages.default,
    )
    is_primary = models.BooleanField(_("primary contact"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = RepresentativeQuerySet.as_manager()

    class Meta:
        verbose_name = _("representative")
        verbose_name_plural = _("representatives")
        ordering = ["-is_primary", "name"]

    def __str__(self):
        return self.name


class MembershipQuerySet(models.QuerySet):
    def listed(self):
        """The consent rule: only organisations whose representative confirmed
        the listing appear on public pages, the API and CSV downloads."""
        return self.filter(state=Membership.State.CONFIRMED)

    def for_chapter(self, chapter):
        return self.filter(chapter=chapter)


class Membership(models.Model):
    class State(models.TextChoices):
        CANDIDATE = "candidate", _("Candidate")
        REQUESTED = "requested", _("Confirmation requested")
        CONSULTING = "consulting", _("Consulting the organisation")
        CONFIRMED = "confirmed", _("Confirmed (listed)")
        DECLINED = "declined", pgettext_lazy("membership state", "Declined")
        WITHDRAWN = "withdrawn", pgettext_lazy("membership state", "Withdrawn")

    chapter = models.ForeignKey(
        Chapter, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State, default=State.CANDIDATE
    )
    # Written only by members.services.membership, the state machine; every change
    # there leaves a MembershipEvent beside it.
    requested_at = models.DateTimeField(_("confirmation requested"), null=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    remind_after_days = models.PositiveSmallIntegerField(
        _("reminder after (days)"), default=7
    )
    consulting_since = models.DateTimeField(null=True, blank=True)
    # When a representative consults their organisation: the reminder is due
    # at remind_at and sent once (reminder_sent_at).
    remind_at = models.DateTimeField(null=True, blank=True, db_index=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [
            models.UniqueConstraint(
                fields=["chapter", "organisation"], name="one_membership_per_chapter"
            )
        ]
        indexes = [models.Index(fields=["chapter", "state"])]

    def __str__(self):
        return f"{self.organisation} @ {self.chapter}"

    # What pages test of a membership's state, named once here.
    @property
    def is_consulting(self) -> bool:
        return self.state == self.State.CONSULTING

    @property
    def is_confirmed(self) -> bool:
        return self.state == self.State.CONFIRMED

    @property
    def is_declined(self) -> bool:
        return self.state == self.State.DECLINED

    @property
    def is_withdrawn(self) -> bool:
        return self.state == self.State.WITHDRAWN


class Prospect(models.Model):
    """An organisation on a chapter's outreach list."""

    class Source(models.TextChoices):
        ORGANISER = "organiser", _("Added by an organiser")
        IMPORT = "import", _("Imported")
        INTEREST_FORM = "interest_form", _("Interest form")

    class Stage(models.TextChoices):
        IDENTIFIED = "identified", _("Identified")
        INVITED = "invited", pgettext_lazy("outreach stage", "Invited")
        RESPONDED = "responded", _("Responded")
        ATTENDED = "attended", pgettext_lazy("outreach stage", "Attended")
        MEMBER = "member", pgettext_lazy("outreach stage", "Member")
        DECLINED = "declined", pgettext_lazy("outreach stage", "Declined")

    chapter = models.ForeignKey(
        Chapter, on_delete=models.CASCADE, related_name="prospects"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="prospects"
    )
    source = models.CharField(
        _("source"), max_length=16, choices=Source, default=Source.ORGANISER
    )
    stage = models.CharField(
        _("stage"), max_length=16, choices=Stage, default=Stage.IDENTIFIED
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("followed up by"),
    )
    notes = models.TextField(_("notes"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("prospect")
        verbose_name_plural = _("outreach list")
        constraints = [
            models.UniqueConstraint(
                fields=["chapter", "organisation"], name="one_prospect_per_chapter"
            )
        ]
        indexes = [models.Index(fields=["chapter", "stage"])]

    def __str__(self):
        # Only the name: the audit trail keeps this text, and a stage label
        # would stay in the language of whoever made the change.
        return str(self.organisation)


class DoNotContact(models.Model):
    """An address that asked never to be e-mailed again, by any chapter.
    The address is stored lower-cased, so the lookup is one equality."""

    class Source(models.TextChoices):
        UNSUBSCRIBE_LINK = "link", _("Opt-out link in an e-mail")
        ORGANISER = "organiser", _("Recorded by an organiser")
        STAFF = "staff", _("Recorded by staff")

    email = models.EmailField(_("e-mail"), unique=True)
    source = models.CharField(
        _("how it was asked"),
        max_length=16,
        choices=Source,
        default=Source.UNSUBSCRIBE_LINK,
    )
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    chapter = models.ForeignKey(
        Chapter,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recorded by the chapter"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("do-not-contact address")
        verbose_name_plural = _("do-not-contact list")

    def __str__(self):
        return self.email


class OptOutLink(models.Model):
    """A personal opt-out link mailed to one address (chapters.tokens: only
    the digest is stored). Using it adds the address to DoNotContact."""

    email = models.EmailField()
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.email


class ImportJob(models.Model):
    """One upload of organisations: the file, its preview, and the import.
    The file is kept in the database (private, shared by every app server)
    until the import ends, so preview and import may be different requests
    or the background worker."""

    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        XLSX = "xlsx", "Excel (.xlsx)"

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("Waiting to be checked")
        CHECKING = "checking", _("Checking")
        PREVIEWED = "previewed", _("Ready to import")
        IMPORTING = "importing", _("Importing")
        IMPORTED = "imported", _("Imported")
        FAILED = "failed", _("Could not be read")
        CANCELLED = "cancelled", _("Cancelled")

    chapter = models.ForeignKey(
        Chapter, on_delete=models.CASCADE, related_name="import_jobs"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    filename = models.CharField(_("file"), max_length=255)
    file_format = models.CharField(max_length=4, choices=Format)
    content = models.BinaryField(editable=False)
    status = models.CharField(
        _("status"), max_length=16, choices=Status, default=Status.UPLOADED
    )
    # A file-level problem: {"code": ..., "params": {...}} (see imports.MESSAGES).
    problem = models.JSONField(default=dict, blank=True)
    # One dict per data row: row number, status, cleaned values, errors.
    rows = models.JSONField(default=list, blank=True)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    created_count = models.PositiveIntegerField(default=0)
    merged_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self):
        return self.filename

    # What pages test of an import's status, named once here.
    @property
    def is_previewed(self) -> bool:
        return self.status == self.Status.PREVIEWED

    @property
    def is_importing(self) -> bool:
        return self.status == self.Status.IMPORTING

    @property
    def is_imported(self) -> bool:
        return self.status == self.Status.IMPORTED

    @property
    def is_failed(self) -> bool:
        return self.status == self.Status.FAILED

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 0
        return min(100, round(100 * self.processed_rows / self.total_rows))

    @property
    def is_running(self) -> bool:
        return self.status in {
            self.Status.UPLOADED,
            self.Status.CHECKING,
            self.Status.IMPORTING,
        }


class ConsentStatement(models.Model):
    """The statement a representative agrees to when confirming a listing.
    A published version is never edited: a new wording is a new version, and
    each consent record keeps the version and the exact text that was read."""

    version = models.CharField(_("version"), max_length=20, unique=True)
    # Translated (members/translation.py): `text_<code>` in every language.
    text = models.TextField(_("text"))
    published_at = models.DateTimeField(_("published"), default=timezone.now)

    class Meta:
        verbose_name = _("consent statement")
        verbose_name_plural = _("consent statements")
        ordering = ["-published_at", "-pk"]

    def __str__(self):
        return self.version

    @classmethod
    def current(cls) -> "ConsentStatement | None":
        return (
            cls.objects.filter(published_at__lte=timezone.now())
            .order_by("-published_at", "-pk")
            .first()
        )


class ConfirmationLinkQuerySet(models.QuerySet):
    def outstanding(self):
        return self.filter(used_at__isnull=True, revoked_at__isnull=True)


class ConfirmationLink(models.Model):
    """A personal link mailed to one representative's address for one
    membership and one purpose (answer the request, or withdraw). Only the
    digest of its token is stored (chapters.tokens)."""

    class Purpose(models.TextChoices):
        RESPOND = "respond", _("Answer the confirmation request")
        WITHDRAW = "withdraw", _("Withdraw the membership")

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="links"
    )
    representative = models.ForeignKey(
        Representative, on_delete=models.CASCADE, related_name="confirmation_links"
    )
    # The address the link was sent to: the link stops working if the
    # representative's address changes.
    email = models.EmailField(_("sent to"))
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose)
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    objects = ConfirmationLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("personal link")
        verbose_name_plural = _("personal links")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.get_purpose_display()} → {self.email}"


class MembershipEvent(models.Model):
    """One step in a membership's history, and the consent record when a
    representative confirmed: who acted (account or representative), through
    which personal link, and the statement they agreed to, in the language
    they read it. Rows are only ever added."""

    class Action(models.TextChoices):
        REQUEST = "request", _("Confirmation requested")
        RESEND = "resend", _("Request sent again")
        CONSULT = "consult", _("Consulting the organisation")
        CONFIRM = "confirm", _("Confirmed the listing")
        DECLINE = "decline", pgettext_lazy("membership answer", "Declined")
        WITHDRAW = "withdraw", _("Withdrew")
        REMIND = "remind", _("Reminder sent")

    class Via(models.TextChoices):
        ORGANISER = "organiser", _("Organiser page")
        LINK = "link", _("Personal link")
        ACCOUNT = "account", _("Signed-in account")
        SYSTEM = "system", _("Automatic")

    membership = models.ForeignKey(
        Membership, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField(_("action"), max_length=16, choices=Action)
    from_state = models.CharField(max_length=16, choices=Membership.State)
    to_state = models.CharField(max_length=16, choices=Membership.State)
    # False when the answer came too late or did not fit the state (another
    # representative answered first): recorded, but nothing changed.
    applied = models.BooleanField(default=True)
    note = models.CharField(max_length=255, blank=True)
    via = models.CharField(max_length=16, choices=Via)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    representative = models.ForeignKey(
        Representative,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="membership_events",
    )
    # Copies, so the record survives a representative being removed.
    representative_name = models.CharField(max_length=200, blank=True)
    representative_email = models.EmailField(blank=True)
    link = models.ForeignKey(
        ConfirmationLink,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
    )
    ip_hash = models.CharField(max_length=64, blank=True)
    role = models.CharField(_("stated role"), max_length=120, blank=True)
    consent = models.ForeignKey(
        ConsentStatement,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="records",
    )
    consent_version = models.CharField(max_length=20, blank=True)
    consent_language = models.CharField(max_length=2, blank=True)
    consent_text = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("membership event")
        verbose_name_plural = _("membership history")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.membership}: {self.action} ({self.from_state} → {self.to_state})"


class InitialTask(models.Model):
    """One of a chapter's first tasks. Seen by the chapter's organisers and
    its members' representatives, never by the public."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    chapter = models.ForeignKey(
        Chapter, on_delete=models.CASCADE, related_name="initial_tasks"
    )
    # The suggested default it was created from, so suggesting twice adds
    # nothing; empty for tasks the organisers wrote.
    key = models.CharField(max_length=40, blank=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=Status, default=Status.OPEN
    )
    lead = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_tasks",
        verbose_name=_("lead organisation"),
    )
    volunteers = models.ManyToManyField(
        Organisation, through="Volunteering", related_name="volunteered_tasks"
    )
    order = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("initial task")
        verbose_name_plural = _("initial tasks")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["chapter", "key"],
                condition=~models.Q(key=""),
                name="one_suggested_task_per_chapter",
            )
        ]

    def __str__(self):
        return str(self.title)

    @property
    def is_done(self) -> bool:
        return self.status == self.Status.DONE

    @property
    def is_in_progress(self) -> bool:
        return self.status == self.Status.IN_PROGRESS


class Volunteering(models.Model):
    """An organisation offered to work on a task; who offered, and how."""

    task = models.ForeignKey(
        InitialTask, on_delete=models.CASCADE, related_name="volunteerings"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="volunteerings"
    )
    representative = models.ForeignKey(
        Representative,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    link = models.ForeignKey(
        ConfirmationLink,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("volunteering")
        verbose_name_plural = _("volunteerings")
        constraints = [
            models.UniqueConstraint(
                fields=["task", "organisation"], name="one_volunteering_per_task"
            )
        ]

    def __str__(self):
        return f"{self.organisation} → {self.task}"


# Governance ----------------------------------------------------------------


class GovernanceArea(models.TextChoices):
    """The areas of joint work a focal point looks after: the same codes as
    the meetings' idea topics of the seed's first three areas."""

    BEST_PRACTICES = "best_practices", _("Best practices")
    ADVOCACY = "advocacy", _("Advocacy")
    LEADERSHIP = "leadership", _("Leadership")


class GovernanceRoleQuerySet(models.QuerySet):
    def for_chapter(self, chapter):
        return self.filter(chapter=chapter)

    def current(self):
        """Roles not ended: what the country page shows."""
        return self.filter(ends_on__isnull=True)

    def past(self):
        return self.filter(ends_on__isnull=False)


class GovernanceRole(models.Model):
    """A role in the chapter's governance held by a member organisation,
    through one of its representatives in that chapter. A role is current
    while `ends_on` is empty; ending it keeps the row as history. Who may
    hold what (a listed member, two co-chairs, one host organisation) is
    members.services.governance's rule, not the model's."""

    class Kind(models.TextChoices):
        CO_CHAIR = "co_chair", _("Co-chair")
        HOST = "host", _("Host organisation")
        STEERING = "steering", _("Steering committee member")
        FOCAL_POINT = "focal_point", _("Focal point")

    chapter = models.ForeignKey(
        Chapter, on_delete=models.CASCADE, related_name="governance_roles"
    )
    kind = models.CharField(_("role"), max_length=16, choices=Kind)
    # Only for a focal point: the area of joint work it looks after.
    area = models.CharField(
        _("area of joint work"), max_length=20, choices=GovernanceArea, blank=True
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="governance_roles",
        verbose_name=_("member organisation"),
    )
    # Personal data: shown to the chapter's organisers only, never publicly.
    # Optional for the host organisation, which holds its role as a body.
    representative = models.ForeignKey(
        Representative,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="governance_roles",
        verbose_name=_("representative"),
    )
    starts_on = models.DateField(_("since"))
    ends_on = models.DateField(_("until"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = GovernanceRoleQuerySet.as_manager()

    class Meta:
        verbose_name = _("governance role")
        verbose_name_plural = _("governance roles")
        ordering = ["kind", "area", "starts_on", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="governance_role_ends_after_start",
                violation_error_message=_(
                    "A role cannot end before the day it starts."
                ),
            ),
            models.CheckConstraint(
                condition=models.Q(kind="focal_point", area__gt="")
                | (~models.Q(kind="focal_point") & models.Q(area="")),
                name="governance_role_area_for_focal_points",
            ),
        ]
        indexes = [models.Index(fields=["chapter", "ends_on"])]

    def __str__(self):
        # Only the organisation's name: the audit trail keeps this text, and
        # a role label would stay in the language of whoever made the change.
        return str(self.organisation)

    @property
    def is_current(self) -> bool:
        return self.ends_on is None

    @property
    def is_focal_point(self) -> bool:
        return self.kind == self.Kind.FOCAL_POINT

    @property
    def is_host(self) -> bool:
        return self.kind == self.Kind.HOST
