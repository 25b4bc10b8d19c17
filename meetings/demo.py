"""Demo data of the meetings app: an upcoming exploratory meeting with the
source document's agenda, materials in both languages and invitations in
every status, plus a first meeting already held. Idempotent: running it
again updates the same rows."""

from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chapters.demo import ORGANISER_EMAIL, demo_user

from .models import Attendance, Invitation, Material, Meeting
from .selectors import chapter_zone
from .services import material_add, meeting_create

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
    starts in the future, else directly: the demo also shows a past one."""
    meeting = Meeting.objects.filter(chapter=chapter, title_en=title_en).first()
    if meeting is None and data["starts_at"] > timezone.now():
        meeting = meeting_create(
            actor=organiser, chapter=chapter, data={"title_en": title_en, **data}
        )
    elif meeting is None:
        meeting = Meeting.objects.create(
            chapter=chapter, created_by=organiser, title_en=title_en, **data
        )
    Meeting.objects.filter(pk=meeting.pk).update(**data)
    meeting.refresh_from_db()
    return meeting


def _invite(meeting, organisation, status, extra, organiser) -> Invitation:
    representative = organisation.representatives.filter(is_primary=True).first()
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
            language=Material.MaterialLanguage.ENGLISH,
            url="https://mcld.org/",
        )
        material_add(
            actor=organiser,
            chapter=chapter,
            title="موجز عن حراك التنمية التي تقودها المجتمعات المحلية",
            language=Material.MaterialLanguage.ARABIC,
            upload=SimpleUploadedFile("movement-brief-ar.pdf", DEMO_PDF),
        )
        material_add(
            actor=organiser,
            chapter=chapter,
            meeting=upcoming,
            title="Proposed agenda / الأجندة المقترحة",
            language=Material.MaterialLanguage.BOTH,
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
    Attendance.objects.update_or_create(
        meeting=held,
        invitation=None,
        name="Walk-in guest (demo)",
        defaults={"organisation_name": str(organisations[11])},
    )
