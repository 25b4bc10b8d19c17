"""Load test: a mixed workload on gunicorn and PostgreSQL with a realistic
data set, at a few concurrency steps.

    .venv/bin/python bench/load.py
    .venv/bin/python bench/load.py --steps 10,20,40,80 --seconds 60 --workers 4

What it does, stopping everything it started at the end:

1. creates the database `cld_load` on the shared PostgreSQL server
   (BENCH_POSTGRES, default postgres://postgres@127.0.0.1:5432), migrates it
   and seeds it with bench/seed_load.py (50 chapters, 5,000 organisations,
   20,000 invitations with their personal links);
2. serves the portal with gunicorn (production settings, DEBUG off, several
   workers, the Redis cache of REDIS_URL, default redis://127.0.0.1:6379/0);
3. for each step (until one misses the target), runs locust (`locust --headless`, this very file as the
   locustfile) for SECONDS with that many simulated people:
   - visitors: home, directory and country pages in Arabic and English, and
     the open-data API;
   - invitees: their invitation page through their personal link, now and
     then an answer;
   - organisers: signed in once through the real sign-in form, then the
     chapter overview, the outreach list, the meetings and a meeting page;
   - one person sending the public interest form every 2 s, each time from
     another address (the honeypot left empty);
   every simulated person has its own loopback source address (127.x.y.z),
   so the per-address limits count them apart as they would real visitors;
4. prints requests, failures, server errors, p50/p95/p99 per step and per
   page, checks that every interest form the portal accepted (redirect to
   the thank-you page) is in the database, and prints the highest step
   that kept p95 under 200 ms with no server error;
5. checks that X-Forwarded-For does not get around the interest form's
   limit (the portal must not trust it);
6. drops the database (--keep to keep it).
"""

import json
import os
import random
import re
import time
from pathlib import Path

P95_TARGET_MS = 200.0


def behind_tls_proxy(session) -> None:
    """Make a requests session look like traffic that came through the
    TLS-terminating reverse proxy of production: the proxy's
    X-Forwarded-Proto header, and the Secure cookies (session, CSRF) kept
    and sent back although this loopback hop is plain HTTP."""
    from requests.cookies import RequestsCookieJar

    class LoopbackJar(RequestsCookieJar):
        def set_cookie(self, cookie, *args, **kwargs):
            cookie.secure = False
            return super().set_cookie(cookie, *args, **kwargs)

    session.cookies = LoopbackJar()
    session.headers["X-Forwarded-Proto"] = "https"


def referer(host: str, path: str) -> str:
    """The Referer a browser sends over HTTPS (Django's CSRF check wants it)."""
    return "https://" + host.split("://", 1)[1] + path


# -- The locustfile part: loaded by `locust -f bench/load.py` -----------------

