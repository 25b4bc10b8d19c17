"""The import job's steps, each taking the actor and recorded in the audit
trail: upload (import_job_create), check and preview (import_job_check, run
by the worker), claim (import_job_start), write every valid row in one
transaction or nothing (import_job_commit) and cancel (import_job_cancel).
Reading and checking the file itself writes nothing and is
members.import_files; see docs/import.md."""

from collections.abc import Iterator

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from chapters.audit import audit_log
from chapters.languages import codes, localized
from chapters.models import Chapter

from ..import_files import (
    MAX_BYTES,
    MAX_ROWS,
    ImportProblem,
    check_row,
    detect_format,
    inspect_archive,
    kind_aliases,
    language_aliases,
    match_headers,
    read_rows,
)
from ..models import NAME_KEY_COLUMNS, ImportJob, Organisation, Prospect, Representative
from ..normalise import name_key, website_domain

BATCH_SIZE = 1000

# Imports of more valid rows than this are written by the background worker.
# Files are always checked by it (tasks.import_check_task), never while the
# web request waits.
INLINE_ROWS = 300


def _existing_matches(rows: list[dict]) -> tuple[dict, dict]:
    """One query: existing organisations sharing a name key or a domain with
    any of the rows. ({key: (pk, names)}, {domain: (pk, names)}), names by
    language code."""
    keys, domains = set(), set()
    for row in rows:
        keys.update(key for key in row["keys"] if key)
        if row["domain"]:
            domains.add(row["domain"])
    if not keys and not domains:
        return {}, {}
    condition = Q(website_domain__in=domains)
    for column in NAME_KEY_COLUMNS:
        condition |= Q(**{f"{column}__in": keys})
    found = Organisation.objects.filter(condition).values(
        "pk", *localized("name"), *NAME_KEY_COLUMNS, "website_domain"
    )
    by_key, by_domain = {}, {}
    for organisation in found.order_by("pk"):
        # Its name in each language, as the preview shows it.
        match = (
            organisation["pk"],
            {code: organisation[f"name_{code}"] or "" for code in codes()},
        )
        for column in NAME_KEY_COLUMNS:
            if organisation[column]:
                by_key.setdefault(organisation[column], match)
        if organisation["website_domain"]:
            by_domain.setdefault(organisation["website_domain"], match)
    return by_key, by_domain


def _mark_duplicates(rows: list[dict]) -> None:
    by_key, by_domain = _existing_matches(
        [row for row in rows if row["status"] != "error"]
    )
    for row in rows:
        if row["status"] == "error":
            continue
        match = by_domain.get(row["domain"]) if row["domain"] else None
        for key in row["keys"]:
            match = match or by_key.get(key)
        if match:
            row["status"] = "duplicate"
            row["duplicate_of"] = match[0]
            for code, name in match[1].items():
                row[f"duplicate_name_{code}"] = name
        else:
            row["status"] = "new"
            row.pop("duplicate_of", None)


