"""Demo data of the members app: fifteen clearly fictional organisations of
every type, with Arabic and English names, and one representative account;
the demo chapter's outreach list at every stage, memberships in every state
(six of them confirmed, so the country page has members) with the history and
consent records behind them, and initial tasks with volunteers. Idempotent:
running it again updates the same rows."""

import datetime

from chapters.demo import ORGANISER_EMAIL, REPRESENTATIVE_EMAIL, demo_user
from chapters.models import Chapter
from chapters.tokens import token_new

from .consent import consent_statement_current
from .initial_tasks import SUGGESTED_TASKS
from .membership import LINK_DAYS, TRANSITIONS
from .models import (
    ConfirmationLink,
    DoNotContact,
    InitialTask,
    Language,
    Membership,
    MembershipEvent,
    Organisation,
    Prospect,
    Representative,
    Volunteering,
)

Kind = Organisation.Kind

# (English name, Arabic name, kind, city en, city ar, website slug)
DEMO_ORGANISATIONS = [
    (
        "Olive Valley Development Network",
        "شبكة وادي الزيتون للتنمية",
        Kind.NETWORK,
        "Amman",
        "عمّان",
        "olive-valley",
    ),
    (
        "Sunrise Community Association",
        "جمعية شروق المجتمعية",
        Kind.COMMUNITY_BASED,
        "Irbid",
        "إربد",
        "sunrise",
    ),
    (
        "Desert Bloom Women's Cooperative",
        "تعاونية زهرة الصحراء النسائية",
        Kind.COMMUNITY_BASED,
        "Ma'an",
        "معان",
        "desert-bloom",
    ),
    (
        "Hands Together for Development",
        "أيادٍ معاً للتنمية",
        Kind.NATIONAL_NGO,
        "Zarqa",
        "الزرقاء",
        "hands-together",
    ),
    (
        "Civic Bridges Foundation",
        "مؤسسة جسور مدنية",
        Kind.NATIONAL_NGO,
        "Amman",
        "عمّان",
        "civic-bridges",
    ),
    (
        "Green Terraces Rural Council",
        "مجلس المدرجات الخضراء الريفي",
        Kind.COMMUNITY_BASED,
        "Ajloun",
        "عجلون",
        "green-terraces",
    ),
    (
        "Global Neighbours Relief (Jordan office)",
        "جيران العالم للإغاثة (مكتب الأردن)",
        Kind.INTERNATIONAL_NGO,
        "Amman",
        "عمّان",
        "global-neighbours",
    ),
    (
        "Coalition for Local Voices",
        "ائتلاف الأصوات المحلية",
        Kind.NETWORK,
        "Salt",
        "السلط",
        "local-voices",
    ),
    (
        "Institute for Participatory Studies",
        "معهد الدراسات التشاركية",
        Kind.ACADEMIC,
        "Amman",
        "عمّان",
        "participatory-studies",
    ),
    (
        "Northern Plains University, Community Lab",
        "جامعة السهول الشمالية، مختبر المجتمع",
        Kind.ACADEMIC,
        "Mafraq",
        "المفرق",
        "northern-plains",
    ),
    (
        "Crossroads Policy Centre",
        "مركز مفترق الطرق للسياسات",
        Kind.THINK_TANK,
        "Amman",
        "عمّان",
        "crossroads-policy",
    ),
    (
        "Horizon Development Think Tank",
        "دائرة أفق للفكر التنموي",
        Kind.THINK_TANK,
        "Aqaba",
        "العقبة",
        "horizon",
    ),
    (
        "Municipal Partnerships Unit",
        "وحدة الشراكات البلدية",
        Kind.GOVERNMENT,
        "Karak",
        "الكرك",
        "municipal-unit",
    ),
    (
        "Fair Trade Artisans Company",
        "شركة حرفيي التجارة العادلة",
        Kind.PRIVATE,
        "Madaba",
        "مادبا",
        "fair-artisans",
    ),
    (
        "Friends of the Jordan Valley",
        "أصدقاء وادي الأردن",
        Kind.OTHER,
        "Deir Alla",
        "دير علا",
        "jordan-valley-friends",
    ),
]


Stage = Prospect.Stage
State = Membership.State
Source = Prospect.Source
Action = MembershipEvent.Action