if os.environ.get("LOAD_LOCUSTFILE") == "1":
    import itertools

    from locust import HttpUser, between, constant_pacing, events, task
    from requests.adapters import HTTPAdapter

    MANIFEST = json.loads(Path(os.environ["LOAD_MANIFEST"]).read_text())
    TOKENS = [
        line.split() for line in Path(os.environ["LOAD_TOKENS"]).read_text().split("\n")
    ]
    TOKENS = [pair for pair in TOKENS if len(pair) == 2]
    OCTET = int(os.environ.get("LOAD_IP_OCTET", "10"))
    RUN = os.environ.get("LOAD_RUN", "run")
    ADDRESSES = itertools.count(2)
    CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
    TIMES: dict[str, list[float]] = {}
    STATUS: dict[str, int] = {}
    INTEREST = {"accepted": 0, "rate_limited": 0, "other": 0}
    ACCEPTED = open(os.environ["LOAD_ACCEPTED"], "a", buffering=1)  # noqa: SIM115

    class SourceAddressAdapter(HTTPAdapter):
        def __init__(self, address: str):
            self.address = address
            super().__init__(pool_connections=1, pool_maxsize=1)

        def init_poolmanager(self, *args, **kwargs):
            kwargs["source_address"] = (self.address, 0)
            super().init_poolmanager(*args, **kwargs)

    def next_address() -> str:
        number = next(ADDRESSES)
        return f"127.{OCTET}.{number // 250 % 250}.{number % 250 + 2}"

    @events.request.add_listener
    def record(request_type, name, response_time, response, exception, **kwargs):
        TIMES.setdefault(name, []).append(response_time)
        status = "error" if response is None else str(response.status_code)
        if exception is not None and (response is None or not response.status_code):
            status = f"exception {type(exception).__name__}"
        STATUS[status] = STATUS.get(status, 0) + 1

    @events.quitting.add_listener
    def write_results(environment, **kwargs):
        Path(os.environ["LOAD_RESULTS"]).write_text(
            json.dumps({"times": TIMES, "status": STATUS, "interest": INTEREST})
        )
        ACCEPTED.close()

    class Person(HttpUser):
        abstract = True

        def on_start(self):
            self.client.mount("http://", SourceAddressAdapter(next_address()))
            behind_tls_proxy(self.client)

        def fetch(self, path: str, name: str, expect=(200,), **kwargs):
            with self.client.get(
                path, name=name, catch_response=True, allow_redirects=False, **kwargs
            ) as response:
                if response.status_code in expect:
                    response.success()
                else:
                    response.failure(f"{response.status_code} for {path}")
                return response

    class Visitor(Person):
        """Someone reading the public pages, or a program reading the API."""

        weight = 6
        wait_time = between(0.5, 1.5)

        def language(self) -> str:
            return random.choice(("ar", "en"))

        def country(self) -> str:
            return random.choice(MANIFEST["chapters"])

        @task(2)
        def home(self):
            self.fetch(f"/{self.language()}/", "/[lang]/")

        @task(2)
        def directory(self):
            self.fetch(f"/{self.language()}/countries/", "/[lang]/countries/")

        @task(5)
        def country_page(self):
            self.fetch(
                f"/{self.language()}/countries/{self.country()}/",
                "/[lang]/countries/[iso2]/",
                headers={"Accept-Encoding": "gzip"},
            )

        @task(1)
        def api_list(self):
            self.fetch("/api/v1/countries/", "/api/v1/countries/")

        @task(2)
        def api_country(self):
            self.fetch(
                f"/api/v1/countries/{self.country()}/", "/api/v1/countries/[iso2]/"
            )

    class Invitee(Person):
        """A representative opening their invitation through the personal
        link from the e-mail; one visit in five answers it."""

        weight = 2
        wait_time = between(2, 4)

        def on_start(self):
            super().on_start()
            self.language, self.token = random.choice(TOKENS)

        @task
        def invitation(self):
            path = f"/{self.language}/invitation/{self.token}/"
            response = self.fetch(path, "/[lang]/invitation/[token]/")
            if response.status_code != 200 or random.random() > 0.2:
                return
            match = CSRF.search(response.text)
            if not match:
                return
            with self.client.post(
                path,
                {
                    "csrfmiddlewaretoken": match.group(1),
                    "answer": random.choice(("accept", "decline")),
                    "attendees": "Two people",
                    "needs": "",
                    "note": "",
                },
                headers={"Referer": referer(self.host, path)},
                name="/[lang]/invitation/[token]/ (answer)",
                catch_response=True,
                allow_redirects=False,
            ) as answer:
                if answer.status_code == 302:
                    answer.success()
                else:
                    answer.failure(f"answer: {answer.status_code}")

    class Organiser(Person):
        """A chapter organiser, signed in once through the sign-in form."""

        weight = 1
        wait_time = between(1, 3)

        def on_start(self):
            super().on_start()
            organiser = random.choice(MANIFEST["organisers"])
            self.iso2 = organiser["iso2"]
            self.meetings = organiser["meetings"]
            login = "/en/accounts/login/"
            page = self.fetch(login, "/[lang]/accounts/login/")
            match = CSRF.search(page.text)
            with self.client.post(
                login,
                {
                    "csrfmiddlewaretoken": match.group(1) if match else "",
                    "login": organiser["email"],
                    "password": MANIFEST["password"],
                },
                headers={"Referer": referer(self.host, login)},
                name="/[lang]/accounts/login/ (sign in)",
                catch_response=True,
                allow_redirects=False,
            ) as response:
                if response.status_code == 302 and "sessionid" in self.client.cookies:
                    response.success()
                else:
                    response.failure(f"sign-in: {response.status_code}")

        def language(self) -> str:
            return random.choice(("ar", "en"))

        @task(2)
        def overview(self):
            self.fetch(
                f"/{self.language()}/manage/{self.iso2}/", "/[lang]/manage/[iso2]/"
            )

        @task(3)
        def outreach(self):
            self.fetch(
                f"/{self.language()}/manage/{self.iso2}/outreach/",
                "/[lang]/manage/[iso2]/outreach/",
            )

        @task(2)
        def meetings(self):
            self.fetch(
                f"/{self.language()}/manage/{self.iso2}/meetings/",
                "/[lang]/manage/[iso2]/meetings/",
            )

        @task(3)
        def meeting(self):
            self.fetch(
                f"/{self.language()}/manage/{self.iso2}/meetings/"
                f"{random.choice(self.meetings)}/",
                "/[lang]/manage/[iso2]/meetings/[id]/",
            )

    class InterestSender(Person):
        """The public interest form at a steady rate (one every 2 s), each
        time from another address, as different visitors would send it."""

        fixed_count = 1
        wait_time = constant_pacing(2)
        sent = itertools.count(1)

        @task
        def send(self):
            self.client.mount("http://", SourceAddressAdapter(next_address()))
            self.client.cookies.clear()
            language = random.choice(("ar", "en"))
            iso2 = random.choice(MANIFEST["chapters"])
            path = f"/{language}/countries/{iso2}/interest/"
            page = self.fetch(path, "/[lang]/countries/[iso2]/interest/")
            match = CSRF.search(page.text)
            number = next(self.sent)
            name = (
                f"منظمة اختبار الحمل {RUN} {number}"
                if language == "ar"
                else f"Load test organisation {RUN} {number}"
            )
            with self.client.post(
                path,
                {
                    "csrfmiddlewaretoken": match.group(1) if match else "",
                    "organisation_name": name,
                    "kind": "cbo",
                    "contact_name": "Test person",
                    "email": f"interest{number}.{RUN}@load.example",
                    "message": "We work with villages on water and schools.",
                    "homepage": "",
                },
                headers={"Referer": referer(self.host, path)},
                name="/[lang]/countries/[iso2]/interest/ (send)",
                catch_response=True,
                allow_redirects=False,
            ) as response:
                if response.status_code == 302 and "/interest/thanks/" in (
                    response.headers.get("Location", "")
                ):
                    INTEREST["accepted"] += 1
                    ACCEPTED.write(f"{language}\t{name}\n")
                    response.success()
                elif response.status_code == 429:
                    # Refused with the text kept on the page: not lost, the
                    # person is told to try later.
                    INTEREST["rate_limited"] += 1
                    response.success()
                else:
                    INTEREST["other"] += 1
                    response.failure(f"interest form: {response.status_code}")


