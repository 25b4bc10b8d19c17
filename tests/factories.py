"""factory_boy factories for the portal's models."""

import factory
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from chapters.models import Chapter, Organiser
from members.models import Membership, Organisation, Prospect, Representative


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.Sequence(lambda n: f"user{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct-horse-9")

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.create(
                user=self, email=self.email, verified=True, primary=True
            )


class StaffFactory(UserFactory):
    is_staff = True


COUNTRIES = ["JO", "EG", "MA", "TN", "LB", "IQ", "PS", "SD", "YE", "KE", "UG", "GH"]


class ChapterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Chapter

    country = factory.Iterator(COUNTRIES)
    name_en = factory.Sequence(lambda n: f"Chapter {n}")
    name_ar = factory.Sequence(lambda n: f"الفرع {n}")
    languages = factory.LazyFunction(lambda: ["ar", "en"])


class OrganiserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organiser

    chapter = factory.SubFactory(ChapterFactory)
    user = factory.SubFactory(UserFactory)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name_en = factory.Sequence(lambda n: f"Organisation {n}")
    name_ar = factory.Sequence(lambda n: f"منظمة {n}")
    kind = Organisation.Kind.NATIONAL_NGO
    country = "JO"


def _first_chapter_of(organisation):
    for related in (Prospect, Membership):
        first = (
            related.objects.filter(organisation=organisation)
            .order_by("created_at", "pk")
            .select_related("chapter")
            .first()
        )
        if first is not None:
            return first.chapter
    return None


class RepresentativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Representative

    organisation = factory.SubFactory(OrganisationFactory)
    # The chapter that collected the contact: by default the first chapter
    # with the organisation on its list (or as a member), as the data
    # migration assigns existing rows; pass chapter= for a shared one.
    chapter = factory.LazyAttribute(lambda rep: _first_chapter_of(rep.organisation))
    name = factory.Sequence(lambda n: f"Representative {n}")
    email = factory.Sequence(lambda n: f"rep{n}@example.org")
    language = "ar"


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    chapter = factory.SubFactory(ChapterFactory)
    organisation = factory.SubFactory(OrganisationFactory)


class ProspectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Prospect

    chapter = factory.SubFactory(ChapterFactory)
    organisation = factory.SubFactory(OrganisationFactory)


# Meetings ------------------------------------------------------------------
# (imports here so this section stays self-contained at the end of the file)
from datetime import timedelta  # noqa: E402

from django.utils import timezone  # noqa: E402


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.Meeting"

    chapter = factory.SubFactory(ChapterFactory, time_zone="Asia/Amman")
    title_ar = factory.Sequence(lambda n: f"الاجتماع الاستكشافي {n}")
    title_en = factory.Sequence(lambda n: f"Exploratory meeting {n}")
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=14))
    ends_at = factory.LazyAttribute(lambda o: o.starts_at + timedelta(hours=3))
    venue_address = "Community hall, Main street"
    status = "open"


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "meetings.Invitation"

    meeting = factory.SubFactory(MeetingFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    organisation_name = factory.LazyAttribute(lambda o: str(o.organisation))
    name = factory.Sequence(lambda n: f"Invitee {n}")
    email = factory.Sequence(lambda n: f"invitee{n}@example.org")
    language = "ar"
    status = "sent"