# Per organisation, in the order above: (stage on the outreach list, source,
# membership state or None, focus SDGs).
DEMO_OUTREACH = [
    (Stage.MEMBER, Source.ORGANISER, State.CONFIRMED, [1, 5, 17]),
    (Stage.ATTENDED, Source.INTEREST_FORM, State.CONSULTING, [4, 5]),
    (Stage.MEMBER, Source.ORGANISER, State.CONFIRMED, [5, 8]),
    (Stage.MEMBER, Source.IMPORT, State.CONFIRMED, [1, 2, 3]),
    (Stage.ATTENDED, Source.ORGANISER, State.CANDIDATE, [16]),
    (Stage.RESPONDED, Source.IMPORT, State.REQUESTED, [2, 15]),
    (Stage.INVITED, Source.ORGANISER, None, [1, 3, 6]),
    (Stage.MEMBER, Source.ORGANISER, State.CONFIRMED, [10, 16, 17]),
    (Stage.MEMBER, Source.IMPORT, State.CONFIRMED, [4, 17]),
    (Stage.DECLINED, Source.IMPORT, State.DECLINED, [4, 9]),
    (Stage.MEMBER, Source.ORGANISER, State.CONFIRMED, [11, 16]),
    (Stage.RESPONDED, Source.ORGANISER, State.WITHDRAWN, [8, 13]),
    (Stage.IDENTIFIED, Source.ORGANISER, None, [11]),
    (Stage.IDENTIFIED, Source.IMPORT, None, [8, 12]),
    (Stage.INVITED, Source.INTEREST_FORM, None, [6, 15]),
]
DEMO_NOTES = {
    Stage.IDENTIFIED: "رُشّحت في اجتماع المنسّقين؛ لم يُتواصل معها بعد.",
    Stage.INVITED: "أُرسلت الدعوة؛ ننتظر الرد.",
    Stage.RESPONDED: "ردّت بالإيجاب وتسأل عن موعد الاجتماع الاستكشافي.",
    Stage.ATTENDED: "حضرت الاجتماع الاستكشافي الأول.",
    Stage.MEMBER: "أكّدت العضوية وظهورها في صفحة الدولة.",
    Stage.DECLINED: "اعتذرت في الوقت الحالي، ويمكن التواصل معها لاحقاً.",
}
CONFIRMED_FROM = datetime.datetime(2026, 3, 3, 10, 0, tzinfo=datetime.UTC)


def seed_organisations(chapter: Chapter | None = None) -> list[Organisation]:
    chapter = chapter or Chapter.objects.filter(country="JO").first()
    organisations = []
    for name_en, name_ar, kind, city_en, city_ar, slug in DEMO_ORGANISATIONS:
        organisation, _ = Organisation.objects.update_or_create(
            website=f"https://{slug}.demo.example",
            defaults={
                "name_en": f"{name_en} (demo)",
                "name_ar": f"{name_ar} (تجريبية)",
                "kind": kind,
                "country": "JO",
                "city_en": city_en,
                "city_ar": city_ar,
                "description_en": f"{name_en} is a fictional organisation of the demo.",
                "description_ar": f"{name_ar} منظمة خيالية في البيانات التجريبية.",
                "public_email": f"info@{slug}.demo.example",
            },
        )
        Representative.objects.update_or_create(
            organisation=organisation,
            email=f"contact@{slug}.demo.example",
            defaults={
                "chapter": chapter,
                "name": f"Contact, {name_en}",
                "role": "Director",
                "language": Language.ARABIC
                if len(organisations) % 3
                else Language.ENGLISH,
                "is_primary": True,
            },
        )
        organisations.append(organisation)
    user = demo_user(REPRESENTATIVE_EMAIL)
    Representative.objects.update_or_create(
        organisation=organisations[1],
        email=REPRESENTATIVE_EMAIL,
        defaults={
            "chapter": chapter,
            "name": "Demo Representative",
            "user": user,
            "role": "Programme manager",
            "language": Language.ARABIC,
            "is_primary": False,
        },
    )
    if chapter is not None:
        seed_outreach(chapter, organisations)
    return organisations


def seed_outreach(chapter: Chapter, organisations: list[Organisation]) -> None:
    owner = demo_user(ORGANISER_EMAIL)
    for index, (organisation, (stage, source, state, sdgs)) in enumerate(
        zip(organisations, DEMO_OUTREACH, strict=True)
    ):
        Organisation.objects.filter(pk=organisation.pk).update(focus_sdgs=sdgs)
        Prospect.objects.update_or_create(
            chapter=chapter,
            organisation=organisation,
            defaults={
                "stage": stage,
                "source": source,
                "owner": owner if index % 4 else None,
                "notes": DEMO_NOTES[stage],
            },
        )
        if state is None:
            Membership.objects.filter(
                chapter=chapter, organisation=organisation
            ).delete()
            continue
        Membership.objects.update_or_create(
            chapter=chapter,
            organisation=organisation,
            defaults={
                "state": state,
                "confirmed_at": CONFIRMED_FROM + datetime.timedelta(days=index)
                if state == State.CONFIRMED
                else None,
            },
        )
    seed_membership_history(chapter, owner)
    seed_tasks(chapter)
    # One representative asked by phone not to be e-mailed: organisers see why.
    DoNotContact.objects.update_or_create(
        email="contact@horizon.demo.example",
        defaults={
            "source": DoNotContact.Source.ORGANISER,
            "reason": "طلب ذلك في مكالمة هاتفية (بيانات تجريبية)",
            "chapter": chapter,
        },
    )


# The representative's side of each state: the actions that led there.
HISTORY = {
    State.REQUESTED: [Action.REQUEST],
    State.CONSULTING: [Action.REQUEST, Action.CONSULT],
    State.CONFIRMED: [Action.REQUEST, Action.CONFIRM],
    State.DECLINED: [Action.REQUEST, Action.DECLINE],
    State.WITHDRAWN: [Action.REQUEST, Action.CONFIRM, Action.WITHDRAW],
}
REQUESTED_ON = datetime.datetime(2026, 2, 24, 9, 0, tzinfo=datetime.UTC)


