"""The representative's membership pages behind a personal link (no account
needed): answering a request (consult, confirm with consent, decline),
withdrawing, and the page after confirming that offers an account. GET
never changes anything, as mail scanners open links."""

from django.contrib import messages
from django.contrib.auth import login
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext
from django.views.generic import TemplateView

from chapters import ratelimit
from chapters.languages import field_in_language

from ..forms.membership import AnswerForm
from ..forms.profile import PublicProfileForm
from ..models import (
    ConfirmationLink,
    InitialTask,
    Membership,
    MembershipEvent,
    Organisation,
    Representative,
)
from ..services.accounts import representative_account_open
from ..services.consent import consent_statement_current
from ..services.membership import (
    ORGANISER_ANSWER_MESSAGE,
    membership_confirm,
    membership_consult,
    membership_decline,
    membership_withdraw,
    organiser_consent,
)
from ..services.membership_links import link_find, link_problem
from ..services.membership_rules import (
    LINK_MESSAGES,
    OPEN_STATES,
    LinkUnusable,
    MembershipError,
    MembershipRefused,
)

Action = MembershipEvent.Action
Purpose = ConfirmationLink.Purpose
State = Membership.State
DONE_SESSION_KEY = "membership_done"


class PersonalLinkMixin:
    """Finds the link from the address; a link that does not exist, belongs
    to another organisation or serves another purpose is a 404; an expired,
    revoked or used one a clear page (410). GET never changes anything, as
    mail scanners open links."""

    purpose = Purpose.RESPOND

    def dispatch(self, request, *args, **kwargs):
        self.link, status = ratelimit.personal_link_lookup(
            request,
            "membership",
            kwargs["token"],
            lambda: link_find(
                membership_id=kwargs["pk"],
                raw_token=kwargs["token"],
                purpose=self.purpose,
            ),
        )
        if status == 429:
            return render(request, "chapters/too_many_attempts.html", status=429)
        if status:
            return render(
                request, "members/membership_link_invalid.html", {}, status=404
            )
        if problem := link_problem(self.link):
            return self.unusable(problem)
        self.membership = self.link.membership
        return super().dispatch(request, *args, **kwargs)

    def unusable(self, problem: str):
        return render(
            self.request,
            "members/membership_link_invalid.html",
            {
                "message": LINK_MESSAGES[problem],
                "chapter": self.link.membership.chapter,
            },
            status=410,
        )

    def refused(self, error: MembershipRefused):
        return self.state_page(message=str(error), status=409)

    def state_page(self, *, message: str = "", status: int = 200):
        current = Membership.objects.select_related("chapter", "organisation").get(
            pk=self.link.membership_id
        )
        return render(
            self.request,
            "members/membership_state.html",
            {
                "membership": current,
                "chapter": current.chapter,
                "organisation": current.organisation,
                "message": message,
            },
            status=status,
        )


