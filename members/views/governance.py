"""Organisers' page of a chapter's governance: its current roles grouped by
role, the past ones below, appointing a member organisation's representative,
and correcting, ending or removing a role (POST only)."""

from dataclasses import dataclass

from django.contrib import messages
from django.db.models import Prefetch
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext
from django.views.generic import TemplateView, View

from chapters.languages import field_in_language, localized
from chapters.permissions import ChapterOrganiserMixin

from ..forms.governance import GovernanceAssignForm, GovernanceRoleForm
from ..models import GovernanceArea, GovernanceRole, Representative
from ..public import GOVERNANCE_HEADINGS
from ..services.governance import (
    GovernanceError,
    governance_role_assign,
    governance_role_delete,
    governance_role_end,
    governance_role_update,
    member_organisations,
    role_label,
)

Kind = GovernanceRole.Kind
KIND_ORDER = [Kind.CO_CHAIR, Kind.HOST, Kind.STEERING, Kind.FOCAL_POINT]
AREA_ORDER = {area: index for index, area in enumerate(GovernanceArea.values)}


@dataclass
class RoleRow:
    role: GovernanceRole
    label: str
    form: GovernanceRoleForm


@dataclass
class KindGroup:
    kind: str
    label: str
    rows: list


def _sort_key(role: GovernanceRole):
    return (
        KIND_ORDER.index(role.kind),
        AREA_ORDER.get(role.area, -1),
        field_in_language(role.organisation, "name")[0].casefold(),
    )


def chapter_roles(chapter) -> tuple[list[KindGroup], list[RoleRow]]:
    """The chapter's current roles grouped by role (in KIND_ORDER) and its
    past roles, latest ended first, in one query."""
    roles = list(
        GovernanceRole.objects.for_chapter(chapter).select_related(
            "organisation", "representative"
        )
    )
    groups = {
        kind: KindGroup(kind, GOVERNANCE_HEADINGS[kind], []) for kind in KIND_ORDER
    }
    past = []
    for role in sorted(roles, key=_sort_key):
        row = RoleRow(
            role,
            role_label(role),
            GovernanceRoleForm(instance=role, prefix=str(role.pk)),
        )
        if role.is_current:
            groups[role.kind].rows.append(row)
        else:
            past.append(row)
    past.sort(key=lambda row: row.role.ends_on, reverse=True)
    return [groups[kind] for kind in KIND_ORDER if groups[kind].rows], past


class GovernanceMixin(ChapterOrganiserMixin):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["manage_tab"] = "governance"
        return context

    def to_page(self):
        return redirect("members:governance", iso2=self.chapter.iso2)


class GovernanceView(GovernanceMixin, TemplateView):
    template_name = "members/governance_page.html"

    def assign_form(self, data=None) -> GovernanceAssignForm:
        organisations = member_organisations(self.chapter).prefetch_related(
            Prefetch(
                "representatives",
                queryset=Representative.objects.for_chapter(self.chapter).order_by(
                    "-is_primary", "name", "pk"
                ),
                to_attr="chapter_representatives",
            )
        )
        return GovernanceAssignForm(
            data, organisations=list(organisations.order_by(*localized("name")))
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        current, past = chapter_roles(self.chapter)
        context.update(
            current=current,
            past=past,
            form=kwargs.get("form") or self.assign_form(),
            interim_co_chairs_shown=any(
                group.kind == Kind.CO_CHAIR for group in current
            )
            and any(getattr(self.chapter, column) for column in localized("co_chairs")),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = self.assign_form(request.POST)
        if form.is_valid():
            try:
                governance_role_assign(
                    actor=request.user,
                    chapter=self.chapter,
                    kind=form.cleaned_data["kind"],
                    area=form.cleaned_data["area"],
                    organisation=form.cleaned_data["organisation"],
                    representative=form.cleaned_data["representative"],
                    starts_on=form.cleaned_data["starts_on"],
                    note=form.cleaned_data["note"],
                )
            except GovernanceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, gettext("The role was recorded."))
                return self.to_page()
        return self.render_to_response(self.get_context_data(form=form), status=400)


class GovernanceRoleActionView(GovernanceMixin, View):
    """Correct, end or remove one role of this chapter (another chapter's is
    a 404)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        role = get_object_or_404(
            GovernanceRole.objects.for_chapter(self.chapter), pk=kwargs["pk"]
        )
        action = request.POST.get("action")
        try:
            if action == "end":
                governance_role_end(actor=request.user, chapter=self.chapter, role=role)
                messages.success(request, gettext("The role was ended."))
            elif action == "delete":
                governance_role_delete(
                    actor=request.user, chapter=self.chapter, role=role
                )
                messages.success(request, gettext("The role was removed."))
            elif action == "update":
                form = GovernanceRoleForm(
                    request.POST, instance=role, prefix=str(role.pk)
                )
                if not form.is_valid():
                    for errors in form.errors.values():
                        for error in errors:
                            messages.error(request, error)
                    return self.to_page()
                governance_role_update(
                    actor=request.user,
                    chapter=self.chapter,
                    role=role,
                    starts_on=form.cleaned_data["starts_on"],
                    ends_on=form.cleaned_data["ends_on"],
                    note=form.cleaned_data["note"],
                )
                messages.success(request, gettext("The role was saved."))
            else:
                return HttpResponseBadRequest()
        except GovernanceError as error:
            messages.error(request, str(error))
        return self.to_page()
