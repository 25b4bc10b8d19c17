"""The public opt-out page behind the personal link every e-mail carries."""

from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from chapters import ratelimit

from ..forms.optout import OptOutForm
from ..services.do_not_contact import (
    contact_allowed,
    opt_out_by_link,
    opt_out_link_find,
)


@method_decorator(csrf_exempt, name="dispatch")
class OptOutView(View):
    """Reached from the personal link in any e-mail. GET only asks (mail
    scanners open links); POST records the opt-out. CSRF does not apply: the
    secret token is the proof, and mail clients' one-click unsubscribe
    (RFC 8058) posts without a form."""

    template_name = "members/opt_out.html"

    def dispatch(self, request, *args, **kwargs):
        self.link, status = ratelimit.personal_link_lookup(
            request,
            "opt-out",
            kwargs["token"],
            lambda: opt_out_link_find(kwargs["token"]),
        )
        if status == 429:
            return render(request, "chapters/too_many_attempts.html", status=429)
        if status:
            return render(request, "members/opt_out_invalid.html", status=404)
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        already = not contact_allowed(self.link.email)
        return render(
            request,
            self.template_name,
            {"form": OptOutForm(), "email": self.link.email, "done": already},
        )

    def post(self, request, *args, **kwargs):
        form = OptOutForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        opt_out_by_link(link=self.link, reason=reason)
        return render(
            request, self.template_name, {"email": self.link.email, "done": True}
        )
