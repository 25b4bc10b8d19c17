"""Regenerate the README's phone screenshots in one command: `make screenshots`
(or `.venv/bin/python docs/screenshots/make_screenshots.py [--out DIR]`).

It builds the demo from nothing in a temporary folder (a fresh SQLite file,
`migrate`, `seed_demo`), serves it with Django's development server on a free
port of 127.0.0.1, and photographs four pages in Arabic and in English with
Playwright driving Debian's chromium (`apt-get install chromium`; another
binary with CHROMIUM_PATH): the public country page, the organiser's
dashboard and meeting page (signed in through the sign-in form as the demo
organiser), and an invitation page opened by a personal link, as the invitee
sees it. The eight PNGs (360x740, a phone's viewport at device scale 1) are
written beside this file. Nothing else is written to the working tree, and
the temporary folder goes at the end, so the command can be run again at any
time, whatever DATABASE_URL or the demo's own var/ folder hold.

The personal link is minted with the service the test suite uses
(`invitation_link_new`): the portal keeps only digests of tokens, so the
seeded invitations' own links cannot be read back, and minting one sends
no e-mail.
"""

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
OUT = Path(__file__).resolve().parent
VIEWPORT = {"width": 360, "height": 740}
LANGUAGES = ("ar", "en")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# Server start, sign-in and each page: generous for a slow CI machine.
TIMEOUT_S = 60


class PageFailed(Exception):
    """A page to photograph did not open as it should."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def demo_environment(var_dir: Path, site_url: str) -> dict[str, str]:
    """The settings of `make run`'s demo, pointed at a throwaway folder:
    whatever the caller's shell sets for a real database, cache or mail
    server is dropped, and tasks run at once (no worker is started)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DATABASE_URL", "REDIS_URL", "EMAIL_URL", "PORTAL_MEDIA_ROOT"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        PORTAL_VAR_DIR=str(var_dir),
        DATABASE_URL=f"sqlite:///{var_dir / 'db.sqlite3'}",
        PORTAL_SITE_URL=site_url,
        TASK_BACKEND="django.tasks.backends.immediate.ImmediateBackend",
        PYTHONUNBUFFERED="1",
    )
    return env


