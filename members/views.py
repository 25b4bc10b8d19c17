"""Organiser pages of a chapter's outreach list, the import, and the public
opt-out page. Views bind a form, check permission (through the chapter
mixin), call one service, message and redirect."""

import logging

from django.contrib import messages
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.generic import FormView, TemplateView

from chapters import ratelimit
from chapters.permissions import ChapterOrganiserMixin, public_profile_refused_by

from . import imports, services
from .forms import (
    DoNotContactForm,
    FirstRepresentativeForm,
    ImportUploadForm,
    OptOutForm,
    OrganisationForm,
    OutreachFilterForm,
    ProspectForm,
    RepresentativeForm,
)
from .merge import duplicates_on_list
from .models import SDG, DoNotContact, ImportJob, Organisation, Prospect
from .selectors import (
    chapter_contacts,
    chapter_organiser_users,
    opt_outs_for,
    organisation_duplicates,
    outreach_coverage,
    outreach_list,
)
from .tasks import import_check_task, import_commit_task
from .validation import phone_display

logger = logging.getLogger(__name__)

PAGE_SIZE = 25
PREVIEW_PAGE_SIZE = 100

COVERAGE_LABELS = {
    "civil_society": _("Civil-society organisations"),
    "networks": _("Networks"),
    "academics": _("Academics"),
    "think_tanks": _("Think tanks"),
}


