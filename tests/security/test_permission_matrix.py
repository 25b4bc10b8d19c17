"""Who gets what at every address the portal defines.

The URLs come from the resolver itself (includes and both language prefixes
walked), so a new page cannot slip in unchecked: a URL name missing from
EXPECTED fails the test until someone writes down who may open it.

Outcomes: "200", "403", "404", "405", "login" (redirect to the sign-in page),
"admin_login" (redirect to the admin's sign-in), "redirect" (elsewhere).
"""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from tests.security.urlwalk import outcome, project_routes, route_urls
from tests.security.world import ROLES, build_world

pytestmark = pytest.mark.django_db


def roles(*outcomes) -> dict:
    """One outcome per role, in the order of ROLES: anonymous, representative
    of another organisation, representative, organiser of another chapter,
    organiser, staff."""
    assert len(outcomes) == len(ROLES)
    return dict(zip(ROLES, (str(o) for o in outcomes), strict=True))


PUBLIC = roles(200, 200, 200, 200, 200, 200)
SIGNED_IN = roles("login", 200, 200, 200, 200, 200)
# Chapter pages: another chapter's organiser cannot tell the page exists.
ORGANISER = roles("login", 404, 404, 404, 200, 200)
ORGANISER_POST_ONLY = roles("login", 404, 404, 404, 405, 405)
# The organisation's own pages: only its representatives.
REPRESENTATIVE = roles("login", 404, 200, 404, 404, 404)
REPRESENTATIVE_POST_ONLY = roles("login", 404, 405, 404, 404, 404)
# A personal link works for whoever holds it: the token is the permission.
PERSONAL_LINK = PUBLIC
STAFF = roles(*["admin_login"] * 5, 200)
# allauth: signed-in people are sent on from the sign-in and sign-up pages.
SIGNED_OUT_ONLY = roles(200, *["redirect"] * 5)