def seed(env: dict[str, str]) -> dict[str, str]:
    """Migrate, seed the demo and mint a personal link, in a child process
    (so this one never imports Django's settings). Returns the paths to
    photograph, with {lang} where the language goes, and the demo
    organiser's e-mail and password."""
    code = """
import django
django.setup()
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from chapters.demo import DEMO_PASSWORD, ORGANISER_EMAIL
from meetings.models import Invitation, Meeting
from meetings.services.invitations import invitation_link_new

call_command("migrate", interactive=False, verbosity=0)
call_command("seed_demo", stdout=open(__import__("os").devnull, "w"))
meeting = Meeting.objects.get(
    kind="exploratory", status="open", chapter__country="JO"
)
invitation = meeting.invitations.filter(status=Invitation.Status.SENT).first()
token = invitation_link_new(invitation=invitation, channel="email")
with translation.override("en"):
    paths = {
        "country": reverse("chapters:country", args=["jo"]),
        "dashboard": reverse("chapters:manage", args=["jo"]),
        "meeting": reverse("meetings:detail", args=["jo", meeting.pk]),
        "invitation": reverse("meetings:invitation", args=[token]),
    }
for name, path in paths.items():
    print(name, path.replace("/en/", "/{lang}/", 1))
print("email", ORGANISER_EMAIL)
print("password", DEMO_PASSWORD)
"""
    done = subprocess.run(  # noqa: S603 - our own interpreter, fixed code
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode:
        sys.exit(f"Seeding the demo failed:\n{done.stdout}\n{done.stderr}")
    return dict(line.split(" ", 1) for line in done.stdout.splitlines() if line)


def wait_until_up(url: str, server: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"The server stopped:\n{log.read_text()}")
        try:
            health = url + "/healthz"  # http://127.0.0.1:<port>, built above
            with urllib.request.urlopen(health, timeout=5) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    sys.exit(f"The server did not answer in {TIMEOUT_S} s:\n{log.read_text()}")


def photograph(site: str, demo: dict[str, str], chromium: str, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium, args=CHROMIUM_ARGS
        )
        try:
            for lang in LANGUAGES:
                options = {
                    "viewport": VIEWPORT,
                    "device_scale_factor": 1,
                    "locale": lang,
                    "reduced_motion": "reduce",
                }
                visitor = browser.new_context(**options)
                organiser = browser.new_context(**options)
                for context in (visitor, organiser):
                    context.set_default_timeout(TIMEOUT_S * 1000)
                sign_in(organiser, site, lang, demo["email"], demo["password"])
                for name, context in (
                    ("country", visitor),
                    ("dashboard", organiser),
                    ("meeting", organiser),
                    ("invitation", visitor),
                ):
                    target = out / f"{name}-{lang}.png"
                    shoot(context, site + demo[name].format(lang=lang), target)
                    written.append(target)
                visitor.close()
                organiser.close()
        finally:
            browser.close()
    return written


def sign_in(context, site: str, lang: str, email: str, password: str) -> None:
    page = context.new_page()
    page.goto(f"{site}/{lang}/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", password)
    with page.expect_navigation():
        page.locator("form:has(input[name=password]) [type=submit]").first.click()
    if "/accounts/login/" in page.url:
        raise PageFailed(f"Signing in as {email} failed; still on {page.url}")
    page.close()


def shoot(context, url: str, target: Path) -> None:
    page = context.new_page()
    answer = page.goto(url, wait_until="networkidle")
    if answer is None or answer.status != 200:
        raise PageFailed(f"{url} answered {answer and answer.status}")
    page.evaluate("document.fonts.ready")
    # The screen as a phone first shows it. A page wider than the screen (it
    # should not be, but this is a photograph, not a test) starts at its
    # right edge in Arabic, where Playwright's capture of the viewport would
    # take the left edge: clip the whole page at the right place instead.
    start = page.evaluate(
        """() => {
            const root = document.scrollingElement;
            const rtl = getComputedStyle(root).direction === "rtl";
            return rtl ? root.scrollWidth - root.clientWidth : 0;
        }"""
    )
    page.screenshot(
        path=target,
        full_page=True,
        clip={"x": start, "y": 0, **VIEWPORT},
        animations="disabled",
        caret="hide",
    )
    page.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--out", type=Path, default=OUT, help="folder for the PNGs (default: here)"
    )
    out = parser.parse_args().out.resolve()
    out.mkdir(parents=True, exist_ok=True)
    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    if not chromium:
        sys.exit("chromium is needed: apt-get install chromium (or set CHROMIUM_PATH)")
    started = time.monotonic()
    port = free_port()
    site = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory(prefix="portal-screenshots-") as tmp:
        var_dir = Path(tmp)
        env = demo_environment(var_dir, site)
        demo = seed(env)
        log = var_dir / "server.log"
        with log.open("w") as log_file:
            server = subprocess.Popen(  # noqa: S603 - our own interpreter
                [
                    sys.executable,
                    "manage.py",
                    "runserver",
                    "--noreload",
                    f"127.0.0.1:{port}",
                ],
                cwd=ROOT,
                env=env,
                stdout=log_file,
                stderr=subprocess.STDOUT,
            )
        try:
            wait_until_up(site, server, log)
            written = photograph(site, demo, chromium, out)
        except PageFailed as failure:
            tail = "".join(log.read_text().splitlines(keepends=True)[-40:])
            sys.exit(f"{failure}\nThe end of the server's log:\n{tail}")
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
    for target in written:
        print(f"{target}  {target.stat().st_size // 1024} KB")
    print(f"{len(written)} screenshots in {time.monotonic() - started:.0f} s")


if __name__ == "__main__":
    main()
