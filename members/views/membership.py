"""Organisers' membership pages: the chapter's board of memberships by state
(and the request form), one membership's history, and marking the chapter
as forming."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.views import View
from django.views.generic import TemplateView

from chapters.models import Chapter
from chapters.services import ChapterError, chapter_update

from ..forms.board import BoardFilterForm
from ..forms.membership import RequestForm
from ..models import ConfirmationLink, Membership, Organisation, Prospect
from ..selectors import (
    membership_board,
    membership_history,
    membership_state_counts,
    request_candidates,
)
from ..services.membership import membership_request
from ..services.membership_links import membership_links_revoke
from ..services.membership_rules import OPEN_STATES
from .base import MembershipTabMixin

State = Membership.State
PAGE_SIZE = 25


class MembershipListView(MembershipTabMixin, TemplateView):
    """The chapter's memberships by state, and the form that asks
    organisations on the outreach list to confirm. Both lists are filtered
    and paginated (`page` and `candidates_page`), so the page stays the same
    size however many organisations the chapter has."""

    template_name = "members/membership_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filter_form = BoardFilterForm(self.request.GET)
        values = filter_form.values()
        board = Paginator(
            membership_board(
                chapter=self.chapter, query=values["q"], state=values["state"]
            ),
            PAGE_SIZE,
        ).get_page(self.request.GET.get("page"))
        candidates_page = Paginator(
            request_candidates(
                chapter=self.chapter, query=values["q"], stage=values["stage"]
            ),
            PAGE_SIZE,
        ).get_page(self.request.GET.get("candidates_page"))
        candidates = list(candidates_page.object_list)
        form = kwargs.get("form")
        if form is None:
            form = RequestForm(
                organisations=Organisation.objects.none(),
                initial={
                    "organisations": [
                        p.organisation_id
                        for p in candidates
                        if p.stage == Prospect.Stage.ATTENDED
                        and p.membership_state not in (*OPEN_STATES, State.CONFIRMED)
                    ]
                },
            )
        selected = {str(value) for value in (form["organisations"].value() or [])}
        for prospect in candidates:
            prospect.selected = str(prospect.organisation_id) in selected
            prospect.state_label = (
                State(prospect.membership_state).label
                if prospect.membership_state
                else ""
            )
        state_counts = membership_state_counts(chapter=self.chapter)
        context.update(
            filter_form=filter_form,
            filtered=any(values.values()),
            memberships=board.object_list,
            page_obj=board,
            query_string=_query_without(self.request.GET, "page"),
            any_membership=any(state_counts.values()),
            listed_count=state_counts[State.CONFIRMED],
            candidates=candidates,
            candidates_page=candidates_page,
            candidates_query=_query_without(self.request.GET, "candidates_page"),
            form=form,
        )
        return context

    def post(self, request, *args, **kwargs):
        form = RequestForm(
            request.POST,
            organisations=Organisation.objects.filter(prospects__chapter=self.chapter),
        )
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        result = membership_request(
            actor=request.user,
            chapter=self.chapter,
            organisations=form.cleaned_data["organisations"],
            remind_after_days=form.cleaned_data["remind_after_days"],
        )
        if result.requested:
            messages.success(
                request,
                ngettext(
                    "Confirmation requested from %(count)s organisation; "
                    "%(emails)s e-mails are on their way.",
                    "Confirmation requested from %(count)s organisations; "
                    "%(emails)s e-mails are on their way.",
                    len(result.requested),
                )
                % {"count": len(result.requested), "emails": result.emails},
            )
        if result.already:
            messages.info(
                request,
                ngettext(
                    "%(count)s organisation was already asked or is listed; "
                    "nothing was sent to it.",
                    "%(count)s organisations were already asked or are listed; "
                    "nothing was sent to them.",
                    len(result.already),
                )
                % {"count": len(result.already)},
            )
        if result.unreachable:
            messages.warning(
                request,
                ngettext(
                    "%(count)s organisation has no representative we may "
                    "e-mail; add an address on the outreach list first.",
                    "%(count)s organisations have no representative we may "
                    "e-mail; add an address on the outreach list first.",
                    len(result.unreachable),
                )
                % {"count": len(result.unreachable)},
            )
        # Back to the same filtered pages the organisers asked from.
        query = request.GET.urlencode()
        return redirect(f"{self.board_url()}?{query}" if query else self.board_url())


def _query_without(data, name: str) -> str:
    """The query string of these filters and pages, without `name`, for the
    links of that list's pages."""
    query = data.copy()
    query.pop(name, None)
    return query.urlencode()


class MembershipDetailView(MembershipTabMixin, TemplateView):
    """One membership's history (the consent records) and its links; the
    organiser can send the request again or stop the links, never answer."""

    template_name = "members/membership_detail.html"

    def get_membership(self) -> Membership:
        return get_object_or_404(
            Membership.objects.select_related(
                "organisation", "chapter"
            ).prefetch_related(
                Prefetch(
                    "links",
                    queryset=ConfirmationLink.objects.select_related(
                        "representative"
                    ).order_by("-created_at", "-pk"),
                )
            ),
            chapter=self.chapter,
            pk=self.kwargs["pk"],
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        target = self.get_membership()
        context.update(
            membership=target,
            organisation=target.organisation,
            events=membership_history(membership=target),
            links=target.links.all(),
            is_open=target.state in OPEN_STATES,
            now=timezone.now(),
        )
        return context

    def post(self, request, *args, **kwargs):
        target = self.get_membership()
        detail = reverse(
            "members:membership_detail",
            kwargs={"iso2": self.chapter.iso2, "pk": target.pk},
        )
        if request.POST.get("do") == "revoke":
            count = membership_links_revoke(actor=request.user, membership=target)
            messages.success(
                request,
                ngettext(
                    "%(count)s link was stopped.",
                    "%(count)s links were stopped.",
                    count,
                )
                % {"count": count},
            )
            return redirect(detail)
        result = membership_request(
            actor=request.user,
            chapter=self.chapter,
            organisations=[target.organisation],
            remind_after_days=target.remind_after_days,
            resend=True,
        )
        if result.unreachable:
            messages.warning(
                request,
                gettext("No representative of this organisation may be e-mailed."),
            )
        elif result.already:
            messages.info(request, gettext("This organisation is already listed."))
        else:
            messages.success(
                request,
                gettext("The request was sent (%(emails)s e-mails).")
                % {"emails": result.emails},
            )
        return redirect(detail)


class ChapterFormingView(MembershipTabMixin, View):
    """The organisers' answer to the prompt shown once members confirm."""

    def post(self, request, *args, **kwargs):
        if (
            self.chapter.is_before_forming
            and Membership.objects.listed().for_chapter(self.chapter).exists()
        ):
            try:
                chapter_update(
                    actor=request.user,
                    chapter=self.chapter,
                    data={"status": Chapter.Status.FORMING},
                )
            except ChapterError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request, gettext("The chapter is now forming. Congratulations!")
                )
        return redirect("chapters:manage", iso2=self.chapter.iso2)
