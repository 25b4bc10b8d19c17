"""Staff pages across chapters: the overview of every chapter, with the
quiet ones (no activity for some days) singled out."""

from django.views.generic import TemplateView

from .. import dashboard
from ..forms.staff import QuietDaysForm
from ..permissions import StaffRequiredMixin


class StaffOverviewView(StaffRequiredMixin, TemplateView):
    template_name = "chapters/staff_overview.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = QuietDaysForm(self.request.GET or None)
        days = dashboard.QUIET_DAYS
        if form.is_bound and form.is_valid() and form.cleaned_data["days"]:
            days = form.cleaned_data["days"]
        chapters = dashboard.staff_overview(quiet_days=days)
        only_quiet = self.request.GET.get("quiet") == "1"
        context.update(
            form=form,
            days=days,
            only_quiet=only_quiet,
            quiet_count=sum(1 for chapter in chapters if chapter.is_quiet),
            chapters=[c for c in chapters if c.is_quiet] if only_quiet else chapters,
            total=len(chapters),
        )
        return context