EXPECTED = {
    # Outside the language prefix
    "healthz": PUBLIC,
    "api:openapi": PUBLIC,
    "api:countries": PUBLIC,
    "api:country": PUBLIC,
    "sitemap": PUBLIC,
    "robots": PUBLIC,
    # The meeting day's service worker: a script with no data in it.
    "meeting_day_sw": PUBLIC,
    # The browser's favicon request goes to the static file.
    "favicon": roles(*["redirect"] * 6),
    # chapters
    "chapters:home": PUBLIC,
    "chapters:my_chapters": SIGNED_IN,
    "chapters:directory": PUBLIC,
    "chapters:country": PUBLIC,
    "chapters:members_csv": PUBLIC,
    "chapters:country_members": PUBLIC,
    "chapters:interest": PUBLIC,
    "chapters:interest_thanks": PUBLIC,
    # The co-organiser's link opens for whoever holds it (it proves the
    # invited mailbox); accepting needs that address (tests/chapters/test_manage.py).
    "chapters:invitation": PUBLIC,
    "chapters:manage": ORGANISER,
    "chapters:edit": ORGANISER,
    "chapters:organisers": ORGANISER,
    "chapters:organiser_grant": ORGANISER_POST_ONLY,
    "chapters:organiser_revoke": ORGANISER_POST_ONLY,
    # Dashboard, the lists behind its figures, exports and the audit trail.
    "chapters:figure": ORGANISER,
    "chapters:audit": ORGANISER,
    "chapters:exports": ORGANISER,
    "chapters:export": ORGANISER,
    "chapters:export_job": ORGANISER,
    "chapters:export_job_status": ORGANISER,
    "chapters:export_job_download": ORGANISER,
    # An organiser's own notification settings; nobody else's page.
    "chapters:notification_settings": roles("login", 404, 404, 200, 200, 200),
    # Staff pages outside the admin: anyone else signed in gets a 404.
    "chapters:staff_overview": roles("login", 404, 404, 404, 404, 200),
    "chapters:staff_audit": roles("login", 404, 404, 404, 404, 200),
    "chapters:staff_design": roles("login", 404, 404, 404, 404, 200),
    "chapters:staff_timeline": roles("login", 404, 404, 404, 404, 200),
    "chapters:staff_comparison": roles("login", 404, 404, 404, 404, 200),
    "chapters:staff_comparison_export": roles("login", 404, 404, 404, 404, 200),
    "chapters:staff_chapter_open": roles("login", 404, 404, 404, 404, 200),
    # members: outreach list and import
    "members:outreach": ORGANISER,
    "members:outreach_export": ORGANISER,
    "members:add": ORGANISER,
    "members:prospect": ORGANISER,
    "members:organisation_edit": ORGANISER,
    "members:merge": ORGANISER,
    "members:merge_confirm": ORGANISER,
    "members:representative_add": ORGANISER,
    "members:representative_edit": ORGANISER,
    "members:representative_remove": ORGANISER_POST_ONLY,
    "members:representative_opt_out": ORGANISER_POST_ONLY,
    "members:import": ORGANISER,
    "members:import_template": ORGANISER,
    "members:import_job": ORGANISER,
    "members:import_status": ORGANISER,
    "members:import_commit": ORGANISER_POST_ONLY,
    "members:import_cancel": ORGANISER_POST_ONLY,
    "members:opt_out": PERSONAL_LINK,
    # members: membership
    "members:memberships": ORGANISER,
    "members:membership_detail": ORGANISER,
    "members:chapter_forming": ORGANISER_POST_ONLY,
    "members:tasks": ORGANISER,
    "members:task_add": ORGANISER,
    "members:task_edit": ORGANISER,
    "members:governance": ORGANISER,
    "members:governance_role": ORGANISER_POST_ONLY,
    # Only right after confirming, from the session: nobody else.
    "members:membership_done": roles(404, 404, 404, 404, 404, 404),
    "members:membership_answer": PERSONAL_LINK,
    "members:membership_withdraw": PERSONAL_LINK,
    "members:organisation_profile": REPRESENTATIVE,
    "members:profile_contact": REPRESENTATIVE_POST_ONLY,
    "members:profile_withdraw": REPRESENTATIVE_POST_ONLY,
    "members:profile_volunteer": REPRESENTATIVE_POST_ONLY,
    # meetings
    "meetings:list": ORGANISER,
    "meetings:create": ORGANISER,
    "meetings:detail": ORGANISER,
    "meetings:edit": ORGANISER,
    "meetings:status": ORGANISER_POST_ONLY,
    "meetings:agenda_add": ORGANISER,
    "meetings:agenda_edit": ORGANISER,
    "meetings:agenda_move": ORGANISER_POST_ONLY,
    "meetings:material_add": ORGANISER,
    "meetings:chapter_material_add": ORGANISER,
    "meetings:material": ORGANISER,
    "meetings:invite": ORGANISER,
    "meetings:batch": ORGANISER,
    "meetings:batch_progress": ORGANISER,
    "meetings:invitations_action": ORGANISER_POST_ONLY,
    "meetings:invitation_action": ORGANISER_POST_ONLY,
    "meetings:remind_unanswered": ORGANISER,
    "meetings:checkin": ORGANISER,
    "meetings:checkin_scan": ORGANISER_POST_ONLY,
    # The installed app's manifest: names and icons, fetched without cookies.
    "meetings:manifest": PUBLIC,
    "meetings:notes": ORGANISER,
    "meetings:note_save": ORGANISER_POST_ONLY,
    "meetings:ideas": ORGANISER,
    "meetings:idea_action": ORGANISER_POST_ONLY,
    "meetings:idea_edit": ORGANISER,
    "meetings:decisions": ORGANISER,
    "meetings:decision": ORGANISER,
    "meetings:decision_remove": ORGANISER,
    "meetings:minutes": ORGANISER,
    "meetings:engagement_from_idea": ORGANISER,
    "meetings:engagement_from_decision": ORGANISER,
    "meetings:engagements": ORGANISER,
    "meetings:engagement_create": ORGANISER,
    "meetings:engagement": ORGANISER,
    "meetings:engagement_edit": ORGANISER,
    "meetings:engagement_delete": ORGANISER,
    "meetings:government_contacts": ORGANISER,
    "meetings:government_contact_create": ORGANISER,
    "meetings:government_contact": ORGANISER,
    "meetings:government_contact_delete": ORGANISER,
    "meetings:invitation": PERSONAL_LINK,
    # Until the minutes are published there is nothing to show, whoever asks
    # (tested with published minutes in tests/meetings/).
    "meetings:invitation_minutes": roles(404, 404, 404, 404, 404, 404),
    "meetings:invitation_material": PERSONAL_LINK,
    "meetings:invitation_calendar": PERSONAL_LINK,
    # Accounts (django-allauth)
    "account_login": SIGNED_OUT_ONLY,
    "account_signup": SIGNED_OUT_ONLY,
    "account_request_login_code": SIGNED_OUT_ONLY,
    # Without a code requested first there is nothing to confirm.
    "account_confirm_login_code": roles(*["redirect"] * 6),
    "account_logout": roles("redirect", 200, 200, 200, 200, 200),
    "account_inactive": PUBLIC,
    "account_reauthenticate": SIGNED_IN,
    "account_request_reauthentication_code": SIGNED_IN,
    "account_confirm_reauthentication_code": roles("login", *["redirect"] * 5),
    "account_email": SIGNED_IN,
    "account_email_verification_sent": roles("login", *["redirect"] * 5),
    "account_change_password": SIGNED_IN,
    "account_set_password": roles("login", *["redirect"] * 5),
    "account_reset_password": PUBLIC,
    "account_reset_password_done": PUBLIC,
    # A made-up key: the "bad link" page, for everyone.
    "account_reset_password_from_key": PUBLIC,
    "account_reset_password_from_key_done": PUBLIC,
    # Staff only
    "admin:index": STAFF,
    "outbox_list": STAFF,
    "outbox_detail": STAFF,
}

