"""Organisations, the people who represent them, the chapters' outreach lists
and the memberships that put an organisation on a country page."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from chapters.models import Chapter

from .normalise import name_key, website_domain


class Language(models.TextChoices):
    ARABIC = "ar", _("Arabic")
    ENGLISH = "en", _("English")


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
    # name and website by refresh_keys(); indexed for equality lookups.
    name_key_ar = models.CharField(max_length=200, blank=True, editable=False)
    name_key_en = models.CharField(max_length=200, blank=True, editable=False)
    website_domain = models.CharField(max_length=253, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        indexes = [
            models.Index(fields=["name_key_ar"], name="organisation_name_key_ar"),
            models.Index(fields=["name_key_en"], name="organisation_name_key_en"),
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
                "name_key_ar",
                "name_key_en",
                "website_domain",
            }
        super().save(*args, **kwargs)

    def refresh_keys(self) -> None:
        """Recompute the duplicate-detection keys; bulk_create callers call
        this themselves since save() does not run."""
        self.name_key_ar = name_key(self.name_ar or "")
        self.name_key_en = name_key(self.name_en or "")
        self.website_domain = website_domain(self.website)


class Representative(models.Model):
    """A person who speaks for an organisation. Contact details are private:
    only the chapter's organisers and the organisation's own representatives
    see them."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="representatives"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
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
        default=Language.ARABIC,
    )
    is_primary = models.BooleanField(_("primary contact"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

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
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    chapter = models.ForeignKey(
        Chapter, on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    state = models.CharField(
        _("state"), max_length=16, choices=State, default=State.CANDIDATE
    )
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
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


class Prospect(models.Model):
    """An organisation on a chapter's outreach list."""

    class Source(models.TextChoices):
        ORGANISER = "organiser", _("Added by an organiser")
        IMPORT = "import", _("Imported")
        INTEREST_FORM = "interest_form", _("Interest form")

    class Stage(models.TextChoices):
        IDENTIFIED = "identified", _("Identified")
        INVITED = "invited", _("Invited")
        RESPONDED = "responded", _("Responded")
        ATTENDED = "attended", _("Attended")
        MEMBER = "member", _("Member")
        DECLINED = "declined", _("Declined")

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
        return f"{self.organisation} ({self.get_stage_display()})"


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
