"""The W3C Nu HTML Checker (vnu.jar), run over many documents at once.

The checker is an independent judge of the HTML the portal serves and
mails: a template mistake that browsers forgive (a stray end tag, a
duplicate id, a `<time datetime>` with microseconds) is invisible when
testing by eye, and mail clients forgive less. `make validators` fetches
the published jar (Java 17+ runs it); without it the checks are skipped,
unless REQUIRE_VALIDATORS is set, as in CI, where its absence fails.

One Java process checks every document of a walk (the JVM's start costs
about a second; each page then a few milliseconds)."""

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings


def jar() -> Path:
    configured = os.environ.get("VNU_JAR")
    if configured:
        return Path(configured)
    return Path(settings.BASE_DIR) / "var" / "validators" / "vnu.jar"


def require() -> None:
    """Skip the calling test when the checker cannot run here, or fail it
    where the validators are required (CI)."""
    missing = []
    if not jar().is_file():
        missing.append(f"{jar()} (make validators)")
    if shutil.which("java") is None:
        missing.append("java (Debian: default-jre-headless)")
    if not missing:
        return
    reason = "The Nu HTML Checker cannot run: missing " + ", ".join(missing)
    if os.environ.get("REQUIRE_VALIDATORS"):
        pytest.fail(reason)
    pytest.skip(reason)


@dataclass(frozen=True)
class Finding:
    source: str  # the page's URL or the e-mail's name
    kind: str  # "error" or "warning"
    message: str
    extract: str = ""
    line: int = 0

    def __str__(self) -> str:
        where = f"{self.source}:{self.line}" if self.line else self.source
        extract = " ".join(self.extract.split())
        return f"{where}: {self.message}" + (f"\n    {extract}" if extract else "")


def check(documents: dict[str, str]) -> list[Finding]:
    """Check every document ({source: HTML}); the findings of each, errors
    and warnings (the checker's informative notes are left out)."""
    if not documents:
        return []
    with tempfile.TemporaryDirectory() as folder:
        sources = {}
        files = []
        for number, (source, html) in enumerate(documents.items()):
            path = Path(folder) / f"{number:05d}.html"
            path.write_text(html, encoding="utf-8")
            sources[path.resolve().as_uri().removeprefix("file://")] = source
            files.append(str(path))
        result = subprocess.run(  # noqa: S603 - the checker, fixed arguments
            [
                shutil.which("java") or "java",
                "-jar",
                str(jar()),
                "--format",
                "json",
                "--exit-zero-always",
                *files,
            ],
            capture_output=True,
            text=True,
            timeout=600,
            check=True,
        )
    report = json.loads(result.stderr or result.stdout)
    findings = []
    for message in report.get("messages", []):
        kind = message.get("type")
        if kind == "info" and message.get("subType") == "warning":
            kind = "warning"
        elif kind in ("error", "non-document-error"):
            kind = "error"
        else:
            continue
        url = message.get("url", "").removeprefix("file:").removeprefix("//")
        findings.append(
            Finding(
                source=sources.get(url, url),
                kind=kind,
                message=message.get("message", ""),
                extract=message.get("extract", ""),
                line=message.get("lastLine", 0),
            )
        )
    return findings


def summary(findings: list[Finding]) -> str:
    """One example of each distinct message, with how many documents it
    occurs in: a template mistake repeats on every page that uses it."""
    examples: dict[str, Finding] = {}
    counts: dict[str, int] = {}
    for finding in findings:
        examples.setdefault(finding.message, finding)
        counts[finding.message] = counts.get(finding.message, 0) + 1
    return "\n".join(
        f"{counts[message]} x {example}" for message, example in examples.items()
    )
