"""The members app's datasets of the organisers' exports: the outreach list
with contacts and the members with their consent records. chapters/exports.py
writes the files (every cell neutralised, chapters/spreadsheets.py); the
datasets are registered in members/registrations.py."""

from zoneinfo import ZoneInfo

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from chapters.exports import CHUNK, dated, local_time, yes_no
from chapters.extensions import ExportDataset
from chapters.forms.base import localized_labels
from chapters.languages import localized
from chapters.models import Chapter

from . import reports


def _names_header() -> list[str]:
    """ "Organisation (Arabic)", "Organisation (English)": one column of the
    organisation's name per language."""
    return [
        str(label) for label in localized_labels("name", _("Organisation")).values()
    ]


def _names(organisation) -> list[str]:
    return [getattr(organisation, column) or "" for column in localized("name")]


def outreach(chapter: Chapter, zone: ZoneInfo):
    header = [
        *_names_header(),
        gettext("Acronym"),
        gettext("Type"),
        gettext("City"),
        gettext("Website"),
        gettext("Public e-mail"),
        gettext("Stage"),
        gettext("Source"),
        gettext("Followed up by"),
        dated(gettext("Added on"), zone),
        gettext("Notes"),
        gettext("Representative"),
        gettext("Role"),
        gettext("E-mail"),
        gettext("Phone"),
        gettext("Preferred language"),
        gettext("Primary contact"),
        gettext("Asked not to be e-mailed"),
    ]

    def generate():
        prospects = reports.outreach_export(chapter=chapter)
        for prospect in prospects.iterator(chunk_size=CHUNK):
            organisation = prospect.organisation
            common = [
                *_names(organisation),
                organisation.acronym,
                organisation.get_kind_display(),
                organisation.city or "",
                organisation.website,
                organisation.public_email,
                prospect.get_stage_display(),
                prospect.get_source_display(),
                prospect.owner.email if prospect.owner else "",
                local_time(prospect.created_at, zone),
                prospect.notes,
            ]
            # Only this chapter's contacts (members.reports.outreach_export).
            contacts = organisation.chapter_contacts
            if not contacts:
                yield common + [""] * 7
            for contact in contacts:
                yield [
                    *common,
                    contact.name,
                    contact.role,
                    contact.email,
                    contact.phone,
                    contact.get_language_display(),
                    yes_no(contact.is_primary),
                    yes_no(contact.opted_out),
                ]

    return header, generate()


def members(chapter: Chapter, zone: ZoneInfo):
    header = [
        *_names_header(),
        gettext("Type"),
        gettext("State"),
        dated(gettext("Confirmation requested on"), zone),
        dated(gettext("Confirmed on"), zone),
        dated(gettext("Consent given on"), zone),
        gettext("Consent statement version"),
        gettext("Consent language"),
        gettext("Confirmed by"),
        gettext("Confirmed by (e-mail)"),
        gettext("Role"),
        dated(gettext("Withdrawn on"), zone),
    ]

    def generate():
        memberships = reports.members_export(chapter=chapter)
        for membership in memberships.iterator(chunk_size=CHUNK):
            organisation = membership.organisation
            yield [
                *_names(organisation),
                organisation.get_kind_display(),
                membership.get_state_display(),
                local_time(membership.requested_at, zone),
                local_time(membership.confirmed_at, zone),
                local_time(membership.consent_at, zone),
                membership.consent_version or "",
                membership.consent_language or "",
                membership.consent_by or "",
                membership.consent_email or "",
                membership.consent_role or "",
                local_time(membership.withdrawn_at, zone),
            ]

    return header, generate()


OUTREACH = ExportDataset(
    key="outreach",
    label=_("Outreach list with contacts"),
    description=_(
        "Every organisation on the list with its stage and each "
        "representative's contact details."
    ),
    position=10,
    build=outreach,
)
MEMBERS = ExportDataset(
    key="members",
    label=_("Members with consent dates"),
    description=_(
        "Every membership, its state and the consent record of its confirmation."
    ),
    position=40,
    build=members,
)