# -- The orchestrator -----------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * len(ordered) + 0.5) - 1))
    return ordered[index]


def summarise(results: dict) -> dict:
    times = [value for series in results["times"].values() for value in series]
    server_errors = sum(
        count
        for status, count in results["status"].items()
        if status.isdigit() and int(status) >= 500
    )
    exceptions = sum(
        count for status, count in results["status"].items() if not status.isdigit()
    )
    return {
        "requests": len(times),
        "server_errors": server_errors,
        "exceptions": exceptions,
        "p50": percentile(times, 0.50),
        "p95": percentile(times, 0.95),
        "p99": percentile(times, 0.99),
    }


def run_step(*, users: int, seconds: int, host: str, work: Path, env: dict) -> dict:
    import subprocess

    from bench.common import BIN, ROOT

    results = work / f"results-{users}.json"
    step_env = dict(env)
    step_env.update(
        LOAD_LOCUSTFILE="1",
        LOAD_RESULTS=str(results),
        LOAD_IP_OCTET=str(random.randint(20, 250)),
        LOAD_RUN=f"{int(time.time())}-{users}",
    )
    process = subprocess.Popen(
        [
            str(BIN / "locust"),
            "-f",
            str(Path(__file__).resolve()),
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(max(1, users // 2)),
            "--run-time",
            f"{seconds}s",
            "--host",
            host,
            "--only-summary",
            "--loglevel",
            "ERROR",
            "--stop-timeout",
            "5",
        ],
        cwd=ROOT,
        env=step_env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=open(work / f"locust-{users}.log", "w"),  # noqa: SIM115
    )
    try:
        process.wait(timeout=seconds + 60)
    finally:
        from bench.common import stop_group

        stop_group(process)
    if not results.exists():
        raise SystemExit(f"locust wrote no results; see {work}/locust-{users}.log")
    data = json.loads(results.read_text())
    data["summary"] = summarise(data)
    return data


def print_step(users: int, data: dict, *, detail: bool) -> None:
    s = data["summary"]
    statuses = ", ".join(f"{k}: {v}" for k, v in sorted(data["status"].items()))
    interest = data["interest"]
    print(
        f"{users:>4} users: {s['requests']} requests, "
        f"{s['server_errors']} server errors, {s['exceptions']} connection errors, "
        f"p50 {s['p50']:.0f} ms, p95 {s['p95']:.0f} ms, p99 {s['p99']:.0f} ms "
        f"({s['requests'] / data['seconds']:.1f} requests/s)"
    )
    print(f"      statuses: {statuses}")
    print(
        f"      interest form: {interest['accepted']} accepted, "
        f"{interest['rate_limited']} rate limited (not lost: the sender is told), "
        f"{interest['other']} other"
    )
    if detail:
        for name, series in sorted(data["times"].items()):
            print(
                f"      {name:<46} {len(series):>6}  p50 {percentile(series, 0.5):5.0f}"
                f"  p95 {percentile(series, 0.95):5.0f}  p99 {percentile(series, 0.99):5.0f} ms"
            )


def forwarded_for_check(base: str, chapter: str) -> tuple[bool, list[int]]:
    """Six interest forms from one new address, each claiming another
    X-Forwarded-For: the sixth must be refused (limit: 5 an hour)."""
    import requests
    from requests.adapters import HTTPAdapter

    class Source(HTTPAdapter):
        def init_poolmanager(self, *args, **kwargs):
            kwargs["source_address"] = (f"127.{random.randint(20, 250)}.251.9", 0)
            super().init_poolmanager(*args, **kwargs)

    session = requests.Session()
    session.mount("http://", Source())
    behind_tls_proxy(session)
    path = f"{base}/en/countries/{chapter}/interest/"
    statuses = []
    for number in range(6):
        page = session.get(path, timeout=10)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        response = session.post(
            path,
            {
                "csrfmiddlewaretoken": token.group(1) if token else "",
                "organisation_name": f"Forwarded check {time.time()} {number}",
                "kind": "cbo",
                "contact_name": "Test",
                "email": f"forwarded{number}@load.example",
                "homepage": "",
            },
            headers={
                "X-Forwarded-For": f"203.0.113.{number + 1}",
                "Referer": referer(base, path[len(base) :]),
            },
            allow_redirects=False,
            timeout=10,
        )
        statuses.append(response.status_code)
    return statuses[-1] == 429 and all(s == 302 for s in statuses[:5]), statuses


def warm_up(base: str, chapters: list[str]) -> float:
    """Every public page once per language, as a site that has been running
    for a while has them in its cache; returns the seconds it took."""
    import requests

    began = time.monotonic()
    session = requests.Session()
    paths = ["/api/v1/countries/"]
    for language in ("ar", "en"):
        paths += [f"/{language}/", f"/{language}/countries/"]
        paths += [f"/{language}/countries/{iso2}/" for iso2 in chapters]
    paths += [f"/api/v1/countries/{iso2}/" for iso2 in chapters]
    for path in paths:
        session.get(base + path, timeout=30, headers={"X-Forwarded-Proto": "https"})
    return time.monotonic() - began


def accepted_in_database(database_url: str, accepted: list[tuple[str, str]]) -> int:
    """How many of the accepted submissions have their organisation, its
    contact person and its place on the outreach list in the database."""
    import psycopg2

    names_ar = [name for language, name in accepted if language == "ar"]
    names_en = [name for language, name in accepted if language == "en"]
    with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(DISTINCT o.id) FROM members_organisation o "
            "JOIN members_prospect p ON p.organisation_id = o.id "
            "JOIN members_representative r ON r.organisation_id = o.id "
            "WHERE p.source = 'interest_form' "
            "AND (o.name_ar = ANY(%s) OR o.name_en = ANY(%s))",
            [names_ar, names_en],
        )
        return cursor.fetchone()[0]


def main() -> None:
    import argparse
    import platform
    import shutil
    import sys
    import tempfile

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from bench.common import (
        Gunicorn,
        collectstatic,
        database_create,
        database_drop,
        free_port,
        manage,
        portal_environment,
    )

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", default="10,20,40,80")
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--database", default="cld_load")
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
    )
    parser.add_argument("--keep", action="store_true", help="keep the database")
    args = parser.parse_args()
    steps = [int(step) for step in args.steps.split(",")]

    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="cld-load-"))
    port = free_port()
    server = None
    results = {}
    try:
        database_url = database_create(args.database)
        env = portal_environment(
            database_url=database_url, port=port, REDIS_URL=args.redis_url
        )
        began = time.monotonic()
        manage(env, "migrate", "--noinput", "-v", "0")
        from subprocess import run

        run(
            [sys.executable, "bench/seed_load.py", "--out", str(work), "--no-migrate"],
            cwd=Path(__file__).resolve().parent.parent,
            env=env,
            check=True,
            timeout=600,
        )
        print(f"database ready in {time.monotonic() - began:.0f} s")
        collectstatic(env)
        server = Gunicorn(env, port, workers=args.workers)
        server.wait_until_up()
        manifest = json.loads((work / "manifest.json").read_text())
        print(f"warm-up: {warm_up(server.url, manifest['chapters']):.1f} s")
        accepted_file = work / "accepted.tsv"
        locust_env = dict(
            env,
            LOAD_MANIFEST=str(work / "manifest.json"),
            LOAD_TOKENS=str(work / "tokens.txt"),
            LOAD_ACCEPTED=str(accepted_file),
        )
        print(
            f"gunicorn: {args.workers} workers, production settings, Redis cache; "
            f"{args.seconds} s per step; machine: {os.cpu_count()} cores, "
            f"Python {platform.python_version()}"
        )
        for users in steps:
            data = run_step(
                users=users,
                seconds=args.seconds,
                host=server.url,
                work=work,
                env=locust_env,
            )
            data["seconds"] = args.seconds
            results[users] = data
            print_step(users, data, detail=True)
            summary = data["summary"]
            if summary["p95"] >= P95_TARGET_MS or summary["server_errors"]:
                print("      target missed: no higher step")
                break

        trusted_ok, statuses = forwarded_for_check(server.url, manifest["chapters"][0])
        accepted = [
            tuple(line.split("\t", 1))
            for line in accepted_file.read_text().splitlines()
            if "\t" in line
        ]
        found = accepted_in_database(database_url, accepted)

        good = [
            users
            for users, data in results.items()
            if data["summary"]["p95"] < P95_TARGET_MS
            and data["summary"]["server_errors"] == 0
            and data["summary"]["exceptions"] == 0
        ]
        print()
        print(
            f"accepted interest forms: {len(accepted)}; found in the database "
            f"with their contact and outreach entry: {found} "
            f"({'nothing lost' if found == len(accepted) else 'LOST SOME'})"
        )
        print(
            "X-Forwarded-For is "
            + (
                "not trusted (the 6th form from one address was refused)"
                if trusted_ok
                else f"TRUSTED or the limit misbehaves: statuses {statuses}"
            )
        )
        if good:
            print(
                f"highest concurrency with p95 < {P95_TARGET_MS:.0f} ms and no "
                f"server error: {max(good)} users"
            )
        else:
            print(f"no step kept p95 < {P95_TARGET_MS:.0f} ms without server errors")
        print(f"total time {time.monotonic() - started:.0f} s")
        ok = found == len(accepted) and trusted_ok and bool(good)
        print("PASS" if ok else "FAIL")
    finally:
        if server is not None:
            server.stop()
        if not args.keep:
            database_drop(args.database)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
