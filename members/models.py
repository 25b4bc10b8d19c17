"""Organisations, the people who represent them, the chapters' outreach lists
and the memberships that put an organisation on a country page."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from chapters.models import Chapter


class Language(models.TextChoices):
    ARABIC = "ar", _("Arabic")
    ENGLISH = "en", _("English")


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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self):
        return str(self.name)


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
    email = models.EmailField(_("e-mail"), blank=True)
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
    """An address that asked never to be e-mailed again, by any chapter."""

    email = models.EmailField(_("e-mail"), unique=True)
    reason = models.CharField(_("reason"), max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("do-not-contact address")
        verbose_name_plural = _("do-not-contact list")

    def __str__(self):
        return self.email