class MembershipAnswerView(PersonalLinkMixin, TemplateView):
    template_name = "members/membership_answer.html"

    def tasks(self):
        return InitialTask.objects.filter(chapter=self.membership.chapter).order_by(
            "order", "pk"
        )

    def get(self, request, *args, **kwargs):
        if self.membership.state not in OPEN_STATES:
            return self.state_page()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        statement = consent_statement_current()
        statement_text, statement_language = field_in_language(
            statement, "text", get_language()
        )
        organisation = self.membership.organisation
        context.update(
            link=self.link,
            membership=self.membership,
            chapter=self.membership.chapter,
            organisation=organisation,
            representative=self.link.representative,
            statement=statement,
            statement_text=statement_text,
            statement_language=statement_language,
            # Said before anything is sent; the refusal itself gives the
            # full reason (ORGANISER_CONSENT_MESSAGE).
            organiser_consent=ORGANISER_ANSWER_MESSAGE
            if organiser_consent(self.request.user, self.link)
            else "",
            profile_form=kwargs.get("profile_form")
            or PublicProfileForm(instance=organisation),
            answer_form=kwargs.get("answer_form")
            or AnswerForm(
                tasks=self.tasks(),
                initial={
                    "consent_version": statement.version,
                    "role": self.link.representative.role,
                },
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        organisation = Organisation.objects.get(pk=self.membership.organisation_id)
        profile_form = PublicProfileForm(
            request.POST, request.FILES, instance=organisation
        )
        answer_form = AnswerForm(request.POST, tasks=self.tasks())
        action = request.POST.get("action")
        ip = ratelimit.client_address(request)
        language = get_language()
        actor = request.user
        profile_ok = action == Action.DECLINE or profile_form.is_valid()
        if not (answer_form.is_valid() and profile_ok):
            return self.render_to_response(
                self.get_context_data(
                    profile_form=profile_form, answer_form=answer_form
                ),
                status=400,
            )
        data = answer_form.cleaned_data
        try:
            if action == Action.DECLINE:
                membership_decline(
                    link=self.link, language=language, ip=ip, actor=actor
                )
            elif action == Action.CONSULT:
                membership_consult(
                    link=self.link,
                    language=language,
                    ip=ip,
                    profile=profile_form.service_values(),
                    logo=profile_form.prepared_logo,
                    actor=actor,
                )
            else:
                membership_confirm(
                    link=self.link,
                    language=language,
                    ip=ip,
                    role=data["role"].strip(),
                    consent_version=data["consent_version"],
                    profile=profile_form.service_values(),
                    logo=profile_form.prepared_logo,
                    volunteer_for=[task.pk for task in data["tasks"]],
                    actor=actor,
                )
        except LinkUnusable as error:
            return self.unusable(error.reason)
        except MembershipRefused as error:
            return self.refused(error)
        except MembershipError as error:
            answer_form.add_error(None, str(error))
            return self.render_to_response(
                self.get_context_data(
                    profile_form=profile_form, answer_form=answer_form
                ),
                status=400,
            )
        if action == Action.CONSULT:
            messages.success(
                request,
                gettext(
                    "Thank you. Take the time you need: this link still works, "
                    "and we will remind you."
                ),
            )
            return redirect(request.path)
        if action == Action.DECLINE:
            return self.state_page()
        request.session[DONE_SESSION_KEY] = {
            "membership": self.membership.pk,
            "representative": self.link.representative_id,
        }
        return redirect("members:membership_done")


class MembershipWithdrawLinkView(PersonalLinkMixin, TemplateView):
    purpose = Purpose.WITHDRAW
    template_name = "members/membership_withdraw.html"

    def get(self, request, *args, **kwargs):
        if self.membership.state != State.CONFIRMED:
            return self.state_page()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            membership=self.membership,
            chapter=self.membership.chapter,
            organisation=self.membership.organisation,
        )
        return context

    def post(self, request, *args, **kwargs):
        try:
            membership_withdraw(
                membership=self.membership,
                link=self.link,
                actor=request.user,
                ip=ratelimit.client_address(request),
            )
        except LinkUnusable as error:
            return self.unusable(error.reason)
        except MembershipRefused as error:
            return self.refused(error)
        return self.state_page()


class MembershipDoneView(TemplateView):
    """Right after confirming (the session remembers who): what happened,
    and the offer of an account to edit the organisation's profile later."""

    template_name = "members/membership_done.html"

    def dispatch(self, request, *args, **kwargs):
        done = request.session.get(DONE_SESSION_KEY) or {}
        self.membership = (
            Membership.objects.select_related("chapter", "organisation")
            .filter(pk=done.get("membership"))
            .first()
        )
        self.representative = Representative.objects.filter(
            pk=done.get("representative"),
            organisation_id=getattr(self.membership, "organisation_id", None),
        ).first()
        if self.membership is None or self.representative is None:
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            membership=self.membership,
            chapter=self.membership.chapter,
            organisation=self.membership.organisation,
            representative=self.representative,
            volunteered=InitialTask.objects.filter(
                chapter=self.membership.chapter,
                volunteerings__organisation=self.membership.organisation,
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        opened = representative_account_open(
            representative=self.representative, chapter=self.membership.chapter
        )
        profile = reverse(
            "members:organisation_profile",
            kwargs={"pk": self.membership.organisation_id},
        )
        request.session.pop(DONE_SESSION_KEY, None)
        if opened.created:
            login(
                request,
                opened.user,
                backend="allauth.account.auth_backends.AuthenticationBackend",
            )
            messages.success(
                request,
                gettext(
                    "Your account is ready. Next time, sign in with a code sent "
                    "to your e-mail address."
                ),
            )
            return redirect(profile)
        if request.user.is_authenticated and request.user.pk == opened.user.pk:
            return redirect(profile)
        messages.info(
            request,
            gettext(
                "You already have an account with this e-mail address; sign in to "
                "edit your organisation's profile."
            ),
        )
        return redirect(f"{reverse('account_login')}?{urlencode({'next': profile})}")
