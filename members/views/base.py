"""What the organiser pages of members share: the outreach tab's mixin (the
chapter, and a prospect fetched only from this chapter's list) and the
membership tab's."""

from django.shortcuts import get_object_or_404
from django.urls import reverse

from chapters.permissions import ChapterOrganiserMixin

from ..models import Prospect


class OutreachMixin(ChapterOrganiserMixin):
    """Every organiser page of the outreach list: the chapter's tab, and the
    prospect fetched only from this chapter's list (another chapter's is a
    404)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["manage_tab"] = "outreach"
        return context

    def get_prospect(self) -> Prospect:
        return get_object_or_404(
            Prospect.objects.select_related("organisation", "owner", "chapter"),
            chapter=self.chapter,
            pk=self.kwargs["pk"],
        )

    def outreach_url(self) -> str:
        return reverse("members:outreach", kwargs={"iso2": self.chapter.iso2})

    def prospect_url(self, prospect) -> str:
        return reverse(
            "members:prospect",
            kwargs={"iso2": self.chapter.iso2, "pk": prospect.pk},
        )


class MembershipTabMixin(ChapterOrganiserMixin):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["manage_tab"] = "membership"
        return context

    def board_url(self) -> str:
        return reverse("members:memberships", kwargs={"iso2": self.chapter.iso2})