def import_job_create(*, actor, chapter: Chapter, filename: str, content: bytes):
    """Store an upload; ImportProblem if it cannot be an import at all."""
    if len(content) > MAX_BYTES:
        raise ImportProblem("too_large", limit=MAX_BYTES // (1024 * 1024))
    file_format = detect_format(filename, content)
    if file_format == ImportJob.Format.XLSX:
        try:
            inspect_archive(content)
        except ImportProblem as problem:
            # A damaged file is the check's to report, on the job's page;
            # a bomb is refused before it is even stored.
            if problem.code != "unreadable":
                raise
    job = ImportJob.objects.create(
        chapter=chapter,
        created_by=actor,
        filename=filename[:255],
        file_format=file_format,
        content=content,
    )
    audit_log(
        actor=actor,
        action="import.upload",
        obj=job,
        chapter=chapter,
        after={"file": job.filename},
    )
    return job


def import_job_check(*, actor, job: ImportJob) -> ImportJob:
    """Read and check every row, storing the preview; writes nothing else.
    Progress is saved after each batch, outside any transaction, so the
    organiser's progress bar moves. The worker runs it for the organiser
    who uploaded the file (the actor of its audit entry)."""
    job.status = ImportJob.Status.CHECKING
    job.processed_rows = 0
    job.save(update_fields=["status", "processed_rows"])
    try:
        results = list(_check_rows(job))
    except ImportProblem as problem:
        job.status = ImportJob.Status.FAILED
        job.problem = problem.as_dict()
        job.rows = []
        job.finished_at = timezone.now()
        job.save(update_fields=["status", "problem", "rows", "finished_at"])
        _check_audit(actor=actor, job=job)
        return job
    job.rows = results
    job.total_rows = job.processed_rows = len(results)
    job.status = ImportJob.Status.PREVIEWED
    job.problem = {}
    job.save(
        update_fields=["rows", "total_rows", "processed_rows", "status", "problem"]
    )
    _check_audit(actor=actor, job=job)
    return job


def _check_audit(*, actor, job: ImportJob) -> None:
    """The check's outcome in the trail: previewed with its counts, or failed
    with the problem's code."""
    after = {"file": job.filename, "status": job.status}
    if job.status == ImportJob.Status.PREVIEWED:
        statuses = [row["status"] for row in job.rows]
        after.update(
            rows=len(statuses),
            new=statuses.count("new"),
            duplicate=statuses.count("duplicate"),
            error=statuses.count("error"),
        )
    audit_log(
        actor=actor, action="import.check", obj=job, chapter=job.chapter, after=after
    )


def _check_rows(job: ImportJob) -> Iterator[dict]:
    region = str(job.chapter.country.code or "")
    kinds, languages = kind_aliases(), language_aliases()
    content = bytes(job.content)
    # Rows are counted first so the progress bar has a total: an .xlsx by a
    # scan of the sheet as it is opened, a CSV by a first pass. Both stream
    # and stop at the limits, so memory stays flat and time bounded.
    scanned: list[int] = []
    rows = read_rows(job.file_format, content, scanned=scanned)
    header = next(rows, None)
    while header is not None and not any(cell.strip() for cell in header):
        header = next(rows, None)
    if header is None:
        raise ImportProblem("empty")
    positions, header_language = match_headers(header)
    if scanned:
        total = scanned[0]
    else:
        total = sum(1 for row in read_rows(job.file_format, content))
    job.total_rows = max(total - 1, 0)
    if job.total_rows > MAX_ROWS:
        raise ImportProblem("too_many_rows", limit=MAX_ROWS)
    job.save(update_fields=["total_rows"])
    seen_keys: dict[str, int] = {}
    seen_domains: dict[str, int] = {}
    batch: list[dict] = []
    any_row = False
    for number, cells in enumerate(rows, start=2):
        if not any(str(cell).strip() for cell in cells):
            continue
        any_row = True
        named = {
            key: cells[index] for index, key in positions.items() if index < len(cells)
        }
        values, errors = check_row(
            named,
            region=region,
            default_language=header_language,
            kinds=kinds,
            languages=languages,
        )
        keys = sorted({name_key(values[column]) for column in localized("name")} - {""})
        domain = website_domain(values["website"])
        if not errors:
            earlier = [seen_keys[key] for key in keys if key in seen_keys]
            if domain and domain in seen_domains:
                earlier.append(seen_domains[domain])
            if earlier:
                errors.append(
                    {"code": "duplicate_in_file", "params": {"row": min(earlier)}}
                )
            else:
                for key in keys:
                    seen_keys[key] = number
                if domain:
                    seen_domains[domain] = number
        batch.append(
            {
                "row": number,
                "status": "error" if errors else "new",
                "values": values,
                "errors": errors,
                "keys": keys,
                "domain": domain,
            }
        )
        if len(batch) >= BATCH_SIZE:
            yield from _finish_batch(job, batch)
            batch = []
    if batch:
        yield from _finish_batch(job, batch)
    if not any_row:
        raise ImportProblem("no_rows")


def _finish_batch(job: ImportJob, batch: list[dict]) -> list[dict]:
    _mark_duplicates(batch)
    job.processed_rows += len(batch)
    ImportJob.objects.filter(pk=job.pk).update(processed_rows=job.processed_rows)
    return batch


class ImportNotReady(Exception):
    """The job is not (or no longer) waiting to be imported."""


def import_job_start(*, actor, job: ImportJob) -> bool:
    """Claim the job for importing; False if it was already claimed (a double
    click, or a second tab), so one file is never imported twice. Only a
    claim is audited."""
    claimed = ImportJob.objects.filter(
        pk=job.pk, status=ImportJob.Status.PREVIEWED
    ).update(status=ImportJob.Status.IMPORTING)
    job.refresh_from_db(fields=["status"])
    if claimed:
        audit_log(
            actor=actor,
            action="import.start",
            obj=job,
            chapter=job.chapter,
            after={"file": job.filename},
        )
    return bool(claimed)


def import_job_commit(*, actor, job: ImportJob) -> ImportJob:
    """Write every valid row in one transaction, or nothing. Duplicates are
    checked again against the database as it is now; a duplicate row puts
    the existing organisation on the list and adds its representative."""
    if job.status != ImportJob.Status.IMPORTING and not import_job_start(
        actor=actor, job=job
    ):
        raise ImportNotReady
    try:
        with transaction.atomic():
            created = merged = 0
            valid = [row for row in job.rows if row["status"] != "error"]
            previewed = [row["status"] for row in valid]
            for start in range(0, len(valid), BATCH_SIZE):
                batch = valid[start : start + BATCH_SIZE]
                made, joined = _commit_batch(actor=actor, job=job, batch=batch)
                created += made
                merged += joined
            job.status = ImportJob.Status.IMPORTED
            job.created_count, job.merged_count = created, merged
            job.finished_at = timezone.now()
            job.content = b""  # the personal data in the file is not kept
            job.problem = {}
            fields = ["status", "created_count", "merged_count", "finished_at"]
            fields += ["content", "problem"]
            # The preview (megabytes of JSON for a large file) is written
            # again only when the check at commit time changed a row's status.
            if previewed != [row["status"] for row in valid]:
                fields.append("rows")
            job.save(update_fields=fields)
            audit_log(
                actor=actor,
                action="import.commit",
                obj=job,
                chapter=job.chapter,
                after={"created": created, "merged": merged, "file": job.filename},
            )
    except Exception:
        ImportJob.objects.filter(pk=job.pk).update(
            status=ImportJob.Status.PREVIEWED,
            problem={"code": "import_failed", "params": {}},
        )
        job.refresh_from_db()
        audit_log(
            actor=actor,
            action="import.fail",
            obj=job,
            chapter=job.chapter,
            after={"file": job.filename, "status": job.status},
        )
        raise
    return job


def _commit_batch(*, actor, job: ImportJob, batch: list[dict]) -> tuple[int, int]:
    """A bounded number of queries per batch, whatever its size: one lookup
    of duplicates, one insert of organisations, one lookup and one insert of
    representatives, one lookup and one insert of prospects."""
    chapter = job.chapter
    _mark_duplicates(batch)
    new_rows = [row for row in batch if row["status"] == "new"]
    organisations = []
    for row in new_rows:
        values = row["values"]
        organisation = Organisation(
            **{column: values[column] for column in localized("name", "city")},
            # Given directly: modeltranslation works out a missing translated
            # column's default with its language switched on, a fifth of
            # making the instance.
            **dict.fromkeys(localized("description")),
            acronym=values["acronym"],
            kind=values["kind"],
            country=chapter.country,
            website=values["website"],
            public_email=values["public_email"],
        )
        organisation.refresh_keys()
        organisations.append(organisation)
    Organisation.objects.bulk_create(organisations, batch_size=BATCH_SIZE)
    for row, organisation in zip(new_rows, organisations, strict=True):
        row["organisation"] = organisation.pk
    for row in batch:
        if row["status"] == "duplicate":
            row["organisation"] = row["duplicate_of"]

    # The chapter's own contacts only: another chapter's contact with the
    # same address is that chapter's, and this chapter gets its own row.
    # Organisations made by this batch have no contacts or list entries yet:
    # only the known ones are looked up.
    known = [row["organisation"] for row in batch if row["status"] == "duplicate"]
    contacts = Representative.objects.for_chapter(chapter)
    with_contact = [row for row in batch if row["values"]["contact_name"]]
    existing = set(
        contacts.filter(
            organisation_id__in=known,
            email__in=[
                row["values"]["contact_email"]
                for row in with_contact
                if row["values"]["contact_email"] and row["status"] == "duplicate"
            ],
        ).values_list("organisation_id", "email")
    )
    has_primary = set(
        contacts.filter(organisation_id__in=known, is_primary=True).values_list(
            "organisation_id", flat=True
        )
    )
    representatives = []
    for row in with_contact:
        values = row["values"]
        if (row["organisation"], values["contact_email"]) in existing:
            continue
        representatives.append(
            Representative(
                organisation_id=row["organisation"],
                chapter=chapter,
                name=values["contact_name"],
                email=values["contact_email"],
                phone=values["contact_phone"],
                role=values["contact_role"],
                language=values["contact_language"],
                is_primary=row["organisation"] not in has_primary,
            )
        )
        has_primary.add(row["organisation"])
    Representative.objects.bulk_create(representatives, batch_size=BATCH_SIZE)

    listed = set(
        Prospect.objects.filter(chapter=chapter, organisation_id__in=known).values_list(
            "organisation_id", flat=True
        )
    )
    owner = actor if getattr(actor, "is_authenticated", False) else None
    Prospect.objects.bulk_create(
        [
            Prospect(
                chapter=chapter,
                organisation_id=row["organisation"],
                source=Prospect.Source.IMPORT,
                owner=owner,
                notes=row["values"]["notes"],
            )
            for row in batch
            if row["organisation"] not in listed
        ],
        batch_size=BATCH_SIZE,
    )
    return len(new_rows), len(batch) - len(new_rows)


def import_job_cancel(*, actor, job: ImportJob) -> None:
    """Drop a job waiting in its preview (or failed), and the file's content
    with it; audited when it was cancelled."""
    cancelled = ImportJob.objects.filter(
        pk=job.pk,
        status__in=[ImportJob.Status.PREVIEWED, ImportJob.Status.FAILED],
    ).update(status=ImportJob.Status.CANCELLED, content=b"")
    if cancelled:
        audit_log(
            actor=actor,
            action="import.cancel",
            obj=job,
            chapter=job.chapter,
            after={"file": job.filename},
        )
