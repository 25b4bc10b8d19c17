"""Materials: the organiser's add and download pages, and material_response,
the file or link answer also used by the invitee's material page."""

from django.contrib import messages
from django.http import FileResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from ..forms.materials import MaterialForm
from ..models import Material
from ..services.errors import MeetingError
from ..services.materials import material_add, material_remove
from .base import OrganiserView, error_to_form


class MaterialAddView(OrganiserView):
    """Add a material to one meeting (pk given) or to the chapter."""

    template_name = "meetings/material_form.html"

    def post(self, request, *args, **kwargs):
        meeting = self.get_meeting() if "pk" in self.kwargs else None
        form = MaterialForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                material_add(
                    actor=request.user,
                    chapter=self.chapter,
                    meeting=meeting,
                    title=form.cleaned_data["title"],
                    languages=form.cleaned_data["languages"],
                    upload=form.cleaned_data["file"],
                    url=form.cleaned_data["url"],
                )
            except MeetingError as error:
                error_to_form(form, error)
            else:
                messages.success(request, _("The material was added."))
                return redirect(self._back(meeting))
        return self.render_to_response(
            self.get_context_data(form=form, meeting=meeting), status=400
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", MaterialForm())
        if "meeting" not in context and "pk" in self.kwargs:
            context["meeting"] = self.get_meeting()
        return context

    def _back(self, meeting):
        if meeting:
            return self.meeting_url(meeting) + "#materials"
        return reverse("meetings:list", kwargs={"iso2": self.chapter.iso2})


class MaterialOrganiserView(OrganiserView):
    def get_material(self):
        return get_object_or_404(
            Material.objects.select_related("meeting"),
            chapter=self.chapter,
            pk=self.kwargs["material"],
        )

    def get(self, request, *args, **kwargs):
        return material_response(self.get_material())

    def post(self, request, *args, **kwargs):
        material = self.get_material()
        meeting = material.meeting
        material_remove(actor=request.user, material=material)
        messages.success(request, _("The material was removed."))
        if meeting:
            return redirect(self.meeting_url(meeting) + "#materials")
        return redirect("meetings:list", iso2=self.chapter.iso2)


def material_response(material: Material):
    """A material as a download (never shown inline, so an uploaded file
    cannot run as a page of the portal), or a redirect to its link."""
    if material.is_link:
        return HttpResponseRedirect(material.url)
    response = FileResponse(
        material.file.open("rb"),
        as_attachment=True,
        filename=material.original_name or material.file.name.rsplit("/", 1)[-1],
        content_type=material.content_type or "application/octet-stream",
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
