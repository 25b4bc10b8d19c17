import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from members.models import Membership
from tests.factories import ChapterFactory, MembershipFactory, OrganisationFactory


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "green").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def open_data(db):
    """Chapters in every shape the API must describe: full content in both
    languages with members (one with a logo), a launched chapter with dates
    and no members, one named in Arabic only, and a candidate member that
    must never appear."""
    jordan = ChapterFactory(
        country="JO",
        name_ar="الفرع الوطني الأردني",
        name_en="Jordan national chapter",
        introduction_ar="مقدمة",
        introduction_en="Introduction",
        why_cld_ar="لماذا",
        contact_email="jordan@example.org",
        status="forming",
        first_meeting_on=datetime.date(2026, 3, 18),
    )
    with_logo = OrganisationFactory(
        name_ar="شبكة وادي الزيتون",
        name_en="Olive Valley Network",
        acronym="OVN",
        kind="network",
        city_ar="عمّان",
        city_en="Amman",
        website="https://olive-valley.example",
        description_en="A network <b>of</b> villages",
    )
    with_logo.logo.save("ovn.png", ContentFile(png_bytes()), save=True)
    for organisation in (with_logo, OrganisationFactory(name_en="", kind="cbo")):
        MembershipFactory(
            chapter=jordan,
            organisation=organisation,
            state=Membership.State.CONFIRMED,
            confirmed_at=timezone.now(),
        )
    MembershipFactory(chapter=jordan, state=Membership.State.CANDIDATE)
    ChapterFactory(
        country="EG",
        status="launched",
        first_meeting_on=datetime.date(2025, 1, 5),
        launched_on=datetime.date(2025, 9, 1),
    )
    ChapterFactory(country="TN", name_en="", status="interest")
    return jordan
