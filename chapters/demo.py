"""Demo data of the chapters app: accounts, the Jordanian chapter (Arabic and
English), the Moroccan one (Arabic and French) and a few chapters of the
directory. Idempotent: running it again updates the same rows."""

from datetime import date

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import translation

from .exports import export_downloaded, export_job_request, export_job_run
from .models import AuditEntry, Chapter, ExportJob
from .services import (
    chapter_open,
    chapter_update,
    organiser_grant,
    organiser_invitation_accept,
    organiser_invite,
    organiser_preference_save,
    organiser_revoke,
)

DEMO_PASSWORD = "demo-portal-2026"  # noqa: S105 # nosec B105 # printed for the local demo only
STAFF_EMAIL = "staff@demo.example"
ORGANISER_EMAIL = "organiser@demo.example"
REPRESENTATIVE_EMAIL = "representative@demo.example"
# The chapter's other organisers: one who accepted an invitation, one
# invited who has not answered yet, one whose role ended.
CO_ORGANISER_EMAIL = "co-organiser@demo.example"
INVITED_ORGANISER_EMAIL = "invited-organiser@demo.example"
FORMER_ORGANISER_EMAIL = "former-organiser@demo.example"
# The Moroccan chapter's organiser (« responsable » in French, as the
# portal's French calls organisers), who works in French.
MOROCCAN_ORGANISER_EMAIL = "responsable.maroc@demo.example"


def demo_user(email: str, *, staff: bool = False):
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        email=email, defaults={"username": email.split("@")[0]}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
    user.is_staff = staff
    user.is_superuser = staff
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={"verified": True, "primary": True}
    )
    return user


def seed_chapter():
    staff = demo_user(STAFF_EMAIL, staff=True)
    organiser = demo_user(ORGANISER_EMAIL)
    content = {
        "name_ar": "الفرع الوطني الأردني لحراك التنمية التي تقودها المجتمعات المحلية",
        "name_en": "Jordan national chapter of the Movement for Community-Led Development",
        "introduction_ar": (
            "مجموعة من منظمات المجتمع المدني والشبكات والأكاديميين ودوائر الفكر "
            "تعمل معاً لبناء فهم مشترك للتنمية التي تقودها المجتمعات المحلية "
            "في الأردن. (بيانات تجريبية)"
        ),
        "introduction_en": (
            "Civil-society organisations, networks, academics and think tanks "
            "working together to build a shared understanding of community-led "
            "development in Jordan. (Demo data)"
        ),
        "why_cld_ar": (
            "تملك المجتمعات المحلية المعرفة والطاقة لتحديد أهدافها الإنمائية "
            "وتحقيقها، وتوطين أهداف التنمية المستدامة يبدأ منها."
        ),
        "why_cld_en": (
            "Communities hold the knowledge and energy to set and reach their own "
            "development goals, and localising the SDGs starts with them."
        ),
        "host_organisation_ar": "شبكة وادي الزيتون للتنمية (تجريبية)",
        "host_organisation_en": "Olive Valley Development Network (demo)",
        "co_chairs_ar": "سلمى الخطيب وعمر النابلسي (رئاسة مشتركة مؤقتة، أسماء خيالية)",
        "co_chairs_en": "Salma Al-Khatib and Omar Al-Nabulsi (interim, fictional names)",
        "membership_expectations_ar": (
            "تلتزم المنظمات الأعضاء بتبادل الخبرات وأفضل الممارسات، والمشاركة في "
            "المناصرة المشتركة، وحضور اجتماعات الفرع. لا رسوم للعضوية: يعتمد "
            "الحراك على القيادة التطوعية واهتمام أعضائه."
        ),
        "membership_expectations_en": (
            "Member organisations share experience and best practices, take part "
            "in joint advocacy and attend the chapter's meetings. Membership is "
            "free: the movement relies on volunteer leadership and the interest "
            "of its members."
        ),
        "contact_email": "chapter@demo.example",
        "first_meeting_on": date(2026, 3, 18),
        "time_zone": "Asia/Amman",
        # Published in Arabic and English; French is one of the site's
        # languages the Jordanian chapter does not work in.
        "languages": ["ar", "en"],
    }
    # Staff opened the chapter in the portal (state "interest"); its first
    # meeting was planned (exploring), and the organisers moved it on to
    # forming through the chapter's page, which the trail records once.
    if not Chapter.objects.filter(country="JO").exists():
        chapter_open(
            actor=staff,
            values={
                key: content[key]
                for key in ("languages", "time_zone", "name_ar", "name_en")
            }
            | {"country": "JO"},
            organiser_emails=[],
            language="ar",
        )
        Chapter.objects.filter(country="JO").update(status=Chapter.Status.EXPLORING)
    chapter, _ = Chapter.objects.update_or_create(country="JO", defaults=content)
    organiser_grant(actor=staff, chapter=chapter, user=organiser)
    chapter = chapter_update(
        actor=organiser, chapter=chapter, data={"status": Chapter.Status.FORMING}
    )
    organiser_preference_save(actor=organiser, delivery="immediate", language="ar")
    seed_organisers(chapter, staff=staff, organiser=organiser)
    seed_directory()
    # Exported once the other apps' rows below are committed.
    transaction.on_commit(lambda: seed_exports(chapter, organiser=organiser))
    # The other apps' demo data is written after this function, in the same
    # transaction of seed_demo, and partly without going through the
    # services; seed_demo has the dashboard's trail retell it once it is all
    # committed (meetings.demo.seed_activity, with DemoTrail below).
    return chapter


