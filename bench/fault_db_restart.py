"""Fault: PostgreSQL restarted in the middle of traffic.

    .venv/bin/python bench/fault_db_restart.py [--outage 4]

Starts a private, throw-away PostgreSQL cluster (Debian's initdb and pg_ctl,
in a temporary folder, on a free port: never the machine's own server),
seeds a small data set, serves the portal with gunicorn (production
settings, persistent connections with health checks) and sends steady
requests to /healthz and a country page from a few threads. In the middle it
stops the cluster (fast shutdown: every connection is cut), waits OUTAGE
seconds and starts it again, without touching gunicorn.

PASS when: no request hangs (none slower than --max-seconds), every
request during the gap fails cleanly (/healthz 503, pages 500 with the
portal's error page, no dropped connection), every request from shortly
after the restart succeeds, and gunicorn's master and workers are the same
processes before and after (the portal recovered by itself).
"""

import argparse
import http.client
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import (  # noqa: E402
    HOST,
    PYTHON,
    Gunicorn,
    PrivateCluster,
    collectstatic,
    free_port,
    manage,
    portal_environment,
    verdict,
)


def worker_pids(master: int) -> set[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    if children.exists():
        return {int(pid) for pid in children.read_text().split()}
    return set()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--outage", type=float, default=4.0)
    parser.add_argument("--before", type=float, default=5.0)
    parser.add_argument("--after", type=float, default=8.0)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--max-seconds", type=float, default=3.0)
    args = parser.parse_args()

    cluster = None
    server = None
    try:
        cluster = PrivateCluster()
        cluster.start()
        import psycopg2

        admin = psycopg2.connect(f"{cluster.url}/postgres")
        admin.autocommit = True
        with admin.cursor() as cursor:
            cursor.execute("CREATE DATABASE cld_fault")
        admin.close()
        port = free_port()
        env = portal_environment(database_url=f"{cluster.url}/cld_fault", port=port)
        manage(env, "migrate", "--noinput", "-v", "0")
        work = cluster.folder / "seed"
        subprocess.run(
            [
                PYTHON,
                "bench/seed_load.py",
                "--out",
                str(work),
                "--no-migrate",
                "--chapters",
                "2",
                "--organisations",
                "40",
                "--meetings-per-chapter",
                "1",
                "--invitations",
                "40",
            ],
            cwd=ROOT,
            env=env,
            check=True,
            timeout=120,
            stdout=subprocess.DEVNULL,
        )
        import json

        iso2 = json.loads((work / "manifest.json").read_text())["chapters"][0]
        page = f"/en/countries/{iso2}/"
        collectstatic(env)
        server = Gunicorn(env, port, workers=3, log=cluster.folder / "gunicorn.log")
        server.wait_until_up()
        master = server.process.pid
        workers_before = worker_pids(master)

        log: list[tuple[float, float, str, str]] = []
        lock = threading.Lock()
        stop = threading.Event()
        origin = time.monotonic()

        def client(number: int) -> None:
            paths = ["/healthz", page]
            count = 0
            while not stop.is_set() and count < 100_000:
                path = paths[(number + count) % 2]
                count += 1
                began = time.monotonic()
                try:
                    connection = http.client.HTTPConnection(HOST, port, timeout=20)
                    connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
                    response = connection.getresponse()
                    body = response.read()
                    connection.close()
                    outcome = str(response.status)
                    if response.status == 500 and b"<html" not in body.lower():
                        outcome = "500 without the error page"
                except OSError as error:
                    outcome = f"exception {type(error).__name__}"
                ended = time.monotonic()
                with lock:
                    log.append((began - origin, ended - origin, path, outcome))
                time.sleep(0.05)

        threads = [
            threading.Thread(target=client, args=(n,), daemon=True)
            for n in range(args.threads)
        ]
        for thread in threads:
            thread.start()
        time.sleep(args.before)
        down_at = time.monotonic() - origin
        cluster.stop("fast")
        time.sleep(args.outage)
        cluster.start()
        up_at = time.monotonic() - origin
        time.sleep(args.after)
        stop.set()
        for thread in threads:
            thread.join(30)
        workers_after = worker_pids(master)
        master_alive = server.process.poll() is None
    finally:
        if server is not None:
            server.stop()
        if cluster is not None:
            cluster.remove()

    before = [entry for entry in log if entry[1] < down_at]
    during = [entry for entry in log if down_at <= entry[0] and entry[1] <= up_at]
    failures = [entry for entry in log if entry[3] != "200"]
    first_failure = min((entry[0] for entry in failures), default=down_at)
    last_failure = max((entry[1] for entry in failures), default=down_at)
    recovered = [entry for entry in log if entry[0] > last_failure]
    settle = [entry for entry in log if entry[0] >= up_at + 1.0]
    slowest = max(entry[1] - entry[0] for entry in log)
    outcomes: dict[str, int] = {}
    for entry in failures:
        key = f"{entry[2]} -> {entry[3]}"
        outcomes[key] = outcomes.get(key, 0) + 1
    clean = {"503", "500"}
    print(
        f"requests: {len(log)} ({len(before)} before the stop, {len(during)} "
        f"while the database was down, {len(recovered)} after the last failure)"
    )
    print(
        f"database down for {up_at - down_at:.1f} s; portal answering errors for "
        f"{last_failure - first_failure:.1f} s (first failure at +{first_failure - down_at:.2f} s "
        f"after the stop, last one {last_failure - up_at:+.2f} s after the start)"
    )
    print(f"failures: {outcomes or 'none'}; slowest request {slowest:.2f} s")
    ok = verdict(
        [
            (
                "all answered before the restart",
                all(entry[3] == "200" for entry in before),
                f"{len(before)} requests",
            ),
            (
                "fails cleanly during the gap",
                bool(during) and all(entry[3] in clean | {"200"} for entry in during),
                f"{sum(1 for e in during if e[3] != '200')} of {len(during)} "
                "requests were 503 (/healthz) or 500 (page), no dropped connection",
            ),
            (
                "no failure other than 500/503",
                all(entry[3] in clean for entry in failures),
                f"{[e[3] for e in failures if e[3] not in clean][:3] or 'none'}",
            ),
            ("no hang", slowest < args.max_seconds, f"slowest {slowest:.2f} s"),
            (
                "recovers within 1 s of the restart",
                bool(settle) and all(entry[3] == "200" for entry in settle),
                f"{len(settle)} requests from 1 s after the start, all 200",
            ),
            (
                "without restarting gunicorn",
                master_alive and workers_before == workers_after,
                f"master alive, workers {sorted(workers_before)} unchanged",
            ),
        ]
    )
    raise SystemExit(0 if ok else 1)


if __name__ == "__main__":
    main()
