"""What the members app gives the pages of chapters, registered at
chapters' extension points (chapters/extensions.py) by MembersConfig.ready():
the public member list, the interest form's write and the types of
organisation, who represents which organisation (for chapters/permissions.py),
the dashboard's figures, the country page's governance section, two
export datasets, the audit trail's "via" key, the staff timeline's members
joining and leaving (members/history.py, which also gives the members as of
a past day), and the public pages' cache invalidation when a membership or
an organisation changes."""

from django.db.models.signals import post_delete, post_save

from chapters import cache, extensions

from . import dashboard, exports, history, public
from .models import Membership, MembershipEvent, Organisation, Prospect, Representative
from .services import interest


def kind_choices() -> list:
    return Organisation.Kind.choices


def submit_interest(
    *,
    chapter,
    organisation_name: str,
    kind: str,
    contact_name: str,
    email: str,
    message: str,
    language: str,
) -> Prospect:
    return interest.interest_submit(
        chapter=chapter,
        interest=interest.Interest(
            organisation_name=organisation_name,
            kind=kind,
            contact_name=contact_name,
            email=email,
            message=message,
            language=language,
        ),
    )


PUBLIC_MEMBERS = extensions.PublicMembers(
    listed_members_as_of=history.listed_members_as_of,
    group_by_kind=public.group_by_kind,
    member_preview=public.member_preview,
    bound_groups=public.bound_groups,
    members_page=public.members_page,
    listed_in_page_order=public.listed_in_page_order,
    listed_member_counts=public.listed_member_counts,
    member_open_data=public.member_open_data,
    kind_choices=kind_choices,
    submit_interest=submit_interest,
)
REPRESENTATION = extensions.Representation(
    organisations=Organisation.objects.all,
    representatives=Representative.objects.all,
)
# Below the member list, above the meetings (position 10).
GOVERNANCE = extensions.CountryPageSection(
    key="governance", position=5, render=public.country_governance
)
VIA = extensions.AuditKeyChoices(
    key="via", position=10, field=lambda: MembershipEvent._meta.get_field("via")
)


def register() -> None:
    extensions.public_members.register(PUBLIC_MEMBERS)
    extensions.representation.register(REPRESENTATION)
    extensions.member_figures.register(dashboard.FIGURES)
    extensions.export_datasets.register(exports.OUTREACH)
    extensions.export_datasets.register(exports.MEMBERS)
    extensions.audit_key_choices.register(VIA)
    extensions.country_page_sections.register(GOVERNANCE)
    # The staff timeline: members joining and leaving.
    extensions.chapter_timeline.register(history.TIMELINE)
    # The public pages' cache (chapters/cache.py): a country page shows its
    # listed members and their organisations' public profile.
    for signal in (post_save, post_delete):
        signal.connect(
            cache.membership_changed,
            sender=Membership,
            dispatch_uid=f"chapters-cache-membership-{signal is post_save}",
        )
        signal.connect(
            cache.organisation_changed,
            sender=Organisation,
            dispatch_uid=f"chapters-cache-organisation-{signal is post_save}",
        )
