"""The one write the public may make: the interest form puts an organisation on
a chapter's outreach list, notifies the organisers and acknowledges the
submitter (audited as prospect.interest). What the public may read is
members.public."""

from dataclasses import dataclass

from django.db import transaction

from chapters import notifications
from chapters.audit import audit_log
from chapters.languages import codes, default
from chapters.models import Chapter
from config.mail import email_queue

from ..models import Language, Organisation, Prospect, Representative
from ..public import organiser_recipients


@dataclass(frozen=True)
class Interest:
    """What a visitor typed into the interest form, already validated."""

    organisation_name: str
    kind: str
    contact_name: str
    email: str
    message: str
    language: str


@transaction.atomic
def interest_submit(*, chapter: Chapter, interest: Interest) -> Prospect:
    """Put the organisation on the chapter's outreach list, notify the
    chapter's organisers and acknowledge the submitter in their language.

    A new Organisation is created every time: matching an existing one by
    name would let anyone attach themselves to another organisation. The
    contact person is stored as a (private) Representative."""
    language = interest.language if interest.language in codes() else default()
    organisation = Organisation.objects.create(
        **{f"name_{language}": interest.organisation_name},
        kind=interest.kind,
        country=chapter.country,
    )
    Representative.objects.create(
        organisation=organisation,
        chapter=chapter,
        name=interest.contact_name,
        email=interest.email,
        language=Language(language),
        is_primary=True,
    )
    prospect = Prospect.objects.create(
        chapter=chapter,
        organisation=organisation,
        source=Prospect.Source.INTEREST_FORM,
        notes=interest.message,
    )
    audit_log(
        actor=None,
        actor_label=f"interest form: {interest.email}",
        action="prospect.interest",
        obj=prospect,
        chapter=chapter,
        after={
            "organisation": interest.organisation_name,
            "type": interest.kind,
            "language": language,
        },
    )
    context = {
        "chapter": chapter,
        "organisation_name": interest.organisation_name,
        "kind_label": Organisation.Kind(interest.kind).label,
        "contact_name": interest.contact_name,
        "email": interest.email,
        "message": interest.message,
        "submitted_language": language,
    }
    for recipient, recipient_language in organiser_recipients(chapter):
        email_queue(
            to=recipient,
            template="chapters_interest_organiser",
            context=context,
            language=recipient_language,
            reply_to=[interest.email],
            country=chapter.iso2,
        )
    notifications.interest_received(prospect=prospect)
    # The address was typed by whoever filled the form, so the
    # acknowledgement carries nothing else they typed: a stranger cannot
    # make the portal deliver their words to someone else's inbox.
    email_queue(
        to=interest.email,
        template="chapters_interest_ack",
        context={"chapter": chapter},
        language=language,
        reply_to=[chapter.contact_email] if chapter.contact_email else None,
        country=chapter.iso2,
    )
    return prospect