def seed_exports(chapter: Chapter, *, organiser) -> None:
    """Through the exports page's services, so the audit trail tells it: the
    invitations prepared in the background in Arabic (written, and
    downloaded), the members asked for in English and left waiting as when
    the worker is busy, and the outreach list downloaded at once. Once: a
    chapter with prepared exports has them already."""
    if chapter.export_jobs.exists():
        return
    with translation.override("ar"):
        done = export_job_request(
            actor=organiser,
            chapter=chapter,
            dataset="invitations",
            file_format=ExportJob.Format.XLSX,
        )
    export_job_run(job_id=done.pk)
    export_downloaded(
        actor=organiser,
        chapter=chapter,
        dataset=done.dataset,
        file_format=done.file_format,
        job=done,
    )
    with translation.override("en"):
        export_job_request(
            actor=organiser,
            chapter=chapter,
            dataset="members",
            file_format=ExportJob.Format.CSV,
        )
    export_downloaded(
        actor=organiser, chapter=chapter, dataset="outreach", file_format="csv"
    )


def seed_organisers(chapter: Chapter, *, staff, organiser) -> None:
    """The chapter's team, through the organisers' own pages: a co-organiser
    invited and accepted, one invitation still waiting, and a role granted
    and later revoked. Told once: a chapter with organiser invitations has
    its team already (inviting again would cancel the waiting link)."""
    if chapter.organiser_invitations.exists():
        return
    invitation = organiser_invite(
        actor=organiser, chapter=chapter, email=CO_ORGANISER_EMAIL, language="en"
    )
    organiser_invitation_accept(
        invitation=invitation, user=demo_user(CO_ORGANISER_EMAIL)
    )
    organiser_invite(
        actor=organiser, chapter=chapter, email=INVITED_ORGANISER_EMAIL, language="ar"
    )
    former = organiser_grant(
        actor=staff, chapter=chapter, user=demo_user(FORMER_ORGANISER_EMAIL)
    )
    organiser_revoke(actor=staff, role=former)


