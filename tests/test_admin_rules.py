"""The Django admin cannot go around the portal's rules: what a service
writes (with an audit entry, a state machine, an e-mail owed) is only shown
there, opt-outs and the audit trail are never deleted or changed, and no
secret is ever rendered. Staff here are superusers: even they cannot."""

import pytest
from django.contrib import admin
from django.urls import reverse

from chapters import languages
from chapters.audit import audit_log
from chapters.models import AuditEntry, Chapter
from chapters.tokens import token_new
from meetings.models import Attendance, InvitationLink
from members.models import (
    ConfirmationLink,
    ConsentStatement,
    DoNotContact,
    Membership,
    MembershipEvent,
)
from tests.factories import (
    ChapterFactory,
    InvitationFactory,
    MembershipFactory,
    RepresentativeFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

# Per registered model of the portal's apps: may staff (add, change, delete)
# it in the admin. Everything else is changed on the portal's own pages.
RIGHTS = {
    "chapters.Chapter": (True, False, False),
    "chapters.AuditEntry": (False, False, False),
    "chapters.ExportJob": (False, False, False),
    "members.Organisation": (False, False, False),
    "members.Membership": (False, False, False),
    "members.Prospect": (False, False, False),
    "members.DoNotContact": (True, False, False),
    "members.ConsentStatement": (True, False, False),
    "members.MembershipEvent": (False, False, False),
    "members.InitialTask": (False, False, False),
    "members.GovernanceRole": (False, False, False),
    "meetings.DefaultAgendaItem": (True, True, True),
    "meetings.Meeting": (False, False, False),
    "meetings.Material": (False, False, False),
    "meetings.Invitation": (False, False, False),
    "meetings.Attendance": (False, False, False),
}


@pytest.fixture
def staff_client(client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    client.staff = staff
    return client


def _url(model, view, *args):
    return reverse(
        f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args
    )


def test_every_portal_admin_has_the_rights_decided_for_it(rf):
    request = rf.get("/")
    request.user = UserFactory(is_staff=True, is_superuser=True)
    found = {}
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in {"chapters", "members", "meetings"}:
            continue
        found[model._meta.label] = (
            model_admin.has_add_permission(request),
            model_admin.has_change_permission(request),
            model_admin.has_delete_permission(request),
        )
        for inline in model_admin.get_inline_instances(request, None):
            assert not inline.has_change_permission(request), inline
            assert not inline.has_delete_permission(request), inline
    assert found == RIGHTS


# Opt-outs ------------------------------------------------------------------


def test_staff_cannot_delete_an_opt_out(staff_client):
    entry = DoNotContact.objects.create(email="amal@example.org", reason="asked")

    assert staff_client.get(_url(DoNotContact, "delete", entry.pk)).status_code == 403
    assert staff_client.post(_url(DoNotContact, "delete", entry.pk)).status_code == 403

    changelist = staff_client.get(_url(DoNotContact, "changelist"))
    assert changelist.status_code == 200
    assert b"delete_selected" not in changelist.content
    staff_client.post(
        _url(DoNotContact, "changelist"),
        {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"},
    )
    assert DoNotContact.objects.filter(pk=entry.pk).exists()


def test_staff_cannot_change_an_opt_out(staff_client):
    entry = DoNotContact.objects.create(email="amal@example.org", reason="asked")
    response = staff_client.post(
        _url(DoNotContact, "change", entry.pk),
        {"email": "someone@example.org", "reason": "changed"},
    )
    assert response.status_code == 403
    entry.refresh_from_db()
    assert (entry.email, entry.reason) == ("amal@example.org", "asked")


def test_an_opt_out_staff_add_goes_through_the_service(staff_client):
    response = staff_client.post(
        _url(DoNotContact, "add"), {"email": "Amal@Example.ORG", "reason": "phoned"}
    )
    assert response.status_code == 302
    entry = DoNotContact.objects.get()
    assert entry.email == "amal@example.org"
    assert entry.source == DoNotContact.Source.STAFF
    assert entry.created_by == staff_client.staff
    assert AuditEntry.objects.filter(
        action="do_not_contact.add", object_id=str(entry.pk)
    ).exists()


# The audit trail -----------------------------------------------------------


def test_staff_cannot_add_change_or_delete_an_audit_entry(staff_client):
    chapter = ChapterFactory()
    entry = audit_log(actor=None, action="chapter.update", obj=chapter, chapter=chapter)

    page = staff_client.get(_url(AuditEntry, "change", entry.pk))
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    response = staff_client.post(
        _url(AuditEntry, "change", entry.pk),
        {"action": "nothing.happened", "object_repr": "forged"},
    )
    assert response.status_code == 403
    entry.refresh_from_db()
    assert entry.action == "chapter.update"

    assert staff_client.get(_url(AuditEntry, "add")).status_code == 403
    assert staff_client.post(_url(AuditEntry, "delete", entry.pk)).status_code == 403
    changelist = staff_client.get(_url(AuditEntry, "changelist"))
    assert b"delete_selected" not in changelist.content
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


# Memberships and their consent records --------------------------------------


def _confirmed_membership():
    membership = MembershipFactory(state=Membership.State.REQUESTED)
    representative = RepresentativeFactory(
        organisation=membership.organisation, chapter=membership.chapter
    )
    _raw, digest = token_new()
    link = ConfirmationLink.objects.create(
        membership=membership,
        representative=representative,
        email=representative.email,
        purpose=ConfirmationLink.Purpose.RESPOND,
        digest=digest,
    )
    statement = ConsentStatement.objects.create(
        version="2026-1", text_ar="أوافق", text_en="I agree"
    )
    event = MembershipEvent.objects.create(
        membership=membership,
        action=MembershipEvent.Action.CONFIRM,
        from_state=Membership.State.REQUESTED,
        to_state=Membership.State.CONFIRMED,
        via=MembershipEvent.Via.LINK,
        representative=representative,
        representative_name=representative.name,
        representative_email=representative.email,
        link=link,
        ip_hash="f" * 24 + "0123456789abcdef" * 2 + "e" * 8,
        role="Director",
        consent=statement,
        consent_version=statement.version,
        consent_language="en",
        consent_text=statement.text_en,
    )
    Membership.objects.filter(pk=membership.pk).update(state=Membership.State.CONFIRMED)
    membership.refresh_from_db()
    return membership, event, link


def test_staff_cannot_change_a_membership_state(staff_client):
    membership, _event, _link = _confirmed_membership()
    page = staff_client.get(_url(Membership, "change", membership.pk))
    assert page.status_code == 200
    assert b'name="state"' not in page.content

    response = staff_client.post(
        _url(Membership, "change", membership.pk),
        {
            "chapter": membership.chapter_id,
            "organisation": membership.organisation_id,
            "state": Membership.State.WITHDRAWN,
            "withdrawn_at_0": "2026-01-01",
            "withdrawn_at_1": "10:00:00",
            "remind_after_days": 1,
        },
    )
    assert response.status_code == 403
    membership.refresh_from_db()
    assert membership.state == Membership.State.CONFIRMED
    assert membership.withdrawn_at is None
    assert (
        staff_client.post(_url(Membership, "delete", membership.pk)).status_code == 403
    )
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_staff_cannot_change_or_delete_a_consent_record(staff_client):
    _membership, event, _link = _confirmed_membership()
    response = staff_client.post(
        _url(MembershipEvent, "change", event.pk),
        {"consent_text": "I agree to anything", "role": "Nobody", "applied": ""},
    )
    assert response.status_code == 403
    event.refresh_from_db()
    assert (event.consent_text, event.role, event.applied) == (
        "I agree",
        "Director",
        True,
    )
    assert (
        staff_client.post(_url(MembershipEvent, "delete", event.pk)).status_code == 403
    )

    statement = event.consent
    response = staff_client.post(
        _url(ConsentStatement, "change", statement.pk),
        {"version": "2026-1", "text_ar": "غير ذلك", "text_en": "Something else"},
    )
    assert response.status_code == 403
    statement.refresh_from_db()
    assert statement.text_en == "I agree"


def test_staff_publish_a_consent_version_with_its_text_in_every_language(
    staff_client,
):
    page = staff_client.get(_url(ConsentStatement, "add"))
    for column in languages.localized("text"):
        assert f'name="{column}"'.encode() in page.content
    assert b'name="text"' not in page.content
    texts = {column: f"Text {column}" for column in languages.localized("text")}
    one_missing = {**texts, languages.localized("text")[-1]: ""}
    form = {
        "version": "2026-9",
        "published_at_0": "2026-01-01",
        "published_at_1": "10:00",
    }
    response = staff_client.post(_url(ConsentStatement, "add"), {**form, **one_missing})
    assert response.status_code == 200
    assert not ConsentStatement.objects.filter(version="2026-9").exists()
    response = staff_client.post(_url(ConsentStatement, "add"), {**form, **texts})
    assert response.status_code == 302
    statement = ConsentStatement.objects.get(version="2026-9")
    for column, text in texts.items():
        assert getattr(statement, column) == text


# Secrets -------------------------------------------------------------------


def test_no_digest_or_keyed_hash_is_on_any_change_page(staff_client):
    membership, event, link = _confirmed_membership()
    invitation = InvitationFactory()
    _raw, invitation_digest = token_new()
    InvitationLink.objects.create(invitation=invitation, digest=invitation_digest)
    Attendance.objects.create(
        meeting=invitation.meeting,
        invitation=invitation,
        name=invitation.name,
        organisation_name=invitation.organisation_name,
    )
    secrets = [link.digest, event.ip_hash, invitation_digest]

    for model, obj in [
        (MembershipEvent, event),
        (Membership, membership),
        (type(invitation), invitation),
        (Attendance, invitation.attendance),
        (Chapter, membership.chapter),
        (type(membership.organisation), membership.organisation),
    ]:
        response = staff_client.get(_url(model, "change", obj.pk))
        assert response.status_code == 200, model
        html = response.content.decode()
        for secret in secrets:
            assert secret not in html, model
        assert "ip_hash" not in html and "digest" not in html, model


def test_translated_fields_are_side_by_side_without_scripts_from_elsewhere(
    staff_client,
):
    html = staff_client.get(_url(Chapter, "add")).content.decode()
    assert 'name="name_ar"' in html and 'name="name_en"' in html
    assert "jquery-ui" not in html and "tabbed_translation_fields" not in html
    sources = [part.split('"')[0] for part in html.split('<script src="')[1:]]
    assert sources
    # Every script from the portal's own origin, as the CSP requires.
    assert all(src.startswith("/") and not src.startswith("//") for src in sources)


def test_staff_add_a_chapter_with_only_what_a_new_chapter_needs(staff_client):
    response = staff_client.post(
        _url(Chapter, "add"),
        {
            "country": "JO",
            "name_ar": "الأردن",
            "name_en": "Jordan",
            "time_zone": "Asia/Amman",
            "contact_email": "",
            "status": Chapter.Status.LAUNCHED,
        },
    )
    assert response.status_code == 302
    chapter = Chapter.objects.get(country="JO")
    assert chapter.status == Chapter.Status.INTEREST
    response = staff_client.post(
        _url(Chapter, "change", chapter.pk),
        {"country": "JO", "name_ar": "غيره", "name_en": "Other", "status": "dormant"},
    )
    assert response.status_code == 403
    chapter.refresh_from_db()
    assert (chapter.name_en, chapter.status) == ("Jordan", Chapter.Status.INTEREST)
    assert staff_client.post(_url(Chapter, "delete", chapter.pk)).status_code == 403