# POST where it differs from GET's refusal: staff-only actions on a chapter
# page that its organisers can open.
POST_EXPECTED = {
    "chapters:organiser_grant": {"organiser": "403"},
    "chapters:organiser_revoke": {"organiser": "403"},
}

REFUSALS = {"login", "admin_login", "403", "404"}


@pytest.fixture
def world(settings):
    world = build_world()
    # The staff outbox answers only when mail goes to the outbox folder.
    settings.MAILERS = {"default": {"BACKEND": "config.outbox.OutboxEmailBackend"}}
    settings.OUTBOX_DIR.mkdir(parents=True, exist_ok=True)
    (settings.OUTBOX_DIR / world.kwargs["outbox_detail"]["name"]).write_bytes(
        b"To: someone@example.org\nSubject: Hello\n\nBody\n"
    )
    return world


@pytest.fixture
def clients(world):
    made = {}
    for role in ROLES:
        client = Client(raise_request_exception=False)
        if world.users[role] is not None:
            client.force_login(world.users[role])
        made[role] = client
    return made


def _request(client, method: str, url: str) -> str:
    # Personal-link pages count lookups per address; each request here is
    # one person's first look.
    cache.clear()
    return outcome(getattr(client, method)(url))


def _concrete_routes(world):
    routes, problems = [], []
    for route in project_routes():
        if route.name not in EXPECTED:
            problems.append(
                f"{route.name or route.route}: no entry in EXPECTED. Add it to "
                "tests/security/test_permission_matrix.py with the outcome for "
                "each role (and its URL arguments to tests/security/world.py)."
            )
            continue
        try:
            urls = route_urls(route, world.kwargs.get(route.name))
        except Exception as error:  # NoReverseMatch and the like
            problems.append(
                f"{route.name}: cannot build its URL ({error}); add its arguments "
                "to World.kwargs in tests/security/world.py."
            )
            continue
        routes.append((route, urls))
    return routes, problems


