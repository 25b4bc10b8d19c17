"""One small portal with an object behind every URL the project defines, made
through the services (so personal links carry real tokens), and the six
people the permission matrix asks about."""

import re
from dataclasses import dataclass, field
from datetime import timedelta

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.utils import timezone

from chapters import services as chapter_services
from chapters.exports import export_job_request, export_job_run
from meetings.models import CATEGORY_TOPICS, InvitationBatch
from meetings.services.decisions import decision_add
from meetings.services.engagements import contact_create, engagement_create
from meetings.services.ideas import idea_add
from meetings.services.invitations import invitation_link_new
from meetings.services.materials import material_add
from members.services import do_not_contact, imports
from members.services.governance import governance_role_assign
from members.services.initial_tasks import task_save
from members.services.membership import membership_request
from tests.factories import (
    ChapterFactory,
    InvitationFactory,
    MeetingFactory,
    MembershipFactory,
    OrganiserFactory,
    ProspectFactory,
    RepresentativeFactory,
    StaffFactory,
    UserFactory,
)

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

ROLES = (
    "anonymous",
    "other_representative",
    "representative",
    "other_organiser",
    "organiser",
    "staff",
)


@dataclass
class World:
    users: dict = field(default_factory=dict)  # role -> user (None: anonymous)
    kwargs: dict = field(default_factory=dict)  # URL name -> reverse() kwargs
    objects: dict = field(default_factory=dict)


def _links_in_outbox(pattern: str) -> list[str]:
    found = []
    for message in mail.outbox:
        found += re.findall(pattern, message.body)
    return found


