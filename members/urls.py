from django.urls import path

# Each area's module is loaded here, so that views.<area> names it.
import members.views.governance
import members.views.imports
import members.views.initial_tasks
import members.views.membership
import members.views.membership_answer
import members.views.merge
import members.views.optout
import members.views.outreach
import members.views.profile  # noqa: F401
from chapters import ids  # noqa: F401 # registers the <id:…> path converter

from . import views

app_name = "members"

outreach = "manage/<str:iso2>/outreach/"
board = "manage/<str:iso2>/membership/"
profile = "my/organisations/<id:pk>/"

urlpatterns = [
    path(outreach, views.outreach.OutreachListView.as_view(), name="outreach"),
    path(
        f"{outreach}export.csv",
        views.outreach.OutreachExportView.as_view(),
        name="outreach_export",
    ),
    path(f"{outreach}add/", views.outreach.OrganisationAddView.as_view(), name="add"),
    path(
        f"{outreach}<id:pk>/",
        views.outreach.ProspectDetailView.as_view(),
        name="prospect",
    ),
    path(
        f"{outreach}<id:pk>/edit/",
        views.outreach.OrganisationEditView.as_view(),
        name="organisation_edit",
    ),
    path(
        f"{outreach}<id:pk>/merge/",
        views.merge.MergeChooseView.as_view(),
        name="merge",
    ),
    path(
        f"{outreach}<id:pk>/merge/<id:other>/",
        views.merge.MergeConfirmView.as_view(),
        name="merge_confirm",
    ),
    path(
        f"{outreach}<id:pk>/representatives/add/",
        views.outreach.RepresentativeFormView.as_view(),
        name="representative_add",
    ),
    path(
        f"{outreach}<id:pk>/representatives/<id:rep>/edit/",
        views.outreach.RepresentativeFormView.as_view(),
        name="representative_edit",
    ),
    path(
        f"{outreach}<id:pk>/representatives/<id:rep>/remove/",
        views.outreach.RepresentativeDeleteView.as_view(),
        name="representative_remove",
    ),
    path(
        f"{outreach}<id:pk>/representatives/<id:rep>/opt-out/",
        views.outreach.RepresentativeOptOutView.as_view(),
        name="representative_opt_out",
    ),
    path(f"{outreach}import/", views.imports.ImportUploadView.as_view(), name="import"),
    path(
        f"{outreach}import/template-<str:language>.<str:file_format>",
        views.imports.ImportTemplateView.as_view(),
        name="import_template",
    ),
    path(
        f"{outreach}import/<id:pk>/",
        views.imports.ImportJobView.as_view(),
        name="import_job",
    ),
    path(
        f"{outreach}import/<id:pk>/status/",
        views.imports.ImportStatusView.as_view(),
        name="import_status",
    ),
    path(
        f"{outreach}import/<id:pk>/commit/",
        views.imports.ImportCommitView.as_view(),
        name="import_commit",
    ),
    path(
        f"{outreach}import/<id:pk>/cancel/",
        views.imports.ImportCancelView.as_view(),
        name="import_cancel",
    ),
    path("opt-out/<str:token>/", views.optout.OptOutView.as_view(), name="opt_out"),
    # Membership: organisers
    path(board, views.membership.MembershipListView.as_view(), name="memberships"),
    path(
        f"{board}<id:pk>/",
        views.membership.MembershipDetailView.as_view(),
        name="membership_detail",
    ),
    path(
        f"{board}forming/",
        views.membership.ChapterFormingView.as_view(),
        name="chapter_forming",
    ),
    path(f"{board}tasks/", views.initial_tasks.TaskListView.as_view(), name="tasks"),
    path(
        f"{board}tasks/add/",
        views.initial_tasks.TaskFormView.as_view(),
        name="task_add",
    ),
    path(
        f"{board}tasks/<id:task>/",
        views.initial_tasks.TaskFormView.as_view(),
        name="task_edit",
    ),
    # Governance: the chapter's roles
    path(
        "manage/<str:iso2>/governance/",
        views.governance.GovernanceView.as_view(),
        name="governance",
    ),
    path(
        "manage/<str:iso2>/governance/<id:pk>/",
        views.governance.GovernanceRoleActionView.as_view(),
        name="governance_role",
    ),
    # Membership: representatives, from their personal links
    path(
        "membership/done/",
        views.membership_answer.MembershipDoneView.as_view(),
        name="membership_done",
    ),
    path(
        "membership/<id:pk>/<str:token>/",
        views.membership_answer.MembershipAnswerView.as_view(),
        name="membership_answer",
    ),
    path(
        "membership/<id:pk>/<str:token>/withdraw/",
        views.membership_answer.MembershipWithdrawLinkView.as_view(),
        name="membership_withdraw",
    ),
    # Membership: the representative's profile, signed in
    path(
        profile,
        views.profile.OrganisationProfileView.as_view(),
        name="organisation_profile",
    ),
    path(
        f"{profile}contact/",
        views.profile.ProfileContactView.as_view(),
        name="profile_contact",
    ),
    path(
        f"{profile}memberships/<id:membership>/withdraw/",
        views.profile.ProfileWithdrawView.as_view(),
        name="profile_withdraw",
    ),
    path(
        f"{profile}tasks/<id:task>/volunteer/",
        views.profile.ProfileVolunteerView.as_view(),
        name="profile_volunteer",
    ),
]
