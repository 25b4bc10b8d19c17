"""Organiser pages to merge two organisations that are both on the chapter's
outreach list: choose the other one (likely duplicates first, or search the
list), compare them side by side, choose which to keep, confirm."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.generic import TemplateView

from ..models import SDG, Prospect
from ..selectors import outreach_list
from ..services.merge import (
    MergeAlreadyDone,
    MergeError,
    duplicates_on_list,
    merge_counts,
    merge_refusal,
    organisations_merge,
)
from .base import OutreachMixin

SEARCH_RESULTS = 20


class MergeChooseView(OutreachMixin, TemplateView):
    """Which organisation of the list is the same as this one?"""

    template_name = "members/merge_choose.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        prospect = self.get_prospect()
        likely = list(duplicates_on_list(prospect=prospect))
        query = self.request.GET.get("q", "").strip()[:200]
        found = []
        if query:
            found = list(
                outreach_list(chapter=self.chapter, query=query)
                .exclude(pk__in=[prospect.pk, *(p.pk for p in likely)])
                .prefetch_related(None)[:SEARCH_RESULTS]
            )
        context.update(
            prospect=prospect,
            organisation=prospect.organisation,
            likely=likely,
            query=query,
            found=found,
        )
        return context


class MergeConfirmView(OutreachMixin, TemplateView):
    """The two organisations side by side; the organiser chooses which one
    to keep and confirms."""

    template_name = "members/merge_confirm.html"

    def get_pair(self):
        """(this prospect, the other), or a redirect when one of them is no
        longer on the list: a merge already done (a retry, or a colleague)."""
        wanted = [self.kwargs["pk"], self.kwargs["other"]]
        found = {
            p.pk: p
            for p in Prospect.objects.filter(
                chapter=self.chapter, pk__in=wanted
            ).select_related("organisation", "owner")
        }
        if not found or wanted[0] == wanted[1]:
            raise Http404
        if len(found) == 1:
            (remaining,) = found.values()
            messages.info(
                self.request,
                gettext(
                    "The other organisation is no longer on the outreach list: "
                    "it may already have been merged. Nothing was changed."
                ),
            )
            return redirect(self.prospect_url(remaining))
        return found[wanted[0]], found[wanted[1]]

    def get(self, request, *args, **kwargs):
        pair = self.get_pair()
        if not isinstance(pair, tuple):
            return pair
        return self.render_to_response(self.get_context_data(pair=pair))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        prospect, other = kwargs["pair"]
        organisations = [prospect.organisation, other.organisation]
        merge_counts(organisations, chapter=self.chapter)
        for item, organisation in zip((prospect, other), organisations, strict=True):
            organisation.sdg_labels = [
                SDG(value).label
                for value in organisation.focus_sdgs
                if value in SDG.values
            ]
            organisation.prospect = item
        context.update(
            prospect=prospect,
            other=other,
            organisations=organisations,
            keep=kwargs.get("keep", prospect.organisation.pk),
            refusal=merge_refusal(
                actor=self.request.user,
                chapter=self.chapter,
                keep=organisations[0],
                absorb=organisations[1],
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        pair = self.get_pair()
        if not isinstance(pair, tuple):
            return pair
        by_pk = {p.organisation.pk: p for p in pair}
        try:
            keep_pk = int(request.POST.get("keep", ""))
        except ValueError:
            keep_pk = None
        if keep_pk not in by_pk:
            messages.error(request, gettext("Choose which organisation to keep."))
            return self.render_to_response(self.get_context_data(pair=pair), status=400)
        kept = by_pk.pop(keep_pk)
        (absorbed,) = by_pk.values()
        try:
            organisations_merge(
                actor=request.user,
                chapter=self.chapter,
                keep=kept.organisation,
                absorb=absorbed.organisation,
            )
        except MergeAlreadyDone as done:
            messages.info(request, str(done))
            return redirect(self.prospect_url(kept))
        except MergeError as error:
            messages.error(request, str(error))
            return self.render_to_response(
                self.get_context_data(pair=pair, keep=keep_pk), status=400
            )
        messages.success(
            request,
            gettext("The two organisations are now one. Nothing recorded was lost."),
        )
        return redirect(self.prospect_url(kept))
