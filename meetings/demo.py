"""Demo data of the meetings app: an upcoming exploratory meeting with the
source document's agenda, materials in both languages and invitations in
every status, a first call already held, and an exploratory session held
with its notes, ideas in every category, decisions and published minutes.
Then what organisers did through the services after it: a check-in undone,
a late attendee sent the minutes, ideas moderated, merged and separated,
decisions changed, and a planning call prepared, its invitations sent,
reminded and resent, and cancelled.
Then the Jordanian chapter's engagements with government: a parliamentary
visit and a consultation with UNDP turned from the session's ideas, a
meeting with a champion who agreed to be named, all three on the country
page, and a letter kept private; its government contacts include a champion
who never gave consent and one who withdrew it (seed_engagements).
The Moroccan chapter, which works in Arabic and French, prepares its first
exploratory meeting: the default agenda, a material, invitations sent to
its outreach list in each invitee's language, and one French-speaking
invitee's answer (seed_moroccan_meeting).
Idempotent: running it again updates the same rows, and what was done
through the services is done once."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chapters.demo import (
    MOROCCAN_ORGANISER_EMAIL,
    ORGANISER_EMAIL,
    DemoTrail,
    demo_user,
)
from chapters.languages import localized
from members.demo import tell_interest_forms, tell_membership_history
from members.models import Membership, Organisation, Prospect, Representative
from members.services.organisations import organisation_update
from members.services.outreach import prospect_update

from .models import (
    AgendaItem,
    Attendance,
    DefaultAgendaItem,
    Engagement,
    EngagementKind,
    Idea,
    Invitation,
    Material,
    Meeting,
    Minutes,
)
from .selectors import chapter_zone
from .services.agenda import (
    agenda_item_add,
    agenda_item_move,
    agenda_item_remove,
    agenda_item_update,
)
from .services.attendance import (
    attendance_add_walk_in,
    attendance_check_in,
    attendance_remove,
)
from .services.decisions import (
    decision_add,
    decision_remove,
    decision_restore,
    decision_update,
)
from .services.engagements import (
    champion_consent_withdraw,
    contact_create,
    contact_delete,
    contact_update,
    engagement_create,
    engagement_delete,
    engagement_from_idea,
    engagement_publish,
    engagement_update,
)
from .services.ideas import (
    idea_add,
    idea_merge,
    idea_moderate,
    idea_submit,
    idea_unmerge,
    idea_update,
)
from .services.invitations import (
    Recipient,
    invitation_answer,
    invitation_batch_create,
    invitation_remind,
    invitation_requeue_stalled,
    invitation_resend,
    invitation_retry_failed,
    invitation_revoke_links,
    invitation_whatsapp_url,
)
from .services.materials import (
    material_add,
    material_record_opening,
    material_remove,
)
from .services.meetings import (
    meeting_cancel,
    meeting_create,
    meeting_mark_held,
    meeting_update,
)
from .services.minutes import minutes_publish, minutes_summary_save
from .services.notes import note_save

# A valid one-page PDF, small enough to keep here.
DEMO_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 144]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)

Status = Invitation.Status

# One invitation per status of the upcoming meeting (organisation index).
UPCOMING = [
    (0, Status.ACCEPTED, {"attendees": "Director and programme officer"}),
    (1, Status.ACCEPTED, {"needs": "Wheelchair access"}),
    (2, Status.DECLINED, {"note": "We will follow the next meeting."}),
    (3, Status.OPENED, {}),
    (4, Status.SENT, {}),
    (5, Status.SENT, {}),
    (6, Status.FAILED, {"failure_reason": "550 5.1.1 Mailbox does not exist"}),
    (7, Status.BOUNCED, {"failure_reason": "5.4.1 Recipient address rejected"}),
    (8, Status.QUEUED, {"pending_message": "invitation"}),
]


def _at(chapter, days: int, hour: int):
    local = timezone.localtime(timezone.now(), chapter_zone(chapter))
    local = local.replace(hour=hour, minute=0, second=0, microsecond=0)
    return local + timedelta(days=days)


def _meeting(chapter, organiser, *, title_en: str, data: dict) -> Meeting:
    """Created through the service (so it gets the default agenda) when it
    starts in the future, else directly, as it was before it took place (the
    demo also shows past ones), and marked as held through the service."""
    meeting = Meeting.objects.filter(chapter=chapter, title_en=title_en).first()
    if meeting is None and data["starts_at"] > timezone.now():
        meeting = meeting_create(
            actor=organiser, chapter=chapter, data={"title_en": title_en, **data}
        )
    elif meeting is None:
        meeting = Meeting.objects.create(
            chapter=chapter,
            created_by=organiser,
            title_en=title_en,
            **{**data, "status": Meeting.Status.OPEN},
        )
        if data["status"] == Meeting.Status.HELD:
            meeting_mark_held(actor=organiser, meeting=meeting)
    Meeting.objects.filter(pk=meeting.pk).update(**data)
    meeting.refresh_from_db()
    return meeting


def _invite(meeting, organisation, status, extra, organiser) -> Invitation:
    representative = (
        Representative.objects.for_chapter(meeting.chapter_id)
        .filter(organisation=organisation, is_primary=True)
        .first()
    )
    now = timezone.now()
    values = {
        "organisation": organisation,
        "representative": representative,
        "name": representative.name,
        "organisation_name": str(organisation),
        "language": representative.language,
        "status": status,
        "created_by": organiser,
        "sent_at": None if status in (Status.QUEUED, Status.FAILED) else now,
        "answered_at": now if status in Invitation.ANSWERED else None,
        "pending_message": "",
        "failure_reason": "",
        **extra,
    }
    invitation, _ = Invitation.objects.update_or_create(
        meeting=meeting, email=representative.email, defaults=values
    )
    return invitation


def seed_meetings(chapter, organisations) -> None:
    organiser = demo_user(ORGANISER_EMAIL)
    start = _at(chapter, 21, 10)
    upcoming = _meeting(
        chapter,
        organiser,
        title_en="First exploratory meeting of the Jordan chapter (demo)",
        data={
            "title_ar": "الاجتماع الاستكشافي الأول للفرع الأردني (تجريبي)",
            "description_ar": "لقاء أول لممثلي منظمات المجتمع المدني لبناء فهم مشترك "
            "لحراك التنمية التي تقودها المجتمعات المحلية.",
            "description_en": "A first meeting of civil-society representatives to "
            "build a shared understanding of community-led development.",
            "city_ar": "عمّان",
            "city_en": "Amman",
            "venue_address": "Olive Valley Development Network, Rainbow Street, Amman",
            "map_url": "https://www.openstreetmap.org/#map=17/31.9505/35.9239",
            "online_url": "https://meet.demo.example/cld-jordan",
            "starts_at": start,
            "ends_at": start + timedelta(hours=3),
            "status": Meeting.Status.OPEN,
            "is_public": True,
        },
    )
    if not Material.objects.filter(chapter=chapter).exists():
        material_add(
            actor=organiser,
            chapter=chapter,
            title="About the Movement for Community-Led Development",
            languages=["en"],
            url="https://mcld.org/",
        )
        material_add(
            actor=organiser,
            chapter=chapter,
            title="موجز عن حراك التنمية التي تقودها المجتمعات المحلية",
            languages=["ar"],
            upload=SimpleUploadedFile("movement-brief-ar.pdf", DEMO_PDF),
        )
        material_add(
            actor=organiser,
            chapter=chapter,
            meeting=upcoming,
            title="Proposed agenda / الأجندة المقترحة",
            languages=["ar", "en"],
            upload=SimpleUploadedFile("agenda.pdf", DEMO_PDF),
        )
    for index, status, extra in UPCOMING:
        _invite(upcoming, organisations[index], status, extra, organiser)

    held_start = _at(chapter, -30, 17)
    held = _meeting(
        chapter,
        organiser,
        title_en="Introductory call (demo)",
        data={
            "kind": Meeting.Kind.OTHER,
            "title_ar": "اتصال تعارفي (تجريبي)",
            "online_url": "https://meet.demo.example/intro",
            "starts_at": held_start,
            "ends_at": held_start + timedelta(hours=1),
            "status": Meeting.Status.HELD,
            "is_public": True,
            "reminder_days": 0,
        },
    )
    came = _invite(held, organisations[9], Status.ACCEPTED, {}, organiser)
    _invite(held, organisations[10], Status.NO_REPLY, {}, organiser)
    Attendance.objects.update_or_create(
        meeting=held,
        invitation=came,
        defaults={
            "name": came.name,
            "organisation": came.organisation,
            "organisation_name": came.organisation_name,
            "checked_in_by": organiser,
        },
    )
    seed_door(held, organisations, organiser)
    exploratory = seed_held_exploratory(chapter, organisations)
    seed_after_minutes(exploratory, organisations, organiser)
    seed_cancelled_meeting(chapter, organisations, organiser)
    seed_engagements(chapter, exploratory, organiser)


def seed_door(held: Meeting, organisations, organiser) -> None:
    """At the door of the call: an invitee checked in by mistake and undone,
    and a guest who came without an invitation. Told once: the guest's
    check-in says it was."""
    guest = "Walk-in guest (demo)"
    if Attendance.objects.filter(meeting=held, invitation=None, name=guest).exists():
        return
    mistaken = attendance_check_in(
        actor=organiser,
        invitation=Invitation.objects.get(meeting=held, organisation=organisations[10]),
    )
    attendance_remove(actor=organiser, attendance=mistaken)
    attendance_add_walk_in(
        actor=organiser,
        meeting=held,
        name=guest,
        organisation_name=str(organisations[11]),
    )


# The exploratory meeting already held: notes, ideas in every category,
# decisions and published minutes with a public summary.

HELD_NOTES = [
    (
        "رحّب المنسّق بممثلي المنظمات، وقدّمت كل منظمة نفسها وعملها مع المجتمعات المحلية.",
        "The organiser welcomed the representatives; each organisation introduced "
        "itself and its work with communities.",
    ),
    (
        "عُرضت قضية الحِراك: التحول من المشاريع الموجهة من القمة إلى القاعدة "
        "إلى التنمية التي تقودها المجتمعات المحلية.",
        "",
    ),
    (
        "اهتمام واضح بتبادل أفضل الممارسات والمناصرة.\n\n"
        "The Irbid network offered to host the first exchange visit.",
        "Clear interest in sharing best practices and advocacy.",
    ),
    ("", "Brainstorm on pathways: parliamentary visits first, then ministries."),
    (
        "يمكن لبرنامج الأمم المتحدة الإنمائي أن يعقد استشارة حول توطين أهداف "
        "التنمية المستدامة.",
        "UNDP could convene a consultation on localising the SDGs.",
    ),
    (
        "أكد الحضور أن تبقى متطلبات العضوية منخفضة مع التركيز على فرص القيادة.",
        "",
    ),
    ("", ""),
]

# (category, topic, text, organisation index or None, approved, next step)
HELD_IDEAS = [
    (
        "joint_work",
        "best_practices",
        "زيارات ميدانية متبادلة بين المشاريع",
        0,
        True,
        True,
    ),
    (
        "joint_work",
        "advocacy",
        "Joint advocacy brief on community-led budgets",
        1,
        True,
        False,
    ),
    (
        "joint_work",
        "leadership",
        "برنامج إرشاد لقيادات شابة من المجتمعات",
        2,
        True,
        False,
    ),
    ("joint_work", "other", "A shared calendar of members' events", 3, True, False),
    (
        "government",
        "parliamentary_visits",
        "زيارة برلمانية لمشروع المياه في إربد",
        0,
        True,
        True,
    ),
    (
        "government",
        "exchanges",
        "Exchange with the Kenyan chapter on county planning",
        4,
        True,
        False,
    ),
    ("government", "champions", "تحديد أبطال داخل وزارة التخطيط", 1, True, False),
    ("government", "other", "Brief the municipalities' association", None, True, False),
    (
        "sdgs",
        "consultation",
        "استشارة وطنية حول توطين أهداف التنمية المستدامة",
        2,
        True,
        False,
    ),
    ("sdgs", "undp", "Ask UNDP to co-convene the consultation", 3, True, False),
    ("sdgs", "other", "ربط مؤشرات المجتمعات المحلية بالأهداف", None, True, False),
    ("expectations", "question", "هل توجد رسوم للعضوية؟", 4, True, False),
    (
        "expectations",
        "question",
        "How much time do members give each month?",
        0,
        False,
        False,
    ),
]

HELD_DECISIONS = [
    (
        "تأسيس الفرع الوطني بمشاركة المنظمات الحاضرة",
        "Form the national chapter with the organisations present",
        0,
        14,
    ),
    (
        "التحضير لزيارة برلمانية لمشروع المياه في إربد",
        "Prepare a parliamentary visit to the Irbid water project",
        1,
        45,
    ),
    ("", "Draft the chapter's terms of reference", 2, 30),
]


def seed_held_exploratory(chapter, organisations) -> Meeting:
    organiser = demo_user(ORGANISER_EMAIL)
    start = _at(chapter, -12, 10)
    meeting = _meeting(
        chapter,
        organiser,
        title_en="Exploratory session in Irbid (demo)",
        data={
            "title_ar": "الجلسة الاستكشافية في إربد (تجريبي)",
            "city_ar": "إربد",
            "city_en": "Irbid",
            "venue_address": "Irbid Community Centre",
            "starts_at": start,
            "ends_at": start + timedelta(hours=3),
            "status": Meeting.Status.HELD,
            "is_public": True,
            "reminder_days": 0,
        },
    )
    if Minutes.objects.filter(meeting=meeting, published_at__isnull=False).exists():
        return meeting
    if not meeting.agenda_items.exists():
        AgendaItem.objects.bulk_create(
            AgendaItem(
                meeting=meeting,
                order=position,
                title_ar=item.title_ar,
                title_en=item.title_en,
                duration_minutes=item.duration_minutes,
            )
            for position, item in enumerate(DefaultAgendaItem.objects.all(), start=1)
        )
    for item, (text_ar, text_en) in zip(
        meeting.agenda_items.order_by("order"), HELD_NOTES, strict=False
    ):
        for language, text in (("ar", text_ar), ("en", text_en)):
            if text:
                note_save(
                    actor=organiser, item=item, language=language, text=text, version=0
                )
    present = [organisations[i] for i in (0, 1, 9, 10, 11)]
    for index, organisation in enumerate(present):
        # The last one never answered the invitation and came all the same.
        status = Status.NO_REPLY if index == 4 else Status.ACCEPTED
        invitation = _invite(meeting, organisation, status, {}, organiser)
        Invitation.objects.filter(pk=invitation.pk).update(
            name_in_minutes=index % 2 == 0, minutes_sent_at=timezone.now()
        )
        Attendance.objects.update_or_create(
            meeting=meeting,
            invitation=invitation,
            defaults={
                "name": invitation.name,
                "organisation": organisation,
                "organisation_name": invitation.organisation_name,
                "name_in_minutes": index % 2 == 0,
                "checked_in_by": organiser,
            },
        )
    # A walk-in from an organisation the chapter had not met: checking her
    # in put it on the outreach list; its English name was added afterwards.
    # She left her address, so the minutes reached her too.
    walk_in = attendance_add_walk_in(
        actor=organiser,
        meeting=meeting,
        name="ليلى العمري",
        organisation_name="ملتقى شباب إربد (تجريبي)",
        email="layla@irbid-youth.example",
        kind=Organisation.Kind.NETWORK,
    )
    organisation_update(
        actor=organiser,
        chapter=chapter,
        organisation=walk_in.organisation,
        values={"name_en": "Irbid Youth Forum (demo)"},
    )
    for category, topic, text, index, approved, next_step in HELD_IDEAS:
        organisation = present[index] if index is not None else None
        if approved:
            idea = idea_add(
                actor=organiser,
                meeting=meeting,
                category=category,
                topic=topic,
                text=text,
                organisation=organisation,
            )
        else:
            invitation = Invitation.objects.get(
                meeting=meeting, organisation=organisation
            )
            idea = idea_submit(
                invitation=invitation, category=category, topic=topic, text=text
            )
        if topic == "question" and approved:
            idea_update(
                actor=organiser,
                idea=idea,
                category=category,
                topic=topic,
                answer="لا رسوم في المرحلة الأولى؛ تبقى المتطلبات منخفضة.",
            )
        if next_step:
            idea_update(
                actor=organiser,
                idea=idea,
                category=category,
                topic=topic,
                is_next_step=True,
            )
    for text_ar, text_en, index, days in HELD_DECISIONS:
        decision_add(
            actor=organiser,
            meeting=meeting,
            data={
                "text_ar": text_ar,
                "text_en": text_en,
                "owner": present[index],
                "due_date": timezone.localdate() + timedelta(days=days),
            },
        )
    minutes_summary_save(
        actor=organiser,
        meeting=meeting,
        summary_ar="اجتمعت ست منظمات في إربد واتفقت على تأسيس الفرع الوطني "
        "والتحضير لزيارة برلمانية لمشروع ناجح.",
        summary_en="Six organisations met in Irbid and agreed to form the national "
        "chapter and to prepare a parliamentary visit to a successful project.",
        summary_is_public=True,
    )
    # Published without e-mailing the demo's fictional addresses: they are
    # marked as already sent above.
    minutes_publish(actor=organiser, meeting=meeting)
    return meeting


def seed_after_minutes(meeting: Meeting, organisations, organiser) -> None:
    """After the minutes went out: a representative who came late checked in
    and sent the minutes by publishing again; two ideas sent through
    personal links, one approved and merged into the same idea voiced at the
    meeting, one kept unpublished; an idea merged by mistake and separated
    again; a decision's due date moved, a decision entered twice removed
    (restorable from the decisions page for 30 days), and one removed by
    mistake and restored. Told once: the unpublished idea says it was."""
    if meeting.ideas.filter(status=Idea.Status.REJECTED).exists():
        return
    late = _invite(meeting, organisations[2], Status.ACCEPTED, {}, organiser)
    attendance_check_in(actor=organiser, invitation=late, name_in_minutes=False)
    minutes_publish(actor=organiser, meeting=meeting)
    invitations = list(meeting.invitations.order_by("pk"))
    visits = idea_submit(
        invitation=invitations[2],
        category="joint_work",
        topic="best_practices",
        text="تبادل الزيارات بين الجمعيات الريفية لنتعلّم مما نجح عند غيرنا",
    )
    visits = idea_moderate(actor=organiser, idea=visits, approve=True)
    idea_merge(
        actor=organiser,
        idea=visits,
        into=meeting.ideas.get(text="زيارات ميدانية متبادلة بين المشاريع"),
    )
    private = idea_submit(
        invitation=invitations[4],
        category="expectations",
        topic="question",
        text="Can we have the personal phone numbers of everyone who attended?",
    )
    idea_moderate(actor=organiser, idea=private, approve=False)
    municipalities = idea_merge(
        actor=organiser,
        idea=meeting.ideas.get(text="Brief the municipalities' association"),
        into=meeting.ideas.get(text="تحديد أبطال داخل وزارة التخطيط"),
    )
    idea_unmerge(actor=organiser, idea=municipalities)

    visit = meeting.decisions.get(
        text_en="Prepare a parliamentary visit to the Irbid water project"
    )
    decision_update(
        actor=organiser,
        decision=visit,
        data={
            "text_ar": visit.text_ar,
            "text_en": visit.text_en,
            "owner": visit.owner,
            "due_date": visit.due_date + timedelta(days=15),
        },
    )
    terms = meeting.decisions.get(text_en="Draft the chapter's terms of reference")
    twice = decision_add(
        actor=organiser,
        meeting=meeting,
        data={
            "text_ar": terms.text_ar,
            "text_en": terms.text_en,
            "owner": terms.owner,
            "due_date": terms.due_date,
        },
    )
    decision_remove(actor=organiser, decision=twice)
    # Removed by mistake and put back from the decisions page.
    decision_remove(actor=organiser, decision=visit)
    decision_restore(actor=organiser, decision=visit)


PLANNING_TITLE_EN = "Planning call with the Zarqa partners (demo)"


def seed_engagements(chapter, meeting: Meeting, organiser) -> None:
    """The chapter's work with government after the Irbid session, through
    the services. Once: a chapter with engagements already keeps them."""
    if Engagement.objects.filter(chapter=chapter).exists():
        return
    today = timezone.localdate()
    listed = list(
        Organisation.objects.filter(
            memberships__chapter=chapter,
            memberships__state=Membership.State.CONFIRMED,
        ).order_by("pk")[:3]
    )
    champion = contact_create(
        actor=organiser,
        chapter=chapter,
        data={
            "name": "Dr. Rania Haddad (demo)",
            "institution": "Ministry of Planning and International Cooperation",
            "position": "Director of local development",
            "email": "rania.haddad@ministry.demo.example",
            "is_champion": True,
            "record_consent": True,
            "consent_note": "Agreed in writing at the meeting of the chapter",
        },
    )
    unnamed = contact_create(
        actor=organiser,
        chapter=chapter,
        data={
            "name": "Omar Khalil (demo)",
            "institution": "Ministry of Local Administration",
            "position": "Adviser on municipal planning",
            "phone": "+962 6 000 0000",
            "is_champion": True,
        },
    )
    withdrawn = contact_create(
        actor=organiser,
        chapter=chapter,
        data={
            "name": "Samir Nasser (demo)",
            "institution": "House of Representatives, committee on water",
            "position": "Member of parliament",
            "is_champion": True,
            "record_consent": True,
            "consent_note": "Said yes on the phone",
        },
    )
    champion_consent_withdraw(actor=organiser, contact=withdrawn)

    def idea(topic: str) -> Idea:
        return Idea.objects.approved().filter(meeting=meeting, topic=topic).first()

    engagement_from_idea(
        actor=organiser,
        idea=idea("parliamentary_visits"),
        data={
            "kind": EngagementKind.PARLIAMENTARY_VISIT,
            "happened_on": today - timedelta(days=6),
            "title_ar": "زيارة برلمانية لمشروع المياه في إربد",
            "title_en": "Parliamentary visit to the Irbid water project",
            "summary_ar": "زار أعضاء لجنة المياه مشروع المياه المجتمعي في إربد "
            "واستمعوا إلى السكان الذين يديرونه.",
            "summary_en": "Members of the water committee visited the "
            "community-run water project in Irbid and heard the residents who "
            "manage it.",
            "institutions": "House of Representatives",
            "contacts": [withdrawn],
            "organisations": listed[:2],
            "outcome": "The committee asked for a written brief on the project.",
            "next_step": "Send the brief before the committee's next session.",
            "is_public": True,
        },
    )
    engagement_from_idea(
        actor=organiser,
        idea=idea("undp"),
        data={
            "kind": EngagementKind.SDG_CONSULTATION,
            "happened_on": today - timedelta(days=20),
            "title_ar": "استشارة مع برنامج الأمم المتحدة الإنمائي حول توطين "
            "أهداف التنمية المستدامة",
            "title_en": "Consultation with UNDP on localising the SDGs",
            "summary_ar": "شارك الفرع في استشارة وطنية نظمها البرنامج "
            "مع وزارة الإدارة المحلية.",
            "summary_en": "The chapter took part in a national consultation "
            "that UNDP convened with the Ministry of Local Administration.",
            "institutions": "UNDP Jordan",
            "contacts": [unnamed],
            "organisations": listed[1:3],
            "outcome": "Community indicators will be part of the local plans.",
            "next_step": "Share the members' indicators with UNDP.",
            "is_public": True,
        },
    )
    engagement_from_idea(
        actor=organiser,
        idea=idea("champions"),
        data={
            "kind": EngagementKind.CHAMPION_MEETING,
            "happened_on": today - timedelta(days=3),
            "title_ar": "لقاء مع مناصرة في وزارة التخطيط",
            "title_en": "Meeting with a champion at the Ministry of Planning",
            "summary_ar": "ناقشنا كيف تدعم الوزارة التخطيط الذي تقوده "
            "المجتمعات المحلية.",
            "summary_en": "We discussed how the ministry can support "
            "community-led planning.",
            "contacts": [champion],
            "organisations": listed[:1],
            "outcome": "The ministry will invite the chapter to its planning days.",
            "next_step": "Propose two member organisations for the planning days.",
            "is_public": True,
        },
    )
    letter = engagement_create(
        actor=organiser,
        chapter=chapter,
        data={
            "kind": EngagementKind.LETTER,
            "happened_on": today - timedelta(days=1),
            "title_ar": "رسالة إلى وزارة الإدارة المحلية",
            "title_en": "Letter to the Ministry of Local Administration",
            "institutions": "Ministry of Local Administration",
            "contacts": [unnamed],
            "next_step": "Follow up by phone in two weeks.",
            "is_public": False,
        },
    )
    # What organisers did afterwards: the letter shown on the country page
    # by mistake and taken off, its answer recorded, an engagement and a
    # contact entered twice deleted, a contact's position corrected.
    engagement_publish(actor=organiser, engagement=letter)
    engagement_publish(actor=organiser, engagement=letter, is_public=False)
    engagement_update(
        actor=organiser,
        engagement=letter,
        data={
            **{
                column: getattr(letter, column) or ""
                for column in localized("title", "summary")
            },
            "kind": letter.kind,
            "happened_on": letter.happened_on,
            "institutions": letter.institutions,
            "contacts": [unnamed],
            "outcome": "The ministry acknowledged the letter.",
            "next_step": letter.next_step,
        },
    )
    twice = engagement_create(
        actor=organiser,
        chapter=chapter,
        data={
            "kind": EngagementKind.LETTER,
            "happened_on": letter.happened_on,
            "title_en": "Letter to the Ministry of Local Administration",
        },
    )
    engagement_delete(actor=organiser, engagement=twice)
    contact_update(
        actor=organiser,
        contact=unnamed,
        data={
            "name": "Omar Al-Khalil (demo)",
            "institution": unnamed.institution,
            "position": unnamed.position,
            "phone": unnamed.phone,
            "is_champion": True,
        },
    )
    duplicate = contact_create(
        actor=organiser,
        chapter=chapter,
        data={"name": "O. Khalil (demo)", "institution": unnamed.institution},
    )
    contact_delete(actor=organiser, contact=duplicate)


def seed_cancelled_meeting(chapter, organisations, organiser) -> Meeting:
    """A small planning call prepared through the organiser's pages (moved,
    its agenda arranged, a wrong link shared and removed), its invitations
    sent, shared on WhatsApp and stopped, retried, resent, reminded and
    handed to the worker again, and then cancelled. Told once: the meeting
    says it was."""
    meeting = Meeting.objects.filter(chapter=chapter, title_en=PLANNING_TITLE_EN)
    if meeting.exists():
        return meeting.get()
    start = _at(chapter, 10, 15)
    meeting = meeting_create(
        actor=organiser,
        chapter=chapter,
        data={
            "kind": Meeting.Kind.OTHER,
            "title_ar": "اتصال تخطيطي مع شركاء الزرقاء (تجريبي)",
            "title_en": PLANNING_TITLE_EN,
            "online_url": "https://meet.demo.example/planning",
            "starts_at": start,
            "ends_at": start + timedelta(hours=1),
            "is_public": False,
            "target_min": 3,
            "target_max": 6,
        },
    )
    meeting = meeting_update(
        actor=organiser,
        meeting=meeting,
        data={
            "starts_at": start + timedelta(hours=1),
            "ends_at": start + timedelta(hours=2),
            "description_ar": "اتفاق على مواعيد الأشهر المقبلة وتوزيع المهام.",
            "description_en": "Agreeing on the coming months' dates and who does what.",
        },
    )
    welcome = agenda_item_add(
        actor=organiser,
        meeting=meeting,
        data={"title_ar": "الترحيب", "title_en": "Welcome", "duration_minutes": 10},
    )
    dates = agenda_item_add(
        actor=organiser,
        meeting=meeting,
        data={
            "title_ar": "مواعيد الأشهر المقبلة",
            "title_en": "Dates for the coming months",
            "duration_minutes": 20,
        },
    )
    roles = agenda_item_add(
        actor=organiser,
        meeting=meeting,
        data={
            "title_ar": "توزيع المهام",
            "title_en": "Who does what",
            "duration_minutes": 20,
        },
    )
    agenda_item_update(actor=organiser, item=dates, data={"duration_minutes": 30})
    agenda_item_move(actor=organiser, item=roles, direction="up")
    agenda_item_remove(actor=organiser, item=welcome)
    wrong = material_add(
        actor=organiser,
        chapter=chapter,
        meeting=meeting,
        title="Draft calendar / مسودة التقويم",
        languages=["ar", "en"],
        url="https://docs.demo.example/calendar-draft",
    )
    material_remove(actor=organiser, material=wrong)

    recipients = []
    # The fifth address asked not to be contacted: the batch leaves it out.
    for index in (3, 4, 7, 8, 11):
        representative = (
            Representative.objects.for_chapter(chapter)
            .filter(organisation=organisations[index], is_primary=True)
            .get()
        )
        recipients.append(
            Recipient(
                name=representative.name,
                email=representative.email,
                language=representative.language,
                organisation=organisations[index],
                representative=representative,
            )
        )
    batch = invitation_batch_create(
        actor=organiser, meeting=meeting, recipients=recipients
    ).batch
    shared, failed, resent, reminded = batch.invitations.order_by("pk")
    # What the worker did with the batch: delivered, but for one address
    # whose mail server refused it.
    batch.invitations.update(
        status=Status.SENT, sent_at=timezone.now(), pending_message=""
    )
    Invitation.objects.filter(pk=failed.pk).update(
        status=Status.FAILED, sent_at=None, failure_reason="552 5.2.2 Mailbox full"
    )
    invitation_whatsapp_url(actor=organiser, invitation=shared)
    # Shared in the wrong group: the organiser stopped the link.
    invitation_revoke_links(actor=organiser, invitation=shared)
    invitation_retry_failed(actor=organiser, meeting=meeting)
    invitation_resend(actor=organiser, invitation=resent)
    invitation_remind(actor=organiser, invitation=reminded)
    invitation_requeue_stalled(actor=organiser, meeting=meeting)
    return meeting_cancel(actor=organiser, meeting=meeting)


# The Moroccan chapter's first exploratory meeting --------------------------------

MOROCCAN_TITLE_FR = "Première réunion exploratoire du chapitre Maroc (démo)"

# What the organiser wrote on the outreach list once the invitations were
# sent (in French, the language they work in), by organisation (the order
# of members.demo.MOROCCAN_ORGANISATIONS): its stage and note.
MOROCCAN_STAGES = [
    (Prospect.Stage.INVITED, "Invitation envoyée en arabe pour la réunion de Rabat."),
    (Prospect.Stage.INVITED, "Invitation envoyée en arabe pour la réunion de Rabat."),
    (
        Prospect.Stage.RESPONDED,
        "Présence confirmée\u202f; propose d’accueillir la réunion suivante "
        "à Casablanca.",
    ),
    (
        Prospect.Stage.INVITED,
        "Invitation envoyée\u202f; relancer en l’absence de réponse.",
    ),
    (Prospect.Stage.INVITED, "Invitation envoyée pour la réunion de Rabat."),
    (
        Prospect.Stage.IDENTIFIED,
        "Rencontrée au salon de l’économie sociale d’Agadir\u202f; à appeler "
        "avant de l’inviter.",
    ),
]


def seed_moroccan_meeting(chapter, organisations) -> Meeting:
    """The Moroccan organiser plans the chapter's first exploratory meeting
    on the meeting page (the default agenda, in Arabic and French, the
    chapter's working languages), attaches the proposed agenda and invites
    five of the six organisations on the outreach list: each invitation goes
    out in its invitee's language, Arabic or French, by the worker once the
    seed commits (so the outbox holds them, with working personal links).
    The organiser also shared the Casablanca foundation's invitation on
    WhatsApp, and its representative answered from that link before the
    e-mail came: yes, two people will attend. Told once: the meeting says
    it was."""
    meeting = Meeting.objects.filter(chapter=chapter, title_fr=MOROCCAN_TITLE_FR)
    if meeting.exists():
        return meeting.get()
    organiser = demo_user(MOROCCAN_ORGANISER_EMAIL)
    start = _at(chapter, 24, 10)
    # On a working day: the Moroccan weekend is Saturday and Sunday.
    while start.weekday() >= 5:
        start += timedelta(days=1)
    meeting = meeting_create(
        actor=organiser,
        chapter=chapter,
        data={
            "kind": Meeting.Kind.EXPLORATORY,
            "title_ar": "الاجتماع الاستكشافي الأول للفرع المغربي (تجريبي)",
            "title_fr": MOROCCAN_TITLE_FR,
            "description_ar": "لقاء أول لممثلي الجمعيات والشبكات والجامعات ودوائر "
            "الفكر المغربية لبناء فهم مشترك للتنمية التي تقودها المجتمعات "
            "المحلية والنظر في تأسيس الفرع الوطني.",
            "description_fr": "Une première rencontre des personnes représentant "
            "des associations, réseaux, universités et groupes de réflexion du "
            "Maroc, pour construire une compréhension commune du développement "
            "conduit par les communautés et envisager la création du chapitre "
            "national.",
            "city_ar": "الرباط",
            "city_fr": "Rabat",
            "venue_address": "Maison de la société civile, 12 avenue Annakhil, "
            "Hay Riad, Rabat",
            "map_url": "https://www.openstreetmap.org/#map=17/33.9590/-6.8680",
            "online_url": "https://meet.demo.example/cld-maroc",
            "starts_at": start,
            "ends_at": start + timedelta(hours=3),
            "working_languages": ["ar", "fr"],
            "is_public": True,
            "target_min": 10,
            "target_max": 20,
        },
    )
    agenda = material_add(
        actor=organiser,
        chapter=chapter,
        meeting=meeting,
        title="Ordre du jour proposé / جدول الأعمال المقترح",
        languages=["ar", "fr"],
        upload=SimpleUploadedFile("ordre-du-jour.pdf", DEMO_PDF),
    )
    contacts = Representative.objects.for_chapter(chapter).filter(is_primary=True)
    recipients = []
    for organisation in organisations[:5]:
        contact = contacts.get(organisation=organisation)
        recipients.append(
            Recipient(
                name=contact.name,
                email=contact.email,
                language=contact.language,
                organisation=organisation,
                representative=contact,
            )
        )
    batch = invitation_batch_create(
        actor=organiser, meeting=meeting, recipients=recipients
    ).batch
    answered = batch.invitations.get(organisation=organisations[2])
    invitation_whatsapp_url(actor=organiser, invitation=answered)
    material_record_opening(invitation=answered, material=agenda)
    invitation_answer(
        invitation=answered,
        accept=True,
        attendees="Nadia El Amrani, Karim Alaoui",
        note="Nous pouvons accueillir la réunion suivante à Casablanca.",
        name_in_minutes=True,
    )
    for organisation, (stage, notes) in zip(
        organisations, MOROCCAN_STAGES, strict=True
    ):
        prospect_update(
            actor=organiser,
            prospect=Prospect.objects.get(chapter=chapter, organisation=organisation),
            stage=stage,
            owner=organiser,
            notes=notes,
        )
    return meeting


# The demo's history in the audit trail (chapters.demo.DemoTrail) ---------------


def seed_activity(chapter) -> int:
    """Retell the whole demo's history in the chapter's audit trail, once
    every app's demo data is committed (seed_demo runs it on commit), and
    open a material before the next meeting, so the dashboard shows a real
    funnel and trail. Returns the number of entries told."""
    trail = DemoTrail(chapter)
    tell_membership_history(trail)
    tell_invitation_answers(trail)
    tell_attendance(trail)
    tell_interest_forms(trail)
    told = trail.save()
    open_materials(chapter)
    return told


def tell_invitation_answers(trail: DemoTrail) -> None:
    """Invitees' answers and the bounced invitations."""
    invitations = Invitation.objects.filter(meeting__chapter=trail.chapter)
    for invitation in invitations.filter(answered_at__isnull=False):
        trail.tell(
            invitation.answered_at,
            invitation,
            "invitation.answer",
            label=f"personal link of {invitation.email}",
            before={"status": "sent"},
            after={"status": invitation.status},
        )
    for invitation in invitations.filter(status="bounced"):
        trail.tell(
            invitation.sent_at or invitation.created_at,
            invitation,
            "invitation.bounced",
            label="mail provider",
            after={"reason": invitation.failure_reason[:200]},
        )


def tell_attendance(trail: DemoTrail) -> None:
    """Check-ins and walk-ins."""
    attendances = Attendance.objects.filter(
        meeting__chapter=trail.chapter
    ).select_related("checked_in_by")
    for attendance in attendances:
        trail.tell(
            attendance.checked_in_at,
            attendance,
            "attendance.check_in" if attendance.invitation_id else "attendance.walk_in",
            actor=attendance.checked_in_by,
            label="demo",
            after={"organisation": attendance.organisation_name},
        )


def open_materials(chapter) -> None:
    """Invitees of the next meeting who followed their link opened its
    material, as they would have before the meeting."""
    from .services.materials import material_record_opening

    meeting = (
        Meeting.objects.filter(chapter=chapter, status="open")
        .order_by("starts_at")
        .first()
    )
    if meeting is None:
        return
    material = meeting.materials.order_by("pk").first()
    if material is None:
        return
    for invitation in meeting.invitations.filter(
        status__in=["opened", "accepted", "declined"]
    ).exclude(material_openings__material=material):
        material_record_opening(invitation=invitation, material=material)
