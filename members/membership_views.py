"""Pages of membership: the representative's confirmation and withdrawal
pages (personal links, no account needed), the representative's profile
(signed in), and the organisers' membership and task pages. Views bind a
form, check permission, call one service, message and redirect."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import get_language, gettext, ngettext
from django.views import View
from django.views.generic import TemplateView

from chapters import ratelimit
from chapters.models import Chapter
from chapters.permissions import ChapterOrganiserMixin, organisations_represented_by
from chapters.services import ChapterError, chapter_update

from . import initial_tasks, membership
from .consent import consent_statement_current
from .membership import (
    LINK_MESSAGES,
    OPEN_STATES,
    LinkUnusable,
    MembershipError,
    MembershipRefused,
)
from .membership_forms import (
    AnswerForm,
    OwnContactForm,
    PublicProfileForm,
    RequestForm,
    TaskForm,
)
from .models import (
    ConfirmationLink,
    InitialTask,
    Membership,
    MembershipEvent,
    Organisation,
    Prospect,
    Representative,
)
from .selectors import (
    chapter_tasks,
    membership_board,
    membership_history,
    memberships_of,
    organisation_contacts,
    request_candidates,
    tasks_for_member,
)
from .services import (
    ProfileChangeRefused,
    organisation_update,
    representative_update_own,
)

Action = MembershipEvent.Action
Purpose = ConfirmationLink.Purpose
State = Membership.State
DONE_SESSION_KEY = "membership_done"


# Personal links -------------------------------------------------------------------


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
            lambda: membership.link_find(
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
        if problem := membership.link_problem(self.link):
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
        organisation = self.membership.organisation
        context.update(
            link=self.link,
            membership=self.membership,
            chapter=self.membership.chapter,
            organisation=organisation,
            representative=self.link.representative,
            statement=statement,
            statement_text=statement.text_in(get_language()),
            # Said before anything is sent; the refusal itself gives the
            # full reason (membership.ORGANISER_CONSENT_MESSAGE).
            organiser_consent=membership.ORGANISER_ANSWER_MESSAGE
            if membership.organiser_consent(self.request.user, self.link)
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
                membership.membership_decline(
                    link=self.link, language=language, ip=ip, actor=actor
                )
            elif action == Action.CONSULT:
                membership.membership_consult(
                    link=self.link,
                    language=language,
                    ip=ip,
                    profile=profile_form.service_values(),
                    logo=profile_form.prepared_logo,
                    actor=actor,
                )
            else:
                membership.membership_confirm(
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
            membership.membership_withdraw(
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
        opened = membership.representative_account_open(
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


# The representative's profile ----------------------------------------------------


class RepresentedOrganisationMixin(LoginRequiredMixin):
    """The organisation, fetched only among those the signed-in person
    represents: any other is a 404. Within it, the person sees and acts only
    in the chapters that linked their account (the selectors take the
    viewer): another chapter's contacts, membership and tasks are not
    theirs."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.organisation = get_object_or_404(
            organisations_represented_by(request.user), pk=kwargs["pk"]
        )
        return super().dispatch(request, *args, **kwargs)

    def profile_url(self) -> str:
        return reverse(
            "members:organisation_profile", kwargs={"pk": self.organisation.pk}
        )

    def own_contact_form(self, data=None, instance=None):
        if instance is None:
            instance = Representative.objects.filter(
                organisation=self.organisation, user=self.request.user
            ).first()
        return OwnContactForm(
            data, instance=instance, region=str(self.organisation.country.code or "")
        )