def test_every_url_has_an_expected_outcome_for_every_role(world):
    _routes, problems = _concrete_routes(world)
    defined = {route.name for route in project_routes()}
    problems += [
        f"{name}: in EXPECTED but no longer defined; remove it."
        for name in sorted(set(EXPECTED) - defined)
    ]
    assert not problems, "\n".join(problems)


def test_every_role_gets_the_expected_answer_at_every_url(world, clients):
    routes, _problems = _concrete_routes(world)
    wrong = []
    for route, urls in routes:
        for role in ROLES:
            expected = EXPECTED[route.name][role]
            for url in urls:
                got = _request(clients[role], "get", url)
                if got != expected:
                    wrong.append(f"GET {url} as {role}: {got}, expected {expected}")
    assert not wrong, "\n".join(wrong)
    assert len(routes) >= len(EXPECTED) - 1


def test_a_refused_role_is_refused_a_post_too(world, clients):
    routes, _problems = _concrete_routes(world)
    wrong = []
    checked = 0
    for route, urls in routes:
        overrides = POST_EXPECTED.get(route.name, {})
        for role in ROLES:
            expected = overrides.get(role, EXPECTED[route.name][role])
            if expected not in REFUSALS:
                continue
            for url in urls:
                checked += 1
                got = _request(clients[role], "post", url)
                if got != expected:
                    wrong.append(f"POST {url} as {role}: {got}, expected {expected}")
    assert not wrong, "\n".join(wrong)
    assert checked > 300


def test_post_only_views_refuse_get_with_405(world, clients):
    post_only = [name for name, row in EXPECTED.items() if "405" in row.values()]
    assert len(post_only) >= 8
    for route, urls in _concrete_routes(world)[0]:
        if route.name in post_only:
            allowed = [r for r, o in EXPECTED[route.name].items() if o == "405"]
            for url in urls:
                for role in allowed:
                    assert _request(clients[role], "get", url) == "405", url


TOKEN_ROUTES = {
    "chapters:invitation": "token",
    "members:opt_out": "token",
    "members:membership_answer": "token",
    "members:membership_withdraw": "token",
    "meetings:invitation": "token",
    "meetings:invitation_material": "token",
    "meetings:invitation_minutes": "token",
    "meetings:invitation_calendar": "token",
}


def _normalised(response, token: str) -> str:
    """The page without what differs on every response (CSRF token, CSP
    nonce) and without the address asked for (in the language links)."""
    body = response.content.decode().replace(token, "TOKEN")
    body = re.sub(r'value="[A-Za-z0-9]{32,}"', 'value=""', body)
    return re.sub(r'nonce="[^"]*"', 'nonce=""', body)


@pytest.mark.parametrize("name", sorted(TOKEN_ROUTES))
def test_a_forged_token_gets_the_same_page_as_a_garbage_one(world, clients, name):
    """A token of the right length and alphabet teaches an attacker nothing
    a random string would not: same status, same page."""
    from django.urls import reverse

    from chapters.tokens import token_new

    kwargs = dict(world.kwargs[name])
    pages = []
    for token in ("garbage", token_new()[0], "x" * 43):
        kwargs[TOKEN_ROUTES[name]] = token
        cache.clear()
        response = clients["other_representative"].get(
            reverse(name, kwargs=kwargs), HTTP_ACCEPT_LANGUAGE="en"
        )
        pages.append((response.status_code, _normalised(response, token)))
    assert pages[0][0] == 404
    assert pages[0] == pages[1] == pages[2]


def test_the_tables_name_only_known_roles():
    for name, row in EXPECTED.items():
        assert set(row) == set(ROLES), name
    for name, row in POST_EXPECTED.items():
        assert set(row) <= set(ROLES), name
