"""The signed-in person's own pages: the chapters they organise and the
organisations they represent ("my chapters"), and an organiser's
notification settings."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.generic import FormView, TemplateView

from .. import notifications, services
from ..forms.mine import NotificationPreferenceForm
from ..permissions import (
    OrganiserRequiredMixin,
    chapters_managed_by,
    organisations_represented_by,
)


class MyChaptersView(LoginRequiredMixin, TemplateView):
    """Where a signed-in person lands: the chapters they organise and the
    organisations they represent."""

    template_name = "chapters/my_chapters.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["chapters"] = chapters_managed_by(self.request.user)
        context["organisations"] = organisations_represented_by(self.request.user)
        return context


class NotificationSettingsView(OrganiserRequiredMixin, FormView):
    """An organiser's choice: each answer at once, a daily digest, or
    nothing; and the language of these e-mails."""

    template_name = "chapters/notification_settings.html"
    form_class = NotificationPreferenceForm

    def get_initial(self):
        preference = notifications.preference_for(self.request.user)
        return {"delivery": preference.delivery, "language": preference.language}

    def form_valid(self, form):
        services.organiser_preference_save(
            actor=self.request.user,
            delivery=form.cleaned_data["delivery"],
            language=form.cleaned_data["language"],
        )
        messages.success(self.request, _("Your notification settings are saved."))
        return redirect("chapters:notification_settings")
