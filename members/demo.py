"""Demo data of the members app: fifteen clearly fictional organisations of
every type, with Arabic and English names, and one representative account;
the demo chapter's outreach list at every stage, and memberships (six of them
confirmed, so the country page has members). Idempotent: running it again
updates the same rows."""

import datetime

from chapters.demo import ORGANISER_EMAIL, REPRESENTATIVE_EMAIL, demo_user
from chapters.models import Chapter

from .models import (
    DoNotContact,
    Language,
    Membership,
    Organisation,
    Prospect,
    Representative,
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

# Per organisation, in the order above: (stage on the outreach list, source,
# membership state or None, focus SDGs).
DEMO_OUTREACH = [
    (Stage.MEMBER, Source.ORGANISER, State.CONFIRMED, [1, 5, 17]),
    (Stage.ATTENDED, Source.INTEREST_FORM, State.CONSULTING, [4, 5]),
    (Stage.MEMBER, Source.ORGANISER, State.CONFIRMED, [5, 8]),
    (Stage.MEMBER, Source.IMPORT, State.CONFIRMED, [1, 2, 3]),
    (Stage.ATTENDED, Source.ORGANISER, State.CANDIDATE, [16]),
    (Stage.RESPONDED, Source.IMPORT, None, [2, 15]),
    (Stage.INVITED, Source.ORGANISER, None, [1, 3, 6]),
    (Stage.MEMBER, Source.ORGANISER, State.CONFIRMED, [10, 16, 17]),
    (Stage.MEMBER, Source.IMPORT, State.CONFIRMED, [4, 17]),
    (Stage.DECLINED, Source.IMPORT, State.DECLINED, [4, 9]),
    (Stage.MEMBER, Source.ORGANISER, State.CONFIRMED, [11, 16]),
    (Stage.RESPONDED, Source.ORGANISER, None, [8, 13]),
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
            "name": "Demo Representative",
            "user": user,
            "role": "Programme manager",
            "language": Language.ARABIC,
            "is_primary": False,
        },
    )
    chapter = chapter or Chapter.objects.filter(country="JO").first()
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
    # One representative asked by phone not to be e-mailed: organisers see why.
    DoNotContact.objects.update_or_create(
        email="contact@horizon.demo.example",
        defaults={
            "source": DoNotContact.Source.ORGANISER,
            "reason": "طلب ذلك في مكالمة هاتفية (بيانات تجريبية)",
            "chapter": chapter,
        },
    )
