"""Demo data of the members app: fifteen clearly fictional organisations of
every type, with Arabic and English names, and one representative account;
the demo chapter's outreach list at every stage, memberships in every state
(six of them confirmed, so the country page has members) with the history and
consent records behind them, and initial tasks with volunteers. Then what
organisers and representatives did through the portal's own services, so
the trail and the pages show it: two imports of organisations (one imported,
one waiting in its preview), an organisation added by hand and one merged
into a known one, contacts added, corrected and removed, a request sent again
after its links were stopped, a reminder, a representative's account and a
volunteering withdrawn. Idempotent: running it again updates the same rows,
and what was done through the services is done once.
The two import files and their upload are members/demo_imports.py.

The Moroccan chapter, which works in Arabic and French, has its own outreach
list of six organisations named in both languages, added by its organiser
through the outreach page's service (seed_moroccan_outreach)."""

import datetime

from django.utils import timezone

from chapters.demo import (
    MOROCCAN_ORGANISER_EMAIL,
    ORGANISER_EMAIL,
    REPRESENTATIVE_EMAIL,
    DemoTrail,
    demo_user,
)
from chapters.languages import field_in_language
from chapters.models import AuditEntry, Chapter
from chapters.tokens import token_new

from .demo_imports import seed_imports
from .models import (
    ConfirmationLink,
    DoNotContact,
    GovernanceArea,
    GovernanceRole,
    InitialTask,
    Language,
    Membership,
    MembershipEvent,
    Organisation,
    Prospect,
    Representative,
)
from .services.accounts import representative_account_open
from .services.consent import consent_statement_current
from .services.do_not_contact import do_not_contact_add
from .services.governance import (
    chapter_today,
    governance_role_assign,
    governance_role_delete,
    governance_role_end,
    governance_role_update,
    member_organisations,
)
from .services.initial_tasks import (
    SUGGESTED_TASKS,
    task_save,
    task_volunteer,
    task_volunteer_cancel,
    tasks_suggest,
)
from .services.membership import membership_request
from .services.membership_links import LINK_DAYS, membership_links_revoke
from .services.membership_reminders import membership_reminders_queue
from .services.membership_rules import TRANSITIONS
from .services.merge import organisations_merge
from .services.organisations import organisation_add, organisation_update
from .services.outreach import prospect_update
from .services.representatives import (
    representative_add,
    representative_remove,
    representative_update,
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
    seed_membership_history(chapter, owner, organisations)
    seed_member_who_left(chapter)
    seed_tasks(chapter, owner)
    # One representative asked by phone not to be e-mailed: organisers see why.
    # Asking again keeps the first record, so this is recorded once.
    do_not_contact_add(
        email="contact@horizon.demo.example",
        source=DoNotContact.Source.ORGANISER,
        reason="طلب ذلك في مكالمة هاتفية (بيانات تجريبية)",
        actor=owner,
        chapter=chapter,
    )
    seed_imports(chapter, owner)
    seed_contacts(chapter, owner, organisations)
    seed_requests(chapter, owner)
    # Sunrise has been consulting its people for longer than its organiser's
    # reminder days: the reminder that the periodic command would send goes
    # out (once per consultation, so seeding again sends nothing).
    membership_reminders_queue()
    # The first member's contact opened an account from their personal link
    # (linking it again changes nothing) and, signed in, offered their
    # organisation for the parliamentary visit, then withdrew the offer.
    contact = (
        Representative.objects.for_chapter(chapter)
        .filter(organisation=organisations[0], is_primary=True)
        .get()
    )
    user = representative_account_open(representative=contact).user
    if not _told(chapter, "task.volunteer_cancel"):
        task = InitialTask.objects.get(chapter=chapter, key="parliamentary_visit")
        task_volunteer(
            task=task,
            organisation=contact.organisation,
            representative=contact,
            actor=user,
        )
        task_volunteer_cancel(task=task, organisation=contact.organisation, actor=user)
    seed_governance(chapter, owner)


# The representative's side of each state: the actions that led there.
HISTORY = {
    State.REQUESTED: [Action.REQUEST],
    State.CONSULTING: [Action.REQUEST, Action.CONSULT],
    State.CONFIRMED: [Action.REQUEST, Action.CONFIRM],
    State.DECLINED: [Action.REQUEST, Action.DECLINE],
    State.WITHDRAWN: [Action.REQUEST, Action.CONFIRM, Action.WITHDRAW],
}

REQUESTED_ON = datetime.datetime(2026, 2, 24, 9, 0, tzinfo=datetime.UTC)


def _history_written(membership: Membership, steps: list[str]) -> bool:
    """The membership's history starts with the demo's steps and ends in
    the state the demo gives it: what the services added after those steps
    (a reminder, a request sent again) stays."""
    applied = list(
        membership.events.filter(applied=True)
        .order_by("created_at", "pk")
        .values_list("action", "to_state")
    )
    last_state = applied[-1][1] if applied else State.CANDIDATE
    return [action for action, _state in applied[: len(steps)]] == steps and (
        last_state == membership.state
    )


def seed_membership_history(
    chapter: Chapter, owner, organisations: list[Organisation]
) -> None:
    """Write the demo memberships' history where it is missing or no longer
    leads to the demo's state: requests by the organiser, answers through
    personal links (whose tokens nobody knows, so none works), and a consent
    record for every confirmation. Only the demo's own organisations: the
    memberships made through the services have their own history."""
    statement = consent_statement_current()
    memberships = Membership.objects.filter(
        chapter=chapter, organisation__in=organisations
    ).select_related("organisation")
    for membership in memberships:
        steps = HISTORY.get(membership.state, [])
        if _history_written(membership, steps):
            continue
        MembershipEvent.objects.filter(membership=membership).delete()
        ConfirmationLink.objects.filter(membership=membership).delete()
        representative = (
            Representative.objects.for_chapter(chapter)
            .filter(organisation=membership.organisation)
            .order_by("-is_primary", "pk")
            .first()
        )
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
            consent_text, consent_language = field_in_language(
                statement, "text", representative.language
            )
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
                consent_language=consent_language if confirming else "",
                consent_text=consent_text if confirming else "",
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


LEFT_WEBSITE = "https://horizon.demo.example"


def seed_member_who_left(chapter: Chapter) -> None:
    """The member that withdrew (the Horizon Development Think Tank) confirmed in
    February and withdrew in the middle of last month: the country page as
    of two months ago lists it, today's does not (docs/history.md). Its
    history is the demo's own (seed_membership_history, retold in the
    trail); only the day of the withdrawal follows the calendar, so seeding
    again on another day moves it to that day's last month."""
    membership = Membership.objects.filter(
        chapter=chapter, state=State.WITHDRAWN, organisation__website=LEFT_WEBSITE
    ).first()
    if membership is None:
        return
    confirmed = (
        membership.events.filter(action=Action.CONFIRM, applied=True)
        .order_by("-created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    first_of_month = timezone.localdate(timezone=chapter.zone).replace(day=1)
    withdrawn = datetime.datetime.combine(
        first_of_month - datetime.timedelta(days=15),
        datetime.time(10),
        tzinfo=chapter.zone,
    )
    if confirmed and withdrawn <= confirmed:
        return
    membership.events.filter(action=Action.WITHDRAW, applied=True).update(
        created_at=withdrawn
    )
    Membership.objects.filter(pk=membership.pk).update(withdrawn_at=withdrawn)
    ConfirmationLink.objects.filter(
        membership=membership, used_at__isnull=False
    ).update(used_at=withdrawn)
    Chapter.objects.filter(pk=chapter.pk).update(members_updated_at=withdrawn)


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


def seed_tasks(chapter: Chapter, owner) -> None:
    """The suggested tasks, added by the organiser; their progress and leads
    set by the organiser and the member organisations' offers, each through
    its service (which records nothing when it is already so)."""
    tasks_suggest(actor=owner, chapter=chapter)
    members = list(
        Organisation.objects.filter(
            memberships__chapter=chapter, memberships__state=State.CONFIRMED
        ).order_by("pk")
    )
    for order, suggested in enumerate(SUGGESTED_TASKS):
        status, volunteers = TASK_PROGRESS[suggested.key]
        chosen = members[order % max(len(members), 1) :][:volunteers] if members else []
        task, _ = InitialTask.objects.update_or_create(
            chapter=chapter,
            key=suggested.key,
            defaults={**suggested.values(), "order": order},
        )
        task = task_save(
            actor=owner,
            chapter=chapter,
            task=task,
            values={"status": status, "lead": chosen[0] if chosen else None},
        )
        task.volunteerings.exclude(organisation__in=chosen).delete()
        for organisation in chosen:
            task_volunteer(
                task=task,
                organisation=organisation,
                representative=Representative.objects.for_chapter(chapter)
                .filter(organisation=organisation)
                .first(),
            )


def seed_governance(chapter: Chapter, owner) -> None:
    """The chapter's governance, appointed by its organiser through the
    governance page's services among the members listed at that point: two
    co-chairs, the host organisation (as a body), a steering committee of
    three and a focal point for each area of joint work; a steering
    committee member whose role ended last month (the page's past roles), a
    co-chair's note corrected and a role entered by mistake and removed.
    Done once: a chapter that has roles keeps them."""
    if GovernanceRole.objects.for_chapter(chapter).exists():
        return
    members = list(member_organisations(chapter).order_by("pk"))
    if len(members) < 4:
        return
    today = chapter_today(chapter)
    since = today - datetime.timedelta(days=200)
    Kind = GovernanceRole.Kind

    def assign(kind, organisation, *, area="", body=False, note=""):
        representative = (
            None
            if body
            else Representative.objects.for_chapter(chapter)
            .filter(organisation=organisation)
            .order_by("-is_primary", "pk")
            .first()
        )
        return governance_role_assign(
            actor=owner,
            chapter=chapter,
            kind=kind,
            organisation=organisation,
            representative=representative,
            area=area,
            starts_on=since,
            note=note,
        )

    former = assign(Kind.STEERING, members[2])
    governance_role_end(
        actor=owner,
        chapter=chapter,
        role=former,
        ends_on=today - datetime.timedelta(days=30),
    )
    chair = assign(Kind.CO_CHAIR, members[0])
    assign(Kind.CO_CHAIR, members[1])
    governance_role_update(
        actor=owner,
        chapter=chapter,
        role=chair,
        starts_on=since,
        ends_on=None,
        note="انتُخبت في الاجتماع الاستكشافي الأول (بيانات تجريبية).",
    )
    assign(Kind.HOST, members[2], body=True)
    for organisation in (members[3:] + members[:3])[:3]:
        assign(Kind.STEERING, organisation)
    for area, organisation in zip(
        GovernanceArea.values, (members[1], members[3], members[0]), strict=True
    ):
        assign(Kind.FOCAL_POINT, organisation, area=area)
    mistaken = assign(Kind.FOCAL_POINT, members[2], area=GovernanceArea.LEADERSHIP)
    governance_role_delete(actor=owner, chapter=chapter, role=mistaken)


def _told(chapter: Chapter, action: str) -> bool:
    """Whether the trail already has the action: for steps undone at once
    (an offer withdrawn, a contact removed), the trail is all that is left
    of them, and so what says they were done."""
    return AuditEntry.objects.filter(chapter=chapter, action=action).exists()


NASEEJ_WEBSITE = "https://naseej.demo.example"


def seed_contacts(chapter: Chapter, owner, organisations: list[Organisation]) -> None:
    """An organisation the organiser added by hand, with its contacts added,
    corrected and one removed, and its follow-up noted; and an entry that
    turned out to be an organisation already on the list, merged into it.
    Told once: the organisation added by hand says it was."""
    if Organisation.objects.filter(website=NASEEJ_WEBSITE).exists():
        return
    prospect = organisation_add(
        actor=owner,
        chapter=chapter,
        values={
            "name_ar": "جمعية نسيج للحرف التراثية (تجريبية)",
            "name_en": "Naseej Heritage Crafts Society (demo)",
            "kind": Organisation.Kind.COMMUNITY_BASED,
            "city_ar": "السلط",
            "city_en": "Salt",
            "website": NASEEJ_WEBSITE,
            "description_ar": "جمعية خيالية في البيانات التجريبية تدرّب النساء "
            "على الحرف التراثية.",
            "description_en": "A fictional society of the demo that trains women "
            "in heritage crafts.",
        },
        representative={
            "name": "Samira Haddad",
            "email": "samira@naseej.demo.example",
            "role": "Chair",
            "language": Language.ARABIC,
        },
    )
    organisation = prospect.organisation
    organisation_update(
        actor=owner,
        chapter=chapter,
        organisation=organisation,
        values={"focus_sdgs": [5, 8], "acronym": "NHCS"},
    )
    chair = Representative.objects.for_chapter(chapter).get(
        organisation=organisation, email="samira@naseej.demo.example"
    )
    representative_update(
        actor=owner,
        chapter=chapter,
        representative=chair,
        values={"phone": "+962791000202"},
    )
    # A second contact, who has since left the society.
    former = representative_add(
        actor=owner,
        chapter=chapter,
        organisation=organisation,
        values={
            "name": "Youssef Nasser",
            "email": "youssef@naseej.demo.example",
            "role": "Volunteer",
            "language": Language.ENGLISH,
        },
    )
    representative_remove(actor=owner, chapter=chapter, representative=former)
    prospect_update(
        actor=owner,
        prospect=prospect,
        stage=Prospect.Stage.IDENTIFIED,
        owner=owner,
        notes="التقيناها في معرض الحرف في السلط؛ نتصل بها هاتفياً الأسبوع المقبل.",
    )
    # Added by hand under another name before the import brought it in
    # again: the organiser merged the two known organisations into one.
    earlier = organisation_add(
        actor=owner,
        chapter=chapter,
        values={
            "name_ar": "مرصد السياسة المحلية (تجريبي)",
            "name_en": "Observatory of Local Policy (demo)",
            "kind": Organisation.Kind.THINK_TANK,
            "city_ar": "عمّان",
            "city_en": "Amman",
        },
        representative={
            "name": "Tariq Mansour",
            "email": "tariq@policy-observatory.demo.example",
            "role": "Researcher",
            "language": Language.ENGLISH,
        },
    ).organisation
    organisations_merge(
        actor=owner,
        chapter=chapter,
        keep=Organisation.objects.get(
            website="https://policy-observatory.demo.example"
        ),
        absorb=earlier,
    )
    # Typed again by a co-organiser; the organiser said it is the known one,
    # which gains the acronym it lacked.
    organisation_add(
        actor=owner,
        chapter=chapter,
        values={
            "name_ar": "أيادٍ معاً للتنمية",
            "name_en": "Hands Together for Development",
            "acronym": "HTD",
            "kind": Organisation.Kind.NATIONAL_NGO,
        },
        merge_into=organisations[3],
    )


def seed_requests(chapter: Chapter, owner) -> None:
    """An imported organisation asked to confirm its membership; the address
    was mistyped, so the organiser stopped the links, corrected the contact
    and sent the request again. Told once: the membership says it was."""
    organisation = Organisation.objects.filter(
        website="https://badia-youth.demo.example"
    ).first()
    if (
        organisation is None
        or Membership.objects.filter(
            chapter=chapter, organisation=organisation
        ).exists()
    ):
        return
    membership_request(actor=owner, chapter=chapter, organisations=[organisation])
    membership = Membership.objects.get(chapter=chapter, organisation=organisation)
    membership_links_revoke(actor=owner, membership=membership)
    contact = Representative.objects.for_chapter(chapter).get(
        organisation=organisation, email="omar@badia-youth.demo.example"
    )
    representative_update(
        actor=owner,
        chapter=chapter,
        representative=contact,
        values={"email": "omar.zoubi@badia-youth.demo.example"},
    )
    membership_request(
        actor=owner, chapter=chapter, organisations=[organisation], resend=True
    )


def tell_membership_history(trail: DemoTrail) -> None:
    """The membership answers the demo wrote without the services."""
    events = MembershipEvent.objects.filter(
        membership__chapter=trail.chapter, applied=True
    ).select_related("membership__organisation", "actor")
    for event in events:
        if event.pk in trail.events_recorded:
            continue
        label = ""
        if event.representative_email and event.actor is None:
            label = f"personal link of {event.representative_email}"
        trail.tell(
            event.created_at,
            event.membership,
            f"membership.{event.action}",
            actor=event.actor,
            label=label or "demo",
            before={"state": event.from_state},
            after={"state": event.to_state},
        )


def tell_interest_forms(trail: DemoTrail) -> None:
    """The organisations that came through the interest form."""
    for prospect in Prospect.objects.filter(
        chapter=trail.chapter, source="interest_form"
    ).select_related("organisation"):
        trail.tell(
            prospect.created_at,
            prospect,
            "prospect.interest",
            label="interest form: demo",
            after={"organisation": str(prospect.organisation)},
        )


# The Moroccan chapter's outreach list ------------------------------------------

# (French name, Arabic name, kind, city in French, city in Arabic, website
# slug, what it does in French and in Arabic, focus SDGs, its contact: name,
# role, address, preferred language, phone). Fictional, like all the demo's.
MOROCCAN_ORGANISATIONS = [
    (
        "Réseau des associations de développement du Souss (démo)",
        "شبكة جمعيات التنمية بسوس (تجريبية)",
        Kind.NETWORK,
        "Agadir",
        "أكادير",
        "reseau-souss",
        "Réseau fictif d’une quarantaine d’associations villageoises de la "
        "région Souss-Massa, actives pour l’eau potable et les pistes rurales.",
        "شبكة خيالية تضم نحو أربعين جمعية قروية في جهة سوس ماسة، تعمل من أجل "
        "الماء الصالح للشرب والمسالك القروية.",
        [6, 11, 17],
        (
            "إبراهيم آيت واحمان",
            "منسّق الشبكة",
            "brahim",
            Language.ARABIC,
            "+212661000101",
        ),
    ),
    (
        "Association Tadamoune pour le développement communautaire (démo)",
        "جمعية تضامن للتنمية المجتمعية (تجريبية)",
        Kind.COMMUNITY_BASED,
        "Marrakech",
        "مراكش",
        "tadamoune",
        "Association fictive de quartier qui accompagne les coopératives de "
        "femmes et l’alphabétisation des adultes.",
        "جمعية حيّ خيالية ترافق التعاونيات النسائية ومحو أمية الكبار.",
        [1, 4, 5],
        ("خديجة بنعلي", "رئيسة الجمعية", "khadija", Language.ARABIC, ""),
    ),
    (
        "Fondation Atlas pour l’initiative citoyenne (démo)",
        "مؤسسة الأطلس للمبادرة المواطنة (تجريبية)",
        Kind.NATIONAL_NGO,
        "Casablanca",
        "الدار البيضاء",
        "fondation-atlas",
        "Fondation fictive qui soutient la participation des habitants aux "
        "plans d’action communaux.",
        "مؤسسة خيالية تدعم مشاركة السكان في برامج عمل الجماعات.",
        [10, 11, 16],
        (
            "Nadia El Amrani",
            "Directrice des programmes",
            "nadia.elamrani",
            Language.FRENCH,
            "+212522000303",
        ),
    ),
    (
        "Université du Saïs, laboratoire Territoires et développement local (démo)",
        "جامعة سايس، مختبر المجالات والتنمية المحلية (تجريبي)",
        Kind.ACADEMIC,
        "Fès",
        "فاس",
        "universite-sais",
        "Laboratoire universitaire fictif qui étudie les projets portés par les "
        "communautés rurales.",
        "مختبر جامعي خيالي يدرس المشاريع التي تحملها المجتمعات القروية.",
        [4, 11],
        ("Youssef Berrada", "Enseignant-chercheur", "y.berrada", Language.FRENCH, ""),
    ),
    (
        "Centre Bouregreg d’études des politiques publiques (démo)",
        "مركز أبي رقراق لدراسات السياسات العمومية (تجريبي)",
        Kind.THINK_TANK,
        "Rabat",
        "الرباط",
        "centre-bouregreg",
        "Groupe de réflexion fictif sur la décentralisation et la localisation "
        "des objectifs de développement durable.",
        "دائرة فكر خيالية تهتم باللامركزية وتوطين أهداف التنمية المستدامة.",
        [16, 17],
        ("Salma Tazi", "Chercheuse principale", "salma.tazi", Language.FRENCH, ""),
    ),
    (
        "Coopérative féminine Tifawin de l’arganier (démo)",
        "تعاونية تيفاوين النسائية للأركان (تجريبية)",
        Kind.COMMUNITY_BASED,
        "Essaouira",
        "الصويرة",
        "tifawin",
        "Coopérative fictive de femmes qui produit et vend de l’huile d’argan.",
        "تعاونية نسائية خيالية تنتج زيت الأركان وتسوّقه.",
        [5, 8],
        ("فاطمة أوبلا", "أمينة المال", "fatima", Language.ARABIC, "+212670000606"),
    ),
]


def seed_moroccan_outreach(chapter: Chapter) -> list[Organisation]:
    """The Moroccan organiser added each organisation and its contact to the
    chapter's outreach list, in Arabic and French (the chapter's languages),
    on the outreach page. Each is added once: seeding again finds it on the
    list. Their stages move when they are invited (meetings/demo.py)."""
    organiser = demo_user(MOROCCAN_ORGANISER_EMAIL)
    organisations = []
    for (
        name_fr,
        name_ar,
        kind,
        city_fr,
        city_ar,
        slug,
        about_fr,
        about_ar,
        sdgs,
        (person, role, mailbox, language, phone),
    ) in MOROCCAN_ORGANISATIONS:
        website = f"https://{slug}.demo.example"
        prospect = (
            Prospect.objects.filter(chapter=chapter, organisation__website=website)
            .select_related("organisation")
            .first()
        )
        if prospect is None:
            prospect = organisation_add(
                actor=organiser,
                chapter=chapter,
                values={
                    "name_ar": name_ar,
                    "name_fr": name_fr,
                    "kind": kind,
                    "city_ar": city_ar,
                    "city_fr": city_fr,
                    "website": website,
                    "description_ar": about_ar,
                    "description_fr": about_fr,
                    "focus_sdgs": sdgs,
                    "public_email": f"contact@{slug}.demo.example",
                },
                representative={
                    "name": person,
                    "email": f"{mailbox}@{slug}.demo.example",
                    "role": role,
                    "language": language,
                    "phone": phone,
                },
            )
        organisations.append(prospect.organisation)
    return organisations


# The launched Ugandan chapter of the directory, at the size of a national
# network: more community-based organisations than its country page shows at
# first (members.public.FIRST_VIEW), so the page's "show all" link and the
# members' pages have something to show. Listed directly, without the
# consent history the other demo chapters go through.
UGANDAN_DISTRICTS = [
    ("Gulu", "غولو"),
    ("Lira", "ليرا"),
    ("Mbale", "مبالي"),
    ("Jinja", "جينجا"),
    ("Masaka", "ماساكا"),
    ("Mbarara", "مبارارا"),
    ("Kabale", "كابالي"),
    ("Hoima", "هويما"),
    ("Arua", "أروا"),
    ("Soroti", "سوروتي"),
    ("Tororo", "تورورو"),
    ("Moroto", "موروتو"),
    ("Kitgum", "كيتغوم"),
    ("Kasese", "كاسيسي"),
    ("Entebbe", "عنتيبي"),
    ("Mukono", "موكونو"),
    ("Iganga", "إيغانغا"),
    ("Busia", "بوسيا"),
    ("Kotido", "كوتيدو"),
    ("Masindi", "ماسيندي"),
]
UGANDAN_GROUPS = [
    ("women-savings", "{} Women's Savings Group", "مجموعة ادخار النساء في {}"),
    ("young-farmers", "{} Young Farmers' Association", "جمعية المزارعين الشباب في {}"),
    ("water", "{} Community Water Committee", "لجنة المياه المجتمعية في {}"),
]


def seed_ugandan_members() -> int:
    """The Ugandan chapter's listed community-based organisations; the
    number listed."""
    chapter = Chapter.objects.filter(country="UG").first()
    if chapter is None:
        return 0
    confirmed_at = timezone.now() - timezone.timedelta(days=200)
    for district_en, district_ar in UGANDAN_DISTRICTS:
        for slug, name_en, name_ar in UGANDAN_GROUPS:
            organisation, _ = Organisation.objects.update_or_create(
                website=f"https://{district_en.lower()}-{slug}.demo.example",
                defaults={
                    "name_en": f"{name_en.format(district_en)} (demo)",
                    "name_ar": f"{name_ar.format(district_ar)} (تجريبية)",
                    "kind": Organisation.Kind.COMMUNITY_BASED,
                    "country": "UG",
                    "city_en": district_en,
                    "city_ar": district_ar,
                },
            )
            Membership.objects.update_or_create(
                chapter=chapter,
                organisation=organisation,
                defaults={
                    "state": Membership.State.CONFIRMED,
                    "confirmed_at": confirmed_at,
                },
            )
    return len(UGANDAN_DISTRICTS) * len(UGANDAN_GROUPS)
