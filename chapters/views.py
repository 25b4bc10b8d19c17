from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import render
from django.views.generic import TemplateView

from .permissions import chapters_managed_by, organisations_represented_by


def home(request):
    return render(request, "chapters/home.html")


class MyChaptersView(LoginRequiredMixin, TemplateView):
    """Where a signed-in person lands: the chapters they organise and the
    organisations they represent."""

    template_name = "chapters/my_chapters.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["chapters"] = chapters_managed_by(self.request.user)
        context["organisations"] = organisations_represented_by(self.request.user)
        return context
