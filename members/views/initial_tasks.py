"""Organisers' pages of a chapter's initial tasks: the list, add and edit."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext, ngettext
from django.views.generic import TemplateView

from chapters.languages import localized

from ..forms.initial_tasks import TaskForm
from ..models import InitialTask
from ..selectors import chapter_tasks
from ..services.initial_tasks import (
    TaskError,
    member_organisations,
    task_save,
    tasks_suggest,
)
from .base import MembershipTabMixin


class TaskListView(MembershipTabMixin, TemplateView):
    template_name = "members/task_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tasks"] = chapter_tasks(chapter=self.chapter)
        return context

    def post(self, request, *args, **kwargs):
        count = tasks_suggest(actor=request.user, chapter=self.chapter)
        messages.success(
            request,
            ngettext(
                "%(count)s suggested task was added.",
                "%(count)s suggested tasks were added.",
                count,
            )
            % {"count": count},
        )
        return redirect("members:tasks", iso2=self.chapter.iso2)


class TaskFormView(MembershipTabMixin, TemplateView):
    template_name = "members/task_form.html"

    def get_task(self):
        if "task" not in self.kwargs:
            return None
        return get_object_or_404(
            InitialTask, chapter=self.chapter, pk=self.kwargs["task"]
        )

    def form(self, data=None):
        return TaskForm(
            data,
            instance=self.get_task(),
            members=member_organisations(self.chapter).order_by(*localized("name")),
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["form"] = kwargs.get("form") or self.form()
        context["task"] = self.get_task()
        return context

    def post(self, request, *args, **kwargs):
        form = self.form(request.POST)
        if form.is_valid():
            try:
                task_save(
                    actor=request.user,
                    chapter=self.chapter,
                    values=form.cleaned_data,
                    task=self.get_task(),
                )
            except TaskError as error:
                form.add_error("lead", str(error))
            else:
                messages.success(request, gettext("The task was saved."))
                return redirect("members:tasks", iso2=self.chapter.iso2)
        return self.render_to_response(self.get_context_data(form=form), status=400)
