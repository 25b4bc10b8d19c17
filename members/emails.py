"""E-mails to representatives about their organisation's membership: the
request (and its reminder) and the receipt of what they did.

Each carries personal links, so none is rendered while the membership
changes: that transaction records what is owed (ConfirmationLink and
OptOutLink rows whose digest is a placeholder, chapters.tokens.token_pending)
and enqueues only their ids. The worker makes the tokens, stores their
digests and only then renders and sends (config.mail.email_send_issued), so
the task table never holds a working link, and a task run again finds the
links issued and sends nothing.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.tasks import task
from django.urls import reverse
from django.utils import translation

from chapters.languages import field_in_language
from chapters.models import Chapter
from chapters.tokens import PENDING_PREFIX, token_new, token_pending
from config.mail import email_message, email_render, email_send_issued

from .models import ConfirmationLink, Membership, OptOutLink, Representative


def opt_out_owed(email: str) -> OptOutLink:
    """An opt-out link to be issued by the worker with the e-mail naming it."""
    return OptOutLink.objects.create(
        email=str(email).strip().lower(), digest=token_pending()
    )


def representative_email_queue(
    *,
    template: str,
    membership: Membership,
    representative: Representative,
    links: dict[str, ConfirmationLink],
    opt_out: OptOutLink,
    language: str,
    actor=None,
    extra: dict | None = None,
) -> None:
    """Send `template` once the transaction commits, with each of `links`
    (placeholders, by the context name that shows it) issued by the worker.
    `extra` holds plain values of this moment (no secret)."""
    arguments = {
        "template": template,
        "membership_id": membership.pk,
        "representative_id": representative.pk,
        "link_ids": {name: link.pk for name, link in links.items()},
        "opt_out_id": opt_out.pk,
        "language": language,
        "actor_id": actor.pk if getattr(actor, "is_authenticated", False) else None,
        "extra": extra or {},
    }
    transaction.on_commit(lambda: representative_email_deliver.enqueue(**arguments))


@task()
def representative_email_deliver(
    *,
    template: str,
    membership_id: int,
    representative_id: int,
    link_ids: dict[str, int],
    opt_out_id: int,
    language: str,
    actor_id: int | None,
    extra: dict,
) -> bool:
    """Issue the e-mail's links and send it; False when an earlier run did."""

    def issue() -> dict[str, str] | None:
        links = {
            link.pk: link
            for link in ConfirmationLink.objects.select_for_update().filter(
                pk__in=link_ids.values()
            )
        }
        opt_out = OptOutLink.objects.select_for_update().filter(pk=opt_out_id).first()
        owed = [*links.values(), opt_out]
        if len(links) != len(link_ids) or opt_out is None:
            return None  # the membership or the address is gone
        if not all(row.digest.startswith(PENDING_PREFIX) for row in owed):
            return None  # sent (or being sent) by an earlier run
        tokens = {}
        for name, pk in link_ids.items():
            tokens[name], links[pk].digest = token_new()
            links[pk].save(update_fields=["digest"])
        tokens["unsubscribe_link"], opt_out.digest = token_new()
        opt_out.save(update_fields=["digest"])
        return tokens

    def render(tokens: dict[str, str]):
        membership = Membership.objects.select_related("chapter", "organisation").get(
            pk=membership_id
        )
        representative = Representative.objects.get(pk=representative_id)
        actor = get_user_model().objects.filter(pk=actor_id).first()
        purposes = dict(
            ConfirmationLink.objects.filter(pk__in=link_ids.values()).values_list(
                "pk", "purpose"
            )
        )
        unsubscribe = opt_out_link(
            raw_token=tokens["unsubscribe_link"], language=language
        )
        context = {
            **_representative_context(membership, representative, language),
            **extra,
            **{
                name: membership_link(
                    membership_id=membership_id,
                    purpose=purposes[link_ids[name]],
                    raw_token=tokens[name],
                    language=language,
                )
                for name in link_ids
            },
            "unsubscribe_link": unsubscribe,
        }
        subject, text, html = email_render(
            template=template, context=context, language=language
        )
        return email_message(
            to=[representative.email],
            subject=subject,
            text=text,
            html=html,
            language=language,
            unsubscribe=unsubscribe,
            reply_to=chapter_reply_to(membership.chapter, actor),
            country=membership.chapter.iso2,
        )

    def release() -> None:
        for pk in link_ids.values():
            ConfirmationLink.objects.filter(pk=pk).update(digest=token_pending())
        OptOutLink.objects.filter(pk=opt_out_id).update(digest=token_pending())

    return email_send_issued(issue=issue, render=render, release=release)


def membership_link(
    *, membership_id: int, purpose: str, raw_token: str, language: str
) -> str:
    name = (
        "members:membership_answer"
        if purpose == ConfirmationLink.Purpose.RESPOND
        else "members:membership_withdraw"
    )
    with translation.override(language):
        path = reverse(name, kwargs={"pk": membership_id, "token": raw_token})
    return f"{settings.SITE_URL}{path}"


def opt_out_link(*, raw_token: str, language: str) -> str:
    with translation.override(language):
        path = reverse("members:opt_out", kwargs={"token": raw_token})
    return f"{settings.SITE_URL}{path}"


def chapter_reply_to(chapter: Chapter, actor=None) -> list[str] | None:
    for address in (getattr(actor, "email", ""), chapter.contact_email):
        if address:
            return [address]
    return None


def _representative_context(membership, representative, language) -> dict:
    with translation.override(language):
        country_path = membership.chapter.get_absolute_url()
    return {
        "representative": representative,
        "chapter": membership.chapter,
        "chapter_name": field_in_language(membership.chapter, "name", language)[0],
        "organisation_name": field_in_language(
            membership.organisation, "name", language
        )[0],
        "country_url": settings.SITE_URL + country_path,
    }
