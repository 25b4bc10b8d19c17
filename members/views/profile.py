"""The representative's own pages, signed in: the organisation's profile,
their own contact details, withdrawing a membership and volunteering for a
chapter's tasks."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext
from django.views import View
from django.views.generic import TemplateView

from chapters import ratelimit
from chapters.permissions import organisations_represented_by

from ..forms.profile import OwnContactForm, PublicProfileForm
from ..models import Organisation, Representative
from ..selectors import memberships_of, organisation_contacts, tasks_for_member
from ..services.initial_tasks import TaskError, task_volunteer, task_volunteer_cancel
from ..services.membership import membership_withdraw
from ..services.membership_rules import MembershipError
from ..services.organisations import ProfileChangeRefused, organisation_update
from ..services.representatives import representative_update_own


class RepresentedOrganisationMixin(LoginRequiredMixin):
    """The organisation, fetched only among those the signed-in person
    represents: any other is a 404. Within it, the person sees and acts only
    in the chapters that linked their account (the selectors take the
    viewer): another chapter's contacts, membership and tasks are not
    theirs."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.organisation = get_object_or_404(
            organisations_represented_by(request.user), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def profile_url(self) -> str:
        return reverse(
            "members:organisation_profile", kwargs={"pk": self.organisation.pk}
        )

    def own_contact_form(self, data=None, instance=None):
        if instance is None:
            instance = Representative.objects.filter(
                organisation=self.organisation, user=self.request.user
            ).first()
        return OwnContactForm(
            data, instance=instance, region=str(self.organisation.country.code or "")
        )


class OrganisationProfileView(RepresentedOrganisationMixin, TemplateView):
    template_name = "members/organisation_profile.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        viewer = self.request.user
        tasks = list(tasks_for_member(organisation=self.organisation, viewer=viewer))
        for task in tasks:
            task.volunteering = any(
                organisation.pk == self.organisation.pk
                for organisation in task.volunteers.all()
            )
        contacts = list(
            organisation_contacts(organisation=self.organisation, viewer=viewer)
        )
        own = next(
            (
                contact
                for contact in contacts
                if contact.user_id == self.request.user.pk
            ),
            None,
        )
        context.update(
            organisation=self.organisation,
            form=kwargs.get("form") or PublicProfileForm(instance=self.organisation),
            memberships=memberships_of(organisation=self.organisation, viewer=viewer),
            tasks=tasks,
            contacts=contacts,
            contact_form=kwargs.get("contact_form")
            or self.own_contact_form(instance=own),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = PublicProfileForm(
            request.POST,
            request.FILES,
            instance=Organisation.objects.get(pk=self.organisation.pk),
        )
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            organisation_update(
                actor=request.user,
                chapter=None,
                organisation=self.organisation,
                values=form.service_values(),
                logo=form.prepared_logo,
            )
        except ProfileChangeRefused as error:
            form.add_error(None, str(error))
            return self.render_to_response(self.get_context_data(form=form), status=403)
        messages.success(request, gettext("Your organisation's profile was saved."))
        return redirect(self.profile_url())


class ProfileContactView(RepresentedOrganisationMixin, View):
    """The signed-in representative corrects their own contact details."""

    def post(self, request, *args, **kwargs):
        form = self.own_contact_form(request.POST)
        if not form.is_valid():
            profile = OrganisationProfileView(
                request=request,
                args=args,
                kwargs=kwargs,
                organisation=self.organisation,
            )
            return profile.render_to_response(
                profile.get_context_data(contact_form=form), status=400
            )
        representative_update_own(
            actor=request.user,
            organisation=self.organisation,
            values=form.service_values(),
        )
        messages.success(request, gettext("Your contact details were saved."))
        return redirect(self.profile_url())


class ProfileWithdrawView(RepresentedOrganisationMixin, View):
    def post(self, request, *args, **kwargs):
        target = get_object_or_404(
            memberships_of(organisation=self.organisation, viewer=request.user),
            pk=kwargs["membership"],
        )
        try:
            membership_withdraw(
                membership=target,
                actor=request.user,
                ip=ratelimit.client_address(request),
            )
        except MembershipError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                gettext(
                    "Your organisation withdrew from the chapter and no longer "
                    "appears on its country page."
                ),
            )
        return redirect(self.profile_url())


class ProfileVolunteerView(RepresentedOrganisationMixin, View):
    def post(self, request, *args, **kwargs):
        task = get_object_or_404(
            tasks_for_member(organisation=self.organisation, viewer=request.user),
            pk=kwargs["task"],
        )
        if request.POST.get("volunteer") == "no":
            task_volunteer_cancel(
                task=task, organisation=self.organisation, actor=request.user
            )
            messages.success(request, gettext("Your organisation left the task."))
        else:
            try:
                task_volunteer(
                    task=task,
                    organisation=self.organisation,
                    representative=Representative.objects.filter(
                        organisation=self.organisation,
                        chapter=task.chapter,
                        user=request.user,
                    ).first(),
                    actor=request.user,
                )
            except TaskError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request, gettext("Your organisation volunteered for the task.")
                )
        return redirect(self.profile_url())
