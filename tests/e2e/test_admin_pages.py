"""Staff open the change page of one object of every model in the admin, and
every changelist, in Arabic and English, in a real browser under the
portal's Content-Security-Policy: no page may log a console error (a
refused script or style is one) or throw."""

import datetime

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from chapters.demo import STAFF_EMAIL
from meetings.models import DefaultAgendaItem
from tests.e2e.session import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _one_of_each():
    """One object of every registered model; the few the demo does not make
    (a group, a row of the database task queue) are made here."""
    if not Group.objects.exists():
        Group.objects.create(name="Editors")
    # Seeded by a data migration, which a transactional test before this
    # one may have flushed.
    if not DefaultAgendaItem.objects.exists():
        DefaultAgendaItem.objects.create(title_ar="الترحيب", title_en="Welcome")
    objects = {}
    for model in admin.site._registry:
        tasks = model._meta.label == "django_tasks_database.DBTaskResult"
        if tasks and not model.objects.exists():
            model.objects.create(
                args_kwargs={"args": [], "kwargs": {}},
                task_path="chapters.tasks.example",
                queue_name="default",
                backend_name="default",
                run_after=timezone.now() + datetime.timedelta(days=1),
            )
        obj = model._default_manager.order_by("pk").first()
        assert obj is not None, f"the demo has no {model._meta.label}"
        objects[model] = obj
    return objects


def _problems_of(page):
    """Console errors (a script or style the CSP refused is one) and
    uncaught exceptions. The browser's own request for /favicon.ico, which
    the portal has none of, is no page's fault."""
    problems = []

    def console(message):
        favicon = message.location.get("url", "").endswith("/favicon.ico")
        if message.type == "error" and not favicon:
            problems.append(f"console: {message.text} {message.location}")

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(f"pageerror: {error}"))
    return problems


@pytest.mark.parametrize("language", ["ar", "en"])
def test_every_admin_page_opens_without_an_error_under_the_csp(
    page, live_server, settings, language
):
    settings.MAILERS = {"default": {"BACKEND": "config.outbox.OutboxEmailBackend"}}
    settings.OUTBOX_DIR.mkdir(parents=True, exist_ok=True)
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    staff = get_user_model().objects.get(email=STAFF_EMAIL)
    assert staff.is_staff and staff.is_superuser
    sign_in(page.context, staff, live_server)
    problems = _problems_of(page)

    opened = []
    with translation.override(language):
        urls = [reverse("admin:index")]
        for model, obj in _one_of_each().items():
            info = (model._meta.app_label, model._meta.model_name)
            urls.append(reverse("admin:{}_{}_changelist".format(*info)))
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
    for url in urls:
        before = len(problems)
        response = page.goto(url)
        assert response.status == 200, url
        assert page.locator("html").get_attribute("lang") == language, url
        # Let deferred scripts run before the next page replaces this one.
        page.wait_for_load_state("load")
        problems[before:] = [f"{url} {problem}" for problem in problems[before:]]
        opened.append(url)

    assert problems == []
    # Index, then a changelist and a change page per registered model.
    assert len(opened) == 1 + 2 * len(admin.site._registry)
