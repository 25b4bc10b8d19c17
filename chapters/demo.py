"""Demo data of the chapters app: accounts and one chapter. Idempotent:
running it again updates the same rows."""

from datetime import date

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from .models import Chapter
from .services import organiser_grant

DEMO_PASSWORD = "demo-portal-2026"  # noqa: S105 # nosec B105 # printed for the local demo only
STAFF_EMAIL = "staff@demo.example"
ORGANISER_EMAIL = "organiser@demo.example"
REPRESENTATIVE_EMAIL = "representative@demo.example"


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
    chapter, _ = Chapter.objects.update_or_create(
        country="JO",
        defaults={
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
            "status": Chapter.Status.FORMING,
            "first_meeting_on": date(2026, 3, 18),
            "time_zone": "Asia/Amman",
        },
    )
    organiser_grant(actor=staff, chapter=chapter, user=organiser)
    seed_directory()
    return chapter


# A few more chapters so that the directory shows every kind of status. The
# Moroccan one has Arabic content only, to show the marked fallback.
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
        "MA",
        Chapter.Status.INTEREST,
        "الفرع الوطني المغربي (تجريبي)",
        "",
        "منظمات مهتمة بتأسيس فرع وطني في المغرب. لا منسّق للفرع بعد.",
        "",
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