def seed_membership_history(chapter: Chapter, owner) -> None:
    """Recreate the demo memberships' history: requests by the organiser,
    answers through personal links (whose tokens nobody knows, so none
    works), and a consent record for every confirmation."""
    statement = consent_statement_current()
    memberships = Membership.objects.filter(chapter=chapter).select_related(
        "organisation"
    )
    MembershipEvent.objects.filter(membership__in=memberships).delete()
    ConfirmationLink.objects.filter(membership__in=memberships).delete()
    for membership in memberships:
        representative = (
            Representative.objects.for_chapter(chapter)
            .filter(organisation=membership.organisation)
            .order_by("-is_primary", "pk")
            .first()
        )
        steps = HISTORY.get(membership.state, [])
        if not steps or representative is None:
            continue
        _token, digest = token_new()
        link = ConfirmationLink.objects.create(
            membership=membership,
            representative=representative,
            email=representative.email,
            purpose=ConfirmationLink.Purpose.RESPOND,
            digest=digest,
            created_by=owner,
            expires_at=REQUESTED_ON + datetime.timedelta(days=LINK_DAYS),
        )
        ConfirmationLink.objects.filter(pk=link.pk).update(created_at=REQUESTED_ON)
        state = State.CANDIDATE
        when = REQUESTED_ON
        for action in steps:
            to_state = TRANSITIONS[(state, action)]
            by_link = action != Action.REQUEST
            confirming = action == Action.CONFIRM
            language = representative.language
            event = MembershipEvent.objects.create(
                membership=membership,
                action=action,
                from_state=state,
                to_state=to_state,
                via=MembershipEvent.Via.LINK
                if by_link
                else MembershipEvent.Via.ORGANISER,
                actor=None if by_link else owner,
                representative=representative if by_link else None,
                representative_name=representative.name if by_link else "",
                representative_email=representative.email if by_link else "",
                link=link if by_link else None,
                role=representative.role if confirming else "",
                consent=statement if confirming else None,
                consent_version=statement.version if confirming else "",
                consent_language=language if confirming else "",
                consent_text=statement.text_in(language) if confirming else "",
            )
            if confirming and membership.confirmed_at:
                when = membership.confirmed_at
            MembershipEvent.objects.filter(pk=event.pk).update(created_at=when)
            state = to_state
            when += datetime.timedelta(days=3)
        if membership.state in (State.CONFIRMED, State.DECLINED, State.WITHDRAWN):
            ConfirmationLink.objects.filter(pk=link.pk).update(used_at=when)
        Membership.objects.filter(pk=membership.pk).update(
            requested_at=REQUESTED_ON,
            requested_by=owner,
            consulting_since=REQUESTED_ON + datetime.timedelta(days=3)
            if membership.state == State.CONSULTING
            else None,
            remind_at=REQUESTED_ON + datetime.timedelta(days=10)
            if membership.state == State.CONSULTING
            else None,
            withdrawn_at=when if membership.state == State.WITHDRAWN else None,
        )
    confirmed = [m.confirmed_at for m in memberships if m.confirmed_at]
    if confirmed:
        Chapter.objects.filter(pk=chapter.pk).update(members_updated_at=max(confirmed))


# Per suggested task: its status and how many of the confirmed members
# volunteer (the first of them leads).
TASK_PROGRESS = {
    "next_meeting": (InitialTask.Status.IN_PROGRESS, 3),
    "terms_of_reference": (InitialTask.Status.OPEN, 2),
    "map_programmes": (InitialTask.Status.OPEN, 1),
    "parliamentary_visit": (InitialTask.Status.OPEN, 0),
    "undp_sdgs": (InitialTask.Status.DONE, 1),
    "country_page": (InitialTask.Status.IN_PROGRESS, 1),
}


def seed_tasks(chapter: Chapter) -> None:
    members = list(
        Organisation.objects.filter(
            memberships__chapter=chapter, memberships__state=State.CONFIRMED
        ).order_by("pk")
    )
    for order, (key, title_en, title_ar, text_en, text_ar) in enumerate(
        SUGGESTED_TASKS
    ):
        status, volunteers = TASK_PROGRESS[key]
        chosen = members[order % max(len(members), 1) :][:volunteers] if members else []
        task, _ = InitialTask.objects.update_or_create(
            chapter=chapter,
            key=key,
            defaults={
                "title_en": title_en,
                "title_ar": title_ar,
                "description_en": text_en,
                "description_ar": text_ar,
                "status": status,
                "order": order,
                "lead": chosen[0] if chosen else None,
            },
        )
        task.volunteerings.exclude(organisation__in=chosen).delete()
        for organisation in chosen:
            Volunteering.objects.get_or_create(
                task=task,
                organisation=organisation,
                defaults={
                    "representative": Representative.objects.for_chapter(chapter)
                    .filter(organisation=organisation)
                    .first(),
                },
            )