class OutreachMixin(ChapterOrganiserMixin):
    """Every organiser page of the outreach list: the chapter's tab, and the
    prospect fetched only from this chapter's list (another chapter's is a
    404)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["manage_tab"] = "outreach"
        return context

    def get_prospect(self) -> Prospect:
        return get_object_or_404(
            Prospect.objects.select_related("organisation", "owner", "chapter"),
            chapter=self.chapter,
            pk=self.kwargs["pk"],
        )

    def outreach_url(self) -> str:
        return reverse("members:outreach", kwargs={"iso2": self.chapter.iso2})

    def prospect_url(self, prospect) -> str:
        return reverse(
            "members:prospect",
            kwargs={"iso2": self.chapter.iso2, "pk": prospect.pk},
        )


class OutreachListView(OutreachMixin, TemplateView):
    template_name = "members/outreach_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filter_form = OutreachFilterForm(self.request.GET or None)
        filters = filter_form.filters() if self.request.GET else {}
        prospects = outreach_list(chapter=self.chapter, **filters)
        page = Paginator(prospects, PAGE_SIZE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        coverage = outreach_coverage(chapter=self.chapter)
        for group in coverage["groups"]:
            group["label"] = COVERAGE_LABELS[group["key"]]
        context.update(
            filter_form=filter_form,
            page_obj=page,
            prospects=page.object_list,
            filtered=any(value not in ("", None) for value in filters.values()),
            query_string=query.urlencode(),
            coverage=coverage,
        )
        return context


class OutreachExportView(OutreachMixin, View):
    """The outreach list as CSV, in the import's columns; formula-looking
    cells are neutralised (imports.neutralise)."""

    def get(self, request, *args, **kwargs):
        prospects = outreach_list(chapter=self.chapter)
        rows = imports.export_rows(prospects, language=get_language())
        response = HttpResponse(
            imports.csv_bytes(rows), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = (
            f'attachment; filename="outreach-{self.chapter.iso2}.csv"'
        )
        return response


class OrganisationAddView(OutreachMixin, TemplateView):
    """Add an organisation (and optionally its first representative). When
    it looks like one already known, the organiser sees it and chooses:
    merge into it, or keep the new one separate."""

    template_name = "members/organisation_add.html"

    def forms(self):
        data = self.request.POST if self.request.method == "POST" else None
        files = self.request.FILES if self.request.method == "POST" else None
        region = str(self.chapter.country.code)
        return (
            OrganisationForm(data, files),
            FirstRepresentativeForm(data, region=region),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        if "form" not in context:
            context["form"], context["contact_form"] = self.forms()
        return context

    def post(self, request, *args, **kwargs):
        form, contact_form = self.forms()
        if not (form.is_valid() and contact_form.is_valid()):
            return self.render_to_response(
                self.get_context_data(form=form, contact_form=contact_form)
            )
        values = form.service_values()
        duplicates = list(
            organisation_duplicates(
                name_ar=values.get("name_ar") or "",
                name_en=values.get("name_en") or "",
                website=values.get("website") or "",
            )[:5]
        )
        decision = request.POST.get("decision", "")
        merge_into = None
        if decision.startswith("merge-"):
            merge_into = next(
                (o for o in duplicates if f"merge-{o.pk}" == decision), None
            )
        if duplicates and not merge_into and decision != "keep":
            listed = set(
                Prospect.objects.filter(
                    chapter=self.chapter, organisation__in=duplicates
                ).values_list("organisation_id", flat=True)
            )
            for duplicate in duplicates:
                duplicate.on_our_list = duplicate.pk in listed
            return self.render_to_response(
                self.get_context_data(
                    form=form, contact_form=contact_form, duplicates=duplicates
                )
            )
        profile_kept = merge_into is not None and public_profile_refused_by(
            request.user, merge_into, chapter=self.chapter
        )
        prospect = services.organisation_add(
            actor=request.user,
            chapter=self.chapter,
            values=values,
            representative=contact_form.service_values(),
            logo=form.prepared_logo,
            merge_into=merge_into,
        )
        if profile_kept:
            messages.info(
                request,
                gettext(
                    "The organisation is now on your list. Its public profile was "
                    "kept as it was: another chapter lists it as a member, and "
                    "only that chapter's people can change it."
                ),
            )
        elif merge_into:
            messages.success(
                request,
                gettext("The details were merged into the existing organisation."),
            )
        else:
            messages.success(request, gettext("The organisation was added."))
        return redirect(self.prospect_url(prospect))


class ProspectDetailView(OutreachMixin, TemplateView):
    """One organisation on the list: its details, its representatives with
    their contact details and opt-outs, and the follow-up (stage, owner,
    notes)."""

    template_name = "members/prospect_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        prospect = kwargs.get("prospect") or self.get_prospect()
        organisation = prospect.organisation
        contacts = list(
            chapter_contacts(chapter=self.chapter, organisation=organisation)
        )
        opt_outs = opt_outs_for(contact.email for contact in contacts)
        for contact in contacts:
            contact.opt_out = opt_outs.get(contact.email.lower())
            contact.phone_display = phone_display(contact.phone)
        context.update(
            prospect=prospect,
            organisation=organisation,
            contacts=contacts,
            duplicates=list(duplicates_on_list(prospect=prospect)),
            sdgs=[
                SDG(value).label
                for value in organisation.focus_sdgs
                if value in SDG.values
            ],
            prospect_form=kwargs.get("prospect_form")
            or ProspectForm(
                instance=prospect, owners=chapter_organiser_users(self.chapter)
            ),
        )
        return context

    def get(self, request, *args, **kwargs):
        return self.render_to_response(
            self.get_context_data(prospect=self.get_prospect())
        )

    def post(self, request, *args, **kwargs):
        prospect = self.get_prospect()
        form = ProspectForm(
            request.POST,
            instance=Prospect.objects.get(pk=prospect.pk),
            owners=chapter_organiser_users(self.chapter),
        )
        if not form.is_valid():
            return self.render_to_response(
                self.get_context_data(prospect=prospect, prospect_form=form)
            )
        services.prospect_update(
            actor=request.user,
            prospect=prospect,
            stage=form.cleaned_data["stage"],
            owner=form.cleaned_data["owner"],
            notes=form.cleaned_data["notes"],
        )
        messages.success(request, gettext("The follow-up was saved."))
        return redirect(self.prospect_url(prospect))


class OrganisationEditView(OutreachMixin, FormView):
    template_name = "members/organisation_edit.html"
    form_class = OrganisationForm

    def get_form_kwargs(self):
        self.prospect = self.get_prospect()
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.prospect.organisation
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["prospect"] = self.prospect
        context["organisation"] = self.prospect.organisation
        return context

    def form_valid(self, form):
        try:
            services.organisation_update(
                actor=self.request.user,
                chapter=self.chapter,
                organisation=self.prospect.organisation,
                values=form.service_values(),
                logo=form.prepared_logo,
            )
        except services.ProfileChangeRefused as error:
            form.add_error(None, str(error))
            return self.render_to_response(self.get_context_data(form=form), status=403)
        messages.success(self.request, gettext("The organisation was saved."))
        return redirect(self.prospect_url(self.prospect))


class RepresentativeFormView(OutreachMixin, FormView):
    """Add a representative, or edit one (rep given)."""

    template_name = "members/representative_form.html"
    form_class = RepresentativeForm

    def get_form_kwargs(self):
        self.prospect = self.get_prospect()
        self.representative = None
        if "rep" in self.kwargs:
            self.representative = get_object_or_404(
                chapter_contacts(
                    chapter=self.chapter, organisation=self.prospect.organisation
                ),
                pk=self.kwargs["rep"],
            )
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.representative
        kwargs["region"] = str(self.chapter.country.code)
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["prospect"] = self.prospect
        context["organisation"] = self.prospect.organisation
        context["representative"] = self.representative
        return context

    def form_valid(self, form):
        if self.representative:
            services.representative_update(
                actor=self.request.user,
                chapter=self.chapter,
                representative=self.representative,
                values=form.service_values(),
            )
        else:
            services.representative_add(
                actor=self.request.user,
                chapter=self.chapter,
                organisation=self.prospect.organisation,
                values=form.service_values(),
            )
        messages.success(self.request, gettext("The representative was saved."))
        return redirect(self.prospect_url(self.prospect))


class RepresentativeDeleteView(OutreachMixin, View):
    def post(self, request, *args, **kwargs):
        prospect = self.get_prospect()
        representative = get_object_or_404(
            chapter_contacts(chapter=self.chapter, organisation=prospect.organisation),
            pk=kwargs["rep"],
        )
        services.representative_remove(
            actor=request.user, chapter=self.chapter, representative=representative
        )
        messages.success(request, gettext("The representative was removed."))
        return redirect(self.prospect_url(prospect))


class RepresentativeOptOutView(OutreachMixin, View):
    """An organiser records that a representative asked (by phone, in a
    meeting) not to be e-mailed; it holds for every chapter."""

    def post(self, request, *args, **kwargs):
        prospect = self.get_prospect()
        representative = get_object_or_404(
            chapter_contacts(chapter=self.chapter, organisation=prospect.organisation),
            pk=kwargs["rep"],
        )
        form = DoNotContactForm(request.POST)
        if not representative.email or not form.is_valid():
            messages.error(request, gettext("Give a reason for the opt-out."))
            return redirect(self.prospect_url(prospect))
        services.do_not_contact_add(
            email=representative.email,
            source=DoNotContact.Source.ORGANISER,
            reason=form.cleaned_data["reason"],
            actor=request.user,
            chapter=self.chapter,
        )
        messages.success(request, gettext("No chapter will e-mail this address again."))
        return redirect(self.prospect_url(prospect))


# Import -------------------------------------------------------------------


class SizeLimitUploadHandler(FileUploadHandler):
    """Stops storing an upload as soon as it passes the import's size limit,
    so a 50 MB file is refused without being kept or parsed."""

    def __init__(self, request=None, limit: int = imports.MAX_BYTES):
        super().__init__(request)
        self.limit = limit
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            self.request.upload_too_large = True
            raise SkipFile
        return raw_data

    def file_complete(self, file_size):
        return None


@method_decorator(csrf_exempt, name="dispatch")
class ImportUploadView(OutreachMixin, FormView):
    """The size-limiting handler must be in place before the CSRF check reads
    the body, hence csrf_exempt on dispatch and csrf_protect on post."""

    template_name = "members/import_upload.html"
    form_class = ImportUploadForm

    def dispatch(self, request, *args, **kwargs):
        request.upload_handlers.insert(0, SizeLimitUploadHandler(request))
        return super().dispatch(request, *args, **kwargs)

    @method_decorator(csrf_protect)
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @method_decorator(csrf_protect)
    def post(self, request, *args, **kwargs):
        form = self.get_form()
        if getattr(request, "upload_too_large", False):
            form.is_valid()
            form.errors.clear()
            form.add_error(
                "file",
                imports.message_text(
                    {
                        "code": "too_large",
                        "params": {"limit": imports.MAX_BYTES // (1024 * 1024)},
                    }
                ),
            )
            return self.form_invalid(form)
        if form.is_valid():
            return self.form_valid(form)
        return self.form_invalid(form)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["columns"] = imports.COLUMNS
        context["kinds"] = Organisation.Kind.choices
        context["recent_jobs"] = ImportJob.objects.filter(chapter=self.chapter).only(
            "pk", "filename", "status", "created_at"
        )[:5]
        return context

    def form_valid(self, form):
        upload = form.cleaned_data["file"]
        content = upload.read()
        try:
            job = imports.import_job_create(
                actor=self.request.user,
                chapter=self.chapter,
                filename=upload.name,
                content=content,
            )
        except imports.ImportProblem as problem:
            form.add_error("file", imports.message_text(problem.as_dict()))
            return self.form_invalid(form)
        # Only stored here: reading a spreadsheet is the worker's job, so a
        # hostile file never ties up a web server.
        import_check_task.enqueue(job_id=job.pk)
        return redirect(job_url(job))


def job_url(job: ImportJob) -> str:
    return reverse(
        "members:import_job", kwargs={"iso2": job.chapter.iso2, "pk": job.pk}
    )


class ImportTemplateView(OutreachMixin, View):
    """An empty file with the column headers in Arabic or in English."""

    def get(self, request, *args, **kwargs):
        language, file_format = kwargs["language"], kwargs["file_format"]
        if language not in ("ar", "en") or file_format not in ("csv", "xlsx"):
            raise Http404
        rows = [imports.header_row(language)]
        if file_format == "csv":
            body, content_type = imports.csv_bytes(rows), "text/csv; charset=utf-8"
        else:
            body = imports.xlsx_bytes(rows, right_to_left=language == "ar")
            content_type = (
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            )
        response = HttpResponse(body, content_type=content_type)
        response["Content-Disposition"] = (
            f'attachment; filename="organisations-template-{language}.{file_format}"'
        )
        return response


class ImportJobMixin(OutreachMixin):
    def get_job(self) -> ImportJob:
        return get_object_or_404(
            ImportJob.objects.select_related("chapter").defer("content"),
            chapter=self.chapter,
            pk=self.kwargs["pk"],
        )


class ImportJobView(ImportJobMixin, TemplateView):
    """The preview (or progress, or result) of one import."""

    template_name = "members/import_job.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        job = self.get_job()
        counts = {"new": 0, "duplicate": 0, "error": 0}
        for row in job.rows:
            counts[row["status"]] = counts.get(row["status"], 0) + 1
        shown = self.request.GET.get("show", "")
        if shown not in {"new", "duplicate", "error"}:
            shown = ""
        rows = [row for row in job.rows if not shown or row["status"] == shown]
        page = Paginator(rows, PREVIEW_PAGE_SIZE).get_page(self.request.GET.get("page"))
        language = get_language()
        for row in page.object_list:
            row["messages"] = [imports.message_text(error) for error in row["errors"]]
            row["duplicate_label"] = (
                row.get("duplicate_name_ar")
                if language == "ar"
                else row.get("duplicate_name_en")
            ) or row.get("duplicate_name_ar", "")
        context.update(
            job=job,
            counts=counts,
            valid_count=counts["new"] + counts["duplicate"],
            shown=shown,
            query_string=f"show={shown}" if shown else "",
            page_obj=page,
            preview_rows=page.object_list,
            problem_text=imports.message_text(job.problem) if job.problem else "",
        )
        return context


class ImportStatusView(ImportJobMixin, View):
    """Polled by static/js/import-progress.js while a job runs."""

    def get(self, request, *args, **kwargs):
        job = get_object_or_404(
            ImportJob.objects.only(
                "status", "processed_rows", "total_rows", "chapter_id"
            ),
            chapter=self.chapter,
            pk=kwargs["pk"],
        )
        return JsonResponse(
            {
                "status": job.status,
                "status_label": job.get_status_display(),
                "percent": job.progress_percent,
                "running": job.is_running,
            }
        )


class ImportCommitView(ImportJobMixin, View):
    def post(self, request, *args, **kwargs):
        job = self.get_job()
        valid = sum(1 for row in job.rows if row["status"] != "error")
        if job.status != ImportJob.Status.PREVIEWED or not valid:
            messages.info(request, gettext("This import has already been handled."))
            return redirect(job_url(job))
        if valid > imports.INLINE_ROWS:
            if imports.import_job_start(job=job):
                import_commit_task.enqueue(job_id=job.pk, actor_id=request.user.pk)
            return redirect(job_url(job))
        try:
            job = ImportJob.objects.select_related("chapter").get(pk=job.pk)
            imports.import_job_commit(actor=request.user, job=job)
        except imports.ImportNotReady:
            messages.info(request, gettext("This import has already been handled."))
            return redirect(job_url(job))
        except Exception:
            logger.exception("import %s failed", job.pk)
            messages.error(request, imports.message_text({"code": "import_failed"}))
            return redirect(job_url(job))
        messages.success(
            request,
            ngettext(
                "Imported: %(created)s new organisation, %(merged)s already known.",
                "Imported: %(created)s new organisations, %(merged)s already known.",
                job.created_count,
            )
            % {"created": job.created_count, "merged": job.merged_count},
        )
        return redirect(job_url(job))


class ImportCancelView(ImportJobMixin, View):
    def post(self, request, *args, **kwargs):
        job = self.get_job()
        imports.import_job_cancel(job=job)
        messages.info(
            request, gettext("The import was cancelled; nothing was written.")
        )
        return redirect(reverse("members:import", kwargs={"iso2": self.chapter.iso2}))


# Public opt-out -------------------------------------------------------------


@method_decorator(csrf_exempt, name="dispatch")
class OptOutView(View):
    """Reached from the personal link in any e-mail. GET only asks (mail
    scanners open links); POST records the opt-out. CSRF does not apply: the
    secret token is the proof, and mail clients' one-click unsubscribe
    (RFC 8058) posts without a form."""

    template_name = "members/opt_out.html"

    def dispatch(self, request, *args, **kwargs):
        self.link, status = ratelimit.personal_link_lookup(
            request,
            "opt-out",
            kwargs["token"],
            lambda: services.opt_out_link_find(kwargs["token"]),
        )
        if status == 429:
            return render(request, "chapters/too_many_attempts.html", status=429)
        if status:
            return render(request, "members/opt_out_invalid.html", status=404)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        already = not services.contact_allowed(self.link.email)
        return render(
            request,
            self.template_name,
            {"form": OptOutForm(), "email": self.link.email, "done": already},
        )

    def post(self, request, *args, **kwargs):
        form = OptOutForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        services.opt_out_by_link(link=self.link, reason=reason)
        return render(
            request, self.template_name, {"email": self.link.email, "done": True}
        )
