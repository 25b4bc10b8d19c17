"""Shared steps of the membership tests: ask an organisation, and read the
personal links out of the e-mails, as a representative would."""

import re

from django.core import mail

from members.models import ConfirmationLink, Membership
from members.services import membership, membership_links
from tests.factories import (
    OrganisationFactory,
    ProspectFactory,
    RepresentativeFactory,
)

LINK = re.compile(r"https?://[^\s\"<>]+/membership/(\d+)/([\w-]+)/(withdraw/)?")


def on_outreach_list(chapter, *, stage="attended", representatives=1, **org):
    prospect = ProspectFactory(
        chapter=chapter,
        stage=stage,
        organisation=OrganisationFactory(**org),
    )
    reps = [
        RepresentativeFactory(organisation=prospect.organisation)
        for _ in range(representatives)
    ]
    return prospect.organisation, reps


def links_for(email: str) -> dict:
    """The newest answer and withdrawal link mailed to the address, as
    {"respond": (path, membership_id, token), "withdraw": (...)}."""
    found = {}
    for message in mail.outbox:
        if email not in message.to:
            continue
        for match in LINK.finditer(message.body):
            purpose = "withdraw" if match.group(3) else "respond"
            path = match.group(0).split("://", 1)[1]
            path = path[path.index("/") :]
            found[purpose] = (path, int(match.group(1)), match.group(2))
    return found


def ask(organiser, chapter, organisation, **kwargs):
    return membership.membership_request(
        actor=organiser, chapter=chapter, organisations=[organisation], **kwargs
    )


def link_of(email: str, purpose: str = "respond") -> ConfirmationLink:
    _path, membership_id, token = links_for(email)[purpose]
    return membership_links.link_find(
        membership_id=membership_id, raw_token=token, purpose=purpose
    )


def membership_of(chapter, organisation) -> Membership:
    return Membership.objects.get(chapter=chapter, organisation=organisation)
