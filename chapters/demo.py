"""Demo data of the chapters app: accounts and one chapter. Idempotent:
running it again updates the same rows."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from .models import Chapter
from .services import organiser_grant

DEMO_PASSWORD = "demo-portal-2026"  # noqa: S105 - printed for the local demo only
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
            "contact_email": "chapter@demo.example",
            "status": Chapter.Status.EXPLORING,
            "time_zone": "Asia/Amman",
        },
    )
    organiser_grant(actor=staff, chapter=chapter, user=organiser)
    return chapter
