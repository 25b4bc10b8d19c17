"""Organiser pages of a chapter's outreach list: the list and its export, an
organisation added, shown and edited, its representatives added, changed,
removed or put on the do-not-contact list."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import FormView, TemplateView

from chapters.languages import localized
from chapters.permissions import public_profile_refused_by

from ..forms.outreach import (
    DoNotContactForm,
    FirstRepresentativeForm,
    OrganisationForm,
    OutreachFilterForm,
    ProspectForm,
    RepresentativeForm,
)
from ..import_files import csv_bytes, export_rows
from ..models import SDG, DoNotContact, Prospect
from ..selectors import (
    chapter_contacts,
    chapter_organiser_users,
    opt_outs_for,
    organisation_duplicates,
    outreach_coverage,
    outreach_list,
)
from ..services.do_not_contact import do_not_contact_add
from ..services.merge import duplicates_on_list
from ..services.organisations import (
    ProfileChangeRefused,
    organisation_add,
    organisation_update,
)
from ..services.outreach import prospect_update
from ..services.representatives import (
    representative_add,
    representative_remove,
    representative_update,
)
from ..validation import phone_display
from .base import OutreachMixin

PAGE_SIZE = 25

COVERAGE_LABELS = {
    "civil_society": _("Civil-society organisations"),
    "networks": _("Networks"),
    "academics": _("Academics"),
    "think_tanks": _("Think tanks"),
}


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
    cells are neutralised (import_files.csv_bytes)."""

    def get(self, request, *args, **kwargs):
        prospects = outreach_list(chapter=self.chapter)
        rows = export_rows(prospects, language=get_language())
        response = HttpResponse(csv_bytes(rows), content_type="text/csv; charset=utf-8")
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
            FirstRepresentativeForm(
                data, region=region, chapter_languages=self.chapter.language_codes
            ),
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
                **{column: values.get(column) or "" for column in localized("name")},
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
        prospect = organisation_add(
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
        prospect_update(
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
            organisation_update(
                actor=self.request.user,
                chapter=self.chapter,
                organisation=self.prospect.organisation,
                values=form.service_values(),
                logo=form.prepared_logo,
            )
        except ProfileChangeRefused as error:
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
        kwargs["chapter_languages"] = self.chapter.language_codes
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["prospect"] = self.prospect
        context["organisation"] = self.prospect.organisation
        context["representative"] = self.representative
        return context

    def form_valid(self, form):
        if self.representative:
            representative_update(
                actor=self.request.user,
                chapter=self.chapter,
                representative=self.representative,
                values=form.service_values(),
            )
        else:
            representative_add(
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
        representative_remove(
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
        do_not_contact_add(
            email=representative.email,
            source=DoNotContact.Source.ORGANISER,
            reason=form.cleaned_data["reason"],
            actor=request.user,
            chapter=self.chapter,
        )
        messages.success(request, gettext("No chapter will e-mail this address again."))
        return redirect(self.prospect_url(prospect))
