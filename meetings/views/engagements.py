"""Organiser pages of a chapter's engagements with government: the list
with its filters, an engagement created (directly, or from a meeting's idea
or decision: GET shows the pre-filled form, POST creates), shown, changed,
published and deleted; and the government contacts with a champion's
consent to be named. Every page is scoped to the organiser's own chapters
(ChapterOrganiserMixin): another chapter's engagement is a 404."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from chapters.languages import localized

from .. import selectors
from ..forms.engagements import (
    EngagementFilterForm,
    EngagementForm,
    GovernmentContactForm,
)
from ..models import Decision, Engagement, GovernmentContact, Idea
from ..services.engagements import (
    contact_create,
    contact_delete,
    contact_update,
    engagement_create,
    engagement_delete,
    engagement_from_decision,
    engagement_from_idea,
    engagement_initial_from_decision,
    engagement_initial_from_idea,
    engagement_publish,
    engagement_update,
)
from ..services.errors import MeetingError
from .base import OrganiserView, error_to_form

PAGE_SIZE = 25


class EngagementsTab(OrganiserView):
    manage_tab = "engagements"

    def get_engagement(self) -> Engagement:
        return get_object_or_404(
            Engagement.objects.select_related(
                "chapter", "idea__meeting", "decision__meeting"
            ),
            chapter=self.chapter,
            pk=self.kwargs["engagement"],
        )

    def get_contact(self) -> GovernmentContact:
        return get_object_or_404(
            GovernmentContact.objects.select_related("consent_recorded_by"),
            chapter=self.chapter,
            pk=self.kwargs["contact"],
        )

    def engagement_form(self, *args, engagement=None, **kwargs) -> EngagementForm:
        return EngagementForm(
            *args,
            organisations=selectors.engagement_organisations(
                chapter=self.chapter, engagement=engagement
            ),
            contacts=GovernmentContact.objects.for_chapter(self.chapter),
            **kwargs,
        )

    def engagement_url(self, engagement) -> str:
        return reverse(
            "meetings:engagement",
            kwargs={"iso2": self.chapter.iso2, "engagement": engagement.pk},
        )


class EngagementListView(EngagementsTab):
    template_name = "meetings/engagement_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filter_form = EngagementFilterForm(
            self.request.GET or None,
            years=selectors.engagement_years(chapter=self.chapter),
        )
        filters = filter_form.filters() if self.request.GET else {}
        engagements = selectors.engagement_list(chapter=self.chapter, **filters)
        page = Paginator(engagements, PAGE_SIZE).get_page(self.request.GET.get("page"))
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(
            filter_form=filter_form,
            page_obj=page,
            engagements=page.object_list,
            filtered=any(value not in ("", None) for value in filters.values()),
            query_string=query.urlencode(),
        )
        return context


class EngagementCreateView(EngagementsTab):
    """A new engagement, typed directly, or from a meeting's idea or decision
    (`source`: the form starts from it; POST makes the engagement once)."""

    template_name = "meetings/engagement_form.html"
    source = ""

    def get_source(self):
        if self.source == "idea":
            idea = get_object_or_404(
                Idea.objects.select_related("meeting"),
                meeting__chapter=self.chapter,
                meeting=self.kwargs["pk"],
                pk=self.kwargs["idea"],
            )
            if not idea.can_become_engagement:
                raise Http404
            return idea
        if self.source == "decision":
            return get_object_or_404(
                Decision.objects.select_related("meeting", "idea"),
                meeting__chapter=self.chapter,
                meeting=self.kwargs["pk"],
                pk=self.kwargs["decision"],
            )
        return None

    def get(self, request, *args, **kwargs):
        source = self.get_source()
        existing = source.engagements.order_by("id").first() if source else None
        if existing is not None:
            messages.info(
                request, _("This was already turned into an engagement: here it is.")
            )
            return redirect(self.engagement_url(existing))
        return super().get(request, *args, **kwargs)

    def initial(self, source) -> dict:
        if self.source == "idea":
            return engagement_initial_from_idea(source)
        if self.source == "decision":
            return engagement_initial_from_decision(source)
        return {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        source = kwargs.get("source") or self.get_source()
        context.update(source=source, source_kind=self.source)
        context.setdefault("form", self.engagement_form(initial=self.initial(source)))
        return context

    def post(self, request, *args, **kwargs):
        source = self.get_source()
        form = self.engagement_form(request.POST)
        if form.is_valid():
            try:
                if self.source == "idea":
                    engagement, created = engagement_from_idea(
                        actor=request.user, idea=source, data=form.cleaned_data
                    )
                elif self.source == "decision":
                    engagement, created = engagement_from_decision(
                        actor=request.user, decision=source, data=form.cleaned_data
                    )
                else:
                    engagement = engagement_create(
                        actor=request.user,
                        chapter=self.chapter,
                        data=form.cleaned_data,
                    )
                    created = True
            except MeetingError as error:
                error_to_form(form, error)
            else:
                if created:
                    messages.success(request, _("The engagement was saved."))
                else:
                    messages.info(
                        request,
                        _("This was already turned into an engagement: here it is."),
                    )
                return redirect(self.engagement_url(engagement))
        return self.render_to_response(
            self.get_context_data(form=form, source=source), status=400
        )


class EngagementDetailView(EngagementsTab):
    """The engagement with everything recorded, where it came from, and the
    button that shows it on the country page or takes it off."""

    template_name = "meetings/engagement_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        engagement = self.get_engagement()
        context.update(
            engagement=engagement,
            organisations=engagement.organisations.order_by("name"),
            contacts=engagement.contacts.all(),
        )
        return context

    def post(self, request, *args, **kwargs):
        engagement = self.get_engagement()
        publish = request.POST.get("action") == "publish"
        engagement_publish(actor=request.user, engagement=engagement, is_public=publish)
        messages.success(
            request,
            _("The engagement is shown on the country page.")
            if publish
            else _("The engagement is no longer shown on the country page."),
        )
        return redirect(self.engagement_url(engagement))


class EngagementUpdateView(EngagementsTab):
    template_name = "meetings/engagement_form.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Not kwargs["engagement"]: TemplateView passes the URL's id under
        # that name.
        engagement = kwargs.get("editing") or self.get_engagement()
        initial = {
            **{
                column: getattr(engagement, column)
                for column in localized("title", "summary")
            },
            "kind": engagement.kind,
            "happened_on": engagement.happened_on,
            "institutions": engagement.institutions,
            "outcome": engagement.outcome,
            "next_step": engagement.next_step,
            "is_public": engagement.is_public,
            "organisations": [o.pk for o in engagement.organisations.all()],
            "contacts": [c.pk for c in engagement.contacts.all()],
        }
        context.update(engagement=engagement)
        context.setdefault(
            "form", self.engagement_form(initial=initial, engagement=engagement)
        )
        return context

    def post(self, request, *args, **kwargs):
        engagement = self.get_engagement()
        form = self.engagement_form(request.POST, engagement=engagement)
        if form.is_valid():
            try:
                engagement_update(
                    actor=request.user, engagement=engagement, data=form.cleaned_data
                )
            except MeetingError as error:
                error_to_form(form, error)
            else:
                messages.success(request, _("The engagement was saved."))
                return redirect(self.engagement_url(engagement))
        return self.render_to_response(
            self.get_context_data(form=form, editing=engagement), status=400
        )


class EngagementDeleteView(EngagementsTab):
    """Deleting asks first, on a page of its own."""

    template_name = "meetings/engagement_delete.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["engagement"] = self.get_engagement()
        return context

    def post(self, request, *args, **kwargs):
        engagement_delete(actor=request.user, engagement=self.get_engagement())
        messages.success(request, _("The engagement was deleted."))
        return redirect("meetings:engagements", iso2=self.chapter.iso2)


# Government contacts ---------------------------------------------------------------


class ContactListView(EngagementsTab):
    template_name = "meetings/government_contact_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["contacts"] = (
            GovernmentContact.objects.for_chapter(self.chapter)
            .annotate(
                engagement_count=Count("engagements"),
                public_count=Count(
                    "engagements", filter=Q(engagements__is_public=True)
                ),
            )
            .order_by("name", "id")
        )
        return context


class ContactFormView(EngagementsTab):
    """A new contact (no `contact` in the URL) or a contact changed, with the
    consent to be named recorded or withdrawn."""

    template_name = "meetings/government_contact_form.html"

    def get_instance(self):
        if "contact" in self.kwargs:
            return self.get_contact()
        return GovernmentContact(chapter=self.chapter)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        contact = kwargs.get("editing") or self.get_instance()
        context.update(contact=contact if contact.pk else None)
        context.setdefault("form", GovernmentContactForm(instance=contact))
        return context

    def post(self, request, *args, **kwargs):
        contact = self.get_instance()
        form = GovernmentContactForm(request.POST, instance=contact)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if contact.pk:
                    contact = contact_update(
                        actor=request.user, contact=contact, data=data
                    )
                else:
                    contact = contact_create(
                        actor=request.user, chapter=self.chapter, data=data
                    )
            except MeetingError as error:
                error_to_form(form, error)
            else:
                messages.success(request, _("The contact was saved."))
                return redirect("meetings:government_contacts", iso2=self.chapter.iso2)
        return self.render_to_response(
            self.get_context_data(form=form, editing=contact), status=400
        )


class ContactDeleteView(EngagementsTab):
    template_name = "meetings/government_contact_delete.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["contact"] = self.get_contact()
        return context

    def post(self, request, *args, **kwargs):
        contact_delete(actor=request.user, contact=self.get_contact())
        messages.success(request, _("The contact was deleted."))
        return redirect("meetings:government_contacts", iso2=self.chapter.iso2)