def build_world() -> World:
    world = World()
    chapter = ChapterFactory(
        country="JO",
        time_zone="Asia/Amman",
        name_ar="فرع الأردن",
        name_en="Jordan chapter",
        introduction_ar="شبكة المنظمات المحلية في الأردن.",
        introduction_en="The network of local organisations in Jordan.",
        status="forming",
    )
    other_chapter = ChapterFactory(country="EG", name_en="Egypt chapter")
    organiser = OrganiserFactory(chapter=chapter, user=UserFactory()).user
    other_organiser = OrganiserFactory(chapter=other_chapter, user=UserFactory()).user
    staff = StaffFactory()

    representative = UserFactory()
    prospect = ProspectFactory(chapter=chapter, organisation__country="JO")
    organisation = prospect.organisation
    rep_record = RepresentativeFactory(
        organisation=organisation, user=representative, email=representative.email
    )
    other_representative = UserFactory()
    other_prospect = ProspectFactory(chapter=chapter, organisation__country="JO")
    RepresentativeFactory(
        organisation=other_prospect.organisation,
        user=other_representative,
        email=other_representative.email,
    )

    world.users = {
        "anonymous": None,
        "other_representative": other_representative,
        "representative": representative,
        "other_organiser": other_organiser,
        "organiser": organiser,
        "staff": staff,
    }

    with TestCase.captureOnCommitCallbacks(execute=True):
        # Membership: the organiser asks; the representative gets personal links.
        membership_request(
            actor=organiser, chapter=chapter, organisations=[organisation]
        )
        # A co-organiser invitation (chapters) and an opt-out link (members).
        chapter_services.organiser_invite(
            actor=organiser, chapter=chapter, email="new@example.org", language="en"
        )
    membership = organisation.memberships.get(chapter=chapter)
    answer_tokens = _links_in_outbox(rf"/membership/{membership.pk}/([\w-]+)/(?!w)")
    withdraw_tokens = _links_in_outbox(
        rf"/membership/{membership.pk}/([\w-]+)/withdraw/"
    )
    organiser_tokens = _links_in_outbox(r"/manage/invitations/([\w-]+)/")
    opt_out_token = do_not_contact.opt_out_url("someone@example.org").rstrip("/")
    opt_out_token = opt_out_token.rsplit("/", 1)[-1]

    task = task_save(
        actor=organiser,
        chapter=chapter,
        values={"title_en": "Draft the charter", "title_ar": "صياغة الميثاق"},
    )
    # A listed member hosting the chapter, for the governance pages.
    host = MembershipFactory(
        chapter=chapter, organisation__country="JO", state="confirmed"
    ).organisation
    governance_role = governance_role_assign(
        actor=organiser, chapter=chapter, kind="host", organisation=host
    )

    meeting = MeetingFactory(
        chapter=chapter,
        created_by=organiser,
        starts_at=timezone.now() + timedelta(days=10),
        ends_at=timezone.now() + timedelta(days=10, hours=3),
        title_en="Exploratory meeting in Amman",
        title_ar="الاجتماع الاستكشافي في عمّان",
    )
    item = meeting.agenda_items.create(order=1, title_en="Welcome", title_ar="ترحيب")
    material = material_add(
        actor=organiser,
        chapter=chapter,
        meeting=meeting,
        title="Concept note",
        languages=["en"],
        upload=SimpleUploadedFile("concept.pdf", PDF_BYTES, "application/pdf"),
    )
    invitation = InvitationFactory(
        meeting=meeting,
        organisation=organisation,
        name=rep_record.name,
        email=rep_record.email,
        language="en",
        status="sent",
    )
    batch = InvitationBatch.objects.create(meeting=meeting, created_by=organiser)
    export_job = export_job_request(
        actor=organiser, chapter=chapter, dataset="invitations", file_format="csv"
    )
    export_job_run(job_id=export_job.pk)
    invitation_token = invitation_link_new(invitation=invitation, channel="email")
    job = imports.import_job_create(
        actor=organiser,
        chapter=chapter,
        filename="organisations.csv",
        content=b"name_en,kind\nNew organisation,national_ngo\n",
    )
    role = chapter.organisers.get(user=organiser)
    category = next(iter(CATEGORY_TOPICS))
    idea = idea_add(
        actor=organiser,
        meeting=meeting,
        category=category,
        topic=CATEGORY_TOPICS[category][0],
        text="Share the training calendar",
    )
    decision = decision_add(
        actor=organiser, meeting=meeting, data={"text_en": "Meet again in May"}
    )
    pathway = idea_add(
        actor=organiser,
        meeting=meeting,
        category="government",
        topic="parliamentary_visits",
        text="Invite the water committee to the project",
    )
    government_contact = contact_create(
        actor=organiser,
        chapter=chapter,
        data={"name": "Rania Haddad", "institution": "Ministry of Planning"},
    )
    engagement = engagement_create(
        actor=organiser,
        chapter=chapter,
        data={
            "kind": "letter",
            "happened_on": timezone.localdate(),
            "title_en": "Letter to the ministry",
            "contacts": [government_contact],
        },
    )

    iso2 = {"iso2": "jo"}
    meeting_kw = {**iso2, "pk": meeting.pk}
    world.objects = {
        "chapter": chapter,
        "other_chapter": other_chapter,
        "organisation": organisation,
        "membership": membership,
        "meeting": meeting,
        "material": material,
        "invitation": invitation,
        "invitation_token": invitation_token,
        "answer_token": answer_tokens[0],
        "withdraw_token": withdraw_tokens[0],
        "organiser_token": organiser_tokens[0],
        "opt_out_token": opt_out_token,
    }
    world.kwargs = {
        "api:country": iso2,
        "chapters:country": iso2,
        "chapters:members_csv": iso2,
        "chapters:country_members": iso2,
        "chapters:interest": iso2,
        "chapters:interest_thanks": iso2,
        "chapters:invitation": {"token": organiser_tokens[0]},
        "chapters:manage": iso2,
        "chapters:edit": iso2,
        "chapters:organisers": iso2,
        "chapters:organiser_grant": iso2,
        "chapters:organiser_revoke": {**iso2, "role": role.pk},
        "chapters:figure": iso2,
        "chapters:audit": iso2,
        "chapters:exports": iso2,
        "chapters:export": {**iso2, "dataset": "members", "file_format": "csv"},
        "chapters:export_job": {**iso2, "pk": export_job.pk},
        "chapters:export_job_status": {**iso2, "pk": export_job.pk},
        "chapters:export_job_download": {**iso2, "pk": export_job.pk},
        "chapters:staff_timeline": iso2,
        "chapters:staff_comparison_export": {"file_format": "csv"},
        "members:outreach": iso2,
        "members:outreach_export": iso2,
        "members:add": iso2,
        "members:prospect": {**iso2, "pk": prospect.pk},
        "members:organisation_edit": {**iso2, "pk": prospect.pk},
        "members:merge": {**iso2, "pk": prospect.pk},
        "members:merge_confirm": {
            **iso2,
            "pk": prospect.pk,
            "other": other_prospect.pk,
        },
        "members:representative_add": {**iso2, "pk": prospect.pk},
        "members:representative_edit": {
            **iso2,
            "pk": prospect.pk,
            "rep": rep_record.pk,
        },
        "members:representative_remove": {
            **iso2,
            "pk": prospect.pk,
            "rep": rep_record.pk,
        },
        "members:representative_opt_out": {
            **iso2,
            "pk": prospect.pk,
            "rep": rep_record.pk,
        },
        "members:import": iso2,
        "members:import_template": {**iso2, "language": "en", "file_format": "csv"},
        "members:import_job": {**iso2, "pk": job.pk},
        "members:import_status": {**iso2, "pk": job.pk},
        "members:import_commit": {**iso2, "pk": job.pk},
        "members:import_cancel": {**iso2, "pk": job.pk},
        "members:opt_out": {"token": opt_out_token},
        "members:memberships": iso2,
        "members:membership_detail": {**iso2, "pk": membership.pk},
        "members:chapter_forming": iso2,
        "members:tasks": iso2,
        "members:task_add": iso2,
        "members:task_edit": {**iso2, "task": task.pk},
        "members:governance": iso2,
        "members:governance_role": {**iso2, "pk": governance_role.pk},
        "members:membership_answer": {"pk": membership.pk, "token": answer_tokens[0]},
        "members:membership_withdraw": {
            "pk": membership.pk,
            "token": withdraw_tokens[0],
        },
        "members:organisation_profile": {"pk": organisation.pk},
        "members:profile_contact": {"pk": organisation.pk},
        "members:profile_withdraw": {
            "pk": organisation.pk,
            "membership": membership.pk,
        },
        "members:profile_volunteer": {"pk": organisation.pk, "task": task.pk},
        "meetings:list": iso2,
        "meetings:create": iso2,
        "meetings:detail": meeting_kw,
        "meetings:remind_unanswered": meeting_kw,
        "meetings:edit": meeting_kw,
        "meetings:status": meeting_kw,
        "meetings:agenda_add": meeting_kw,
        "meetings:agenda_edit": {**meeting_kw, "item": item.pk},
        "meetings:agenda_move": {**meeting_kw, "item": item.pk},
        "meetings:material_add": meeting_kw,
        "meetings:chapter_material_add": iso2,
        "meetings:material": {**iso2, "material": material.pk},
        "meetings:invite": meeting_kw,
        "meetings:batch": {**meeting_kw, "batch": batch.pk},
        "meetings:batch_progress": {**meeting_kw, "batch": batch.pk},
        "meetings:invitations_action": meeting_kw,
        "meetings:invitation_action": {**meeting_kw, "invitation": invitation.pk},
        "meetings:checkin": meeting_kw,
        "meetings:checkin_scan": meeting_kw,
        "meetings:notes": meeting_kw,
        "meetings:note_save": {**meeting_kw, "item": item.pk},
        "meetings:ideas": meeting_kw,
        "meetings:idea_action": {**meeting_kw, "idea": idea.pk},
        "meetings:idea_edit": {**meeting_kw, "idea": idea.pk},
        "meetings:decisions": meeting_kw,
        "meetings:decision": {**meeting_kw, "decision": decision.pk},
        "meetings:decision_remove": {**meeting_kw, "decision": decision.pk},
        "meetings:minutes": meeting_kw,
        "meetings:engagement_from_idea": {**meeting_kw, "idea": pathway.pk},
        "meetings:engagement_from_decision": {**meeting_kw, "decision": decision.pk},
        "meetings:engagements": iso2,
        "meetings:engagement_create": iso2,
        "meetings:engagement": {**iso2, "engagement": engagement.pk},
        "meetings:engagement_edit": {**iso2, "engagement": engagement.pk},
        "meetings:engagement_delete": {**iso2, "engagement": engagement.pk},
        "meetings:government_contacts": iso2,
        "meetings:government_contact_create": iso2,
        "meetings:government_contact": {**iso2, "contact": government_contact.pk},
        "meetings:government_contact_delete": {
            **iso2,
            "contact": government_contact.pk,
        },
        "meetings:invitation_minutes": {"token": invitation_token},
        "meetings:invitation": {"token": invitation_token},
        "meetings:invitation_calendar": {"token": invitation_token},
        "meetings:invitation_material": {
            "token": invitation_token,
            "material": material.pk,
        },
        "outbox_detail": {"name": "20260101T000000000000_abcdefgh.eml"},
        "account_reset_password_from_key": {"uidb36": "1", "key": "set-password"},
    }
    return world