class OrganisationProfileView(RepresentedOrganisationMixin, TemplateView):
    template_name = "members/organisation_profile.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        viewer = self.request.user
        tasks = list(tasks_for_member(organisation=self.organisation, viewer=viewer))
        for task in tasks:
            task.volunteering = any(
                organisation.pk == self.organisation.pk
                for organisation in task.volunteers.all()
            )
        contacts = list(
            organisation_contacts(organisation=self.organisation, viewer=viewer)
        )
        own = next(
            (
                contact
                for contact in contacts
                if contact.user_id == self.request.user.pk
            ),
            None,
        )
        context.update(
            organisation=self.organisation,
            form=kwargs.get("form") or PublicProfileForm(instance=self.organisation),
            memberships=memberships_of(organisation=self.organisation, viewer=viewer),
            tasks=tasks,
            contacts=contacts,
            contact_form=kwargs.get("contact_form")
            or self.own_contact_form(instance=own),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = PublicProfileForm(
            request.POST,
            request.FILES,
            instance=Organisation.objects.get(pk=self.organisation.pk),
        )
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        try:
            organisation_update(
                actor=request.user,
                chapter=None,
                organisation=self.organisation,
                values=form.service_values(),
                logo=form.prepared_logo,
            )
        except ProfileChangeRefused as error:
            form.add_error(None, str(error))
            return self.render_to_response(self.get_context_data(form=form), status=403)
        messages.success(request, gettext("Your organisation's profile was saved."))
        return redirect(self.profile_url())


class ProfileContactView(RepresentedOrganisationMixin, View):
    """The signed-in representative corrects their own contact details."""

    def post(self, request, *args, **kwargs):
        form = self.own_contact_form(request.POST)
        if not form.is_valid():
            profile = OrganisationProfileView(
                request=request,
                args=args,
                kwargs=kwargs,
                organisation=self.organisation,
            )
            return profile.render_to_response(
                profile.get_context_data(contact_form=form), status=400
            )
        representative_update_own(
            actor=request.user,
            organisation=self.organisation,
            values=form.service_values(),
        )
        messages.success(request, gettext("Your contact details were saved."))
        return redirect(self.profile_url())


class ProfileWithdrawView(RepresentedOrganisationMixin, View):
    def post(self, request, *args, **kwargs):
        target = get_object_or_404(
            memberships_of(organisation=self.organisation, viewer=request.user),
            pk=kwargs["membership"],
        )
        try:
            membership.membership_withdraw(
                membership=target,
                actor=request.user,
                ip=ratelimit.client_address(request),
            )
        except MembershipError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                gettext(
                    "Your organisation withdrew from the chapter and no longer "
                    "appears on its country page."
                ),
            )
        return redirect(self.profile_url())


class ProfileVolunteerView(RepresentedOrganisationMixin, View):
    def post(self, request, *args, **kwargs):
        task = get_object_or_404(
            tasks_for_member(organisation=self.organisation, viewer=request.user),
            pk=kwargs["task"],
        )
        if request.POST.get("volunteer") == "no":
            initial_tasks.task_volunteer_cancel(
                task=task, organisation=self.organisation, actor=request.user
            )
            messages.success(request, gettext("Your organisation left the task."))
        else:
            try:
                initial_tasks.task_volunteer(
                    task=task,
                    organisation=self.organisation,
                    representative=Representative.objects.filter(
                        organisation=self.organisation,
                        chapter=task.chapter,
                        user=request.user,
                    ).first(),
                    actor=request.user,
                )
            except initial_tasks.TaskError as error:
                messages.error(request, str(error))
            else:
                messages.success(
                    request, gettext("Your organisation volunteered for the task.")
                )
        return redirect(self.profile_url())


# Organiser pages --------------------------------------------------------------------


class MembershipTabMixin(ChapterOrganiserMixin):
    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["manage_tab"] = "membership"
        return context

    def board_url(self) -> str:
        return reverse("members:memberships", kwargs={"iso2": self.chapter.iso2})


class MembershipListView(MembershipTabMixin, TemplateView):
    """The chapter's memberships by state, and the form that asks
    organisations on the outreach list to confirm."""

    template_name = "members/membership_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        candidates = list(request_candidates(chapter=self.chapter))
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
        board = list(membership_board(chapter=self.chapter))
        context.update(
            memberships=board,
            listed_count=sum(1 for m in board if m.state == State.CONFIRMED),
            candidates=candidates,
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
        result = membership.membership_request(
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
        return redirect(self.board_url())


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
            count = membership.membership_links_revoke(
                actor=request.user, membership=target
            )
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
        result = membership.membership_request(
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
            self.chapter.status
            in (
                Chapter.Status.INTEREST,
                Chapter.Status.EXPLORING,
            )
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


class TaskListView(MembershipTabMixin, TemplateView):
    template_name = "members/task_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["tasks"] = chapter_tasks(chapter=self.chapter)
        return context

    def post(self, request, *args, **kwargs):
        count = initial_tasks.tasks_suggest(actor=request.user, chapter=self.chapter)
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
            members=initial_tasks.member_organisations(self.chapter).order_by(
                "name_ar", "name_en"
            ),
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
                initial_tasks.task_save(
                    actor=request.user,
                    chapter=self.chapter,
                    values=form.cleaned_data,
                    task=self.get_task(),
                )
            except initial_tasks.TaskError as error:
                form.add_error("lead", str(error))
            else:
                messages.success(request, gettext("The task was saved."))
                return redirect("members:tasks", iso2=self.chapter.iso2)
        return self.render_to_response(self.get_context_data(form=form), status=400)