class DemoTrail:
    """The demo's history retold in a chapter's audit trail (membership
    answers, invitation answers and bounces, check-ins, interest forms), at
    the times they happened, so the dashboard shows a real trail. The apps'
    demo modules `tell` what they wrote without going through the services
    (members/demo.py, meetings/demo.py; meetings.demo.seed_activity runs
    them); what the demo did through the services is in the trail already
    and is not told twice. Idempotent: the entries it wrote before (marked
    "_demo" in `after`, a key the trail does not show) are replaced."""

    def __init__(self, chapter: Chapter):
        self.chapter = chapter
        AuditEntry.objects.filter(chapter=chapter, after___demo=True).delete()
        recorded = AuditEntry.objects.filter(chapter=chapter)
        self.by_services = set(
            recorded.values_list("action", "object_type", "object_id")
        )
        # A membership's entries name the event they record.
        self.events_recorded = set(
            recorded.filter(action__startswith="membership.").values_list(
                "after__event", flat=True
            )
        )
        self.told = []  # (when, entry)

    def tell(self, when, obj, action, *, actor=None, label="", before=None, after=None):
        if (action, obj._meta.label_lower, str(obj.pk)) in self.by_services:
            return
        entry = AuditEntry(
            chapter=self.chapter,
            actor=actor,
            actor_label=label or (actor.email if actor else ""),
            action=action,
            object_type=obj._meta.label_lower,
            object_id=str(obj.pk),
            object_repr=str(obj)[:255],
            before=before or {},
            after={**(after or {}), "_demo": True},
        )
        self.told.append((when, entry))

    def save(self) -> int:
        AuditEntry.objects.bulk_create([entry for _when, entry in self.told])
        for when, entry in self.told:
            # created_at is set on insert; the demo dates it when it happened.
            AuditEntry.objects.filter(pk=entry.pk).update(created_at=when)
        return len(self.told)


# A few more chapters so that the directory shows every kind of status.
OTHER_CHAPTERS = [
    (
        "EG",
        Chapter.Status.EXPLORING,
        "الفرع الوطني المصري (تجريبي)",
        "Egypt national chapter (demo)",
        "اجتماع استكشافي أول مخطط له مع منظمات المجتمع المدني في القاهرة والصعيد.",
        "A first exploratory meeting is planned with civil-society organisations "
        "in Cairo and Upper Egypt.",
    ),
    (
        "UG",
        Chapter.Status.LAUNCHED,
        "فرع أوغندا الوطني (تجريبي)",
        "Uganda national chapter (demo)",
        "فرع أُطلق يجمع شبكات ومنظمات مجتمعية من مختلف المناطق.",
        "A launched chapter bringing together networks and community-based "
        "organisations from every region.",
    ),
]


def seed_directory():
    for code, status, name_ar, name_en, intro_ar, intro_en in OTHER_CHAPTERS:
        Chapter.objects.update_or_create(
            country=code,
            defaults={
                "languages": ["ar", "en"],
                "name_ar": name_ar,
                "name_en": name_en,
                "introduction_ar": intro_ar,
                "introduction_en": intro_en,
                "status": status,
                "launched_on": date(2025, 11, 20)
                if status == Chapter.Status.LAUNCHED
                else None,
            },
        )


