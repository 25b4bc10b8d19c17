"""Demo data of the members app: fifteen clearly fictional organisations of
every type, with Arabic and English names, and one representative account."""

from chapters.demo import REPRESENTATIVE_EMAIL, demo_user

from .models import Language, Organisation, Representative

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


def seed_organisations() -> list[Organisation]:
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
    return organisations