# The Moroccan chapter works in Arabic (its default) and French: every text
# it publishes is written in both, none in English (U+202F before « ; », as
# French typography wants).
MOROCCAN_CONTENT = {
    "name_ar": "الفرع الوطني المغربي لحراك التنمية التي تقودها المجتمعات المحلية",
    "name_fr": "Chapitre national marocain du Mouvement pour le développement "
    "conduit par les communautés",
    "introduction_ar": (
        "جمعيات وشبكات وأكاديميون ودوائر فكر من مختلف جهات المغرب يستكشفون معاً "
        "تأسيس فرع وطني للحراك، ويستعدون لاجتماعهم الاستكشافي الأول في الرباط. "
        "(بيانات تجريبية)"
    ),
    "introduction_fr": (
        "Des associations, des réseaux, des universitaires et des groupes de "
        "réflexion de toutes les régions du Maroc explorent ensemble la création "
        "d’un chapitre national du mouvement et préparent leur première réunion "
        "exploratoire, à Rabat. (Données de démonstration)"
    ),
    "why_cld_ar": (
        "من سوس إلى الأطلس، تحمل الجمعيات المحلية مشاريع الماء والتعليم "
        "وتمكين النساء؛ ويمنحها الحراك فضاءً لتبادل تجاربها والمناصرة من أجل "
        "تنمية تقودها المجتمعات المحلية نفسها."
    ),
    "why_cld_fr": (
        "Du Souss à l’Atlas, les associations locales portent des projets d’eau, "
        "d’éducation et d’autonomisation des femmes\u202f; le mouvement leur offre "
        "un espace pour partager leurs expériences et mener un plaidoyer pour un "
        "développement conduit par les communautés elles-mêmes."
    ),
    "host_organisation_ar": "مؤسسة الأطلس للمبادرة المواطنة (تجريبية)",
    "host_organisation_fr": "Fondation Atlas pour l’initiative citoyenne (démo)",
    "co_chairs_ar": "تُختار في الاجتماع الاستكشافي الأول",
    "co_chairs_fr": "À désigner lors de la première réunion exploratoire",
    "membership_expectations_ar": (
        "تتبادل المنظمات الأعضاء الخبرات وأفضل الممارسات، وتشارك في المناصرة "
        "المشتركة وفي اجتماعات الفرع. العضوية مجانية، وتُقترح تفاصيلها في "
        "الاجتماع الاستكشافي."
    ),
    "membership_expectations_fr": (
        "Les organisations membres partagent leur expérience et leurs bonnes "
        "pratiques, participent au plaidoyer commun et aux réunions du chapitre. "
        "L’adhésion est gratuite\u202f; ses modalités seront proposées lors de la "
        "réunion exploratoire."
    ),
    "contact_email": "chapitre.maroc@demo.example",
    "time_zone": "Africa/Casablanca",
    # Arabic first: the chapter's default language.
    "languages": ["ar", "fr"],
    "status": Chapter.Status.EXPLORING,
}


def seed_moroccan_chapter() -> Chapter:
    """The Moroccan chapter, as it came to be through the portal: staff
    opened it in Arabic and French and invited its organiser (in French),
    who accepted, chose French for the portal's e-mails, wrote the chapter's
    texts in both languages on its page and moved it to "exploring" while
    planning the first meeting. Each step is a service that changes nothing
    when it is done already, so seeding again records nothing."""
    staff = demo_user(STAFF_EMAIL, staff=True)
    organiser = demo_user(MOROCCAN_ORGANISER_EMAIL)
    chapter = Chapter.objects.filter(country="MA").first()
    if chapter is None:
        chapter = chapter_open(
            actor=staff,
            values={
                "country": "MA",
                "languages": MOROCCAN_CONTENT["languages"],
                "time_zone": MOROCCAN_CONTENT["time_zone"],
                "name_ar": MOROCCAN_CONTENT["name_ar"],
                "name_fr": MOROCCAN_CONTENT["name_fr"],
            },
            organiser_emails=[MOROCCAN_ORGANISER_EMAIL],
            language="fr",
        )
    if not chapter.organisers.filter(user=organiser, revoked_at__isnull=True).exists():
        # A chapter that an earlier demo listed in the directory only has
        # no invitation yet: staff invite the organiser now.
        invitation = chapter.organiser_invitations.pending().filter(
            email=MOROCCAN_ORGANISER_EMAIL
        ).first() or organiser_invite(
            actor=staff, chapter=chapter, email=MOROCCAN_ORGANISER_EMAIL, language="fr"
        )
        organiser_invitation_accept(invitation=invitation, user=organiser)
    organiser_preference_save(actor=organiser, delivery="immediate", language="fr")
    return chapter_update(actor=organiser, chapter=chapter, data=MOROCCAN_CONTENT)
