from django.urls import path

from chapters import ids  # noqa: F401 # registers the <id:…> path converter

from . import membership_views, merge_views, views

app_name = "members"

outreach = "manage/<str:iso2>/outreach/"
board = "manage/<str:iso2>/membership/"
profile = "my/organisations/<id:pk>/"

urlpatterns = [
    path(outreach, views.OutreachListView.as_view(), name="outreach"),
    path(
        f"{outreach}export.csv",
        views.OutreachExportView.as_view(),
        name="outreach_export",
    ),
    path(f"{outreach}add/", views.OrganisationAddView.as_view(), name="add"),
    path(f"{outreach}<id:pk>/", views.ProspectDetailView.as_view(), name="prospect"),
    path(
        f"{outreach}<id:pk>/edit/",
        views.OrganisationEditView.as_view(),
        name="organisation_edit",
    ),
    path(
        f"{outreach}<id:pk>/merge/",
        merge_views.MergeChooseView.as_view(),
        name="merge",
    ),
    path(
        f"{outreach}<id:pk>/merge/<id:other>/",
        merge_views.MergeConfirmView.as_view(),
        name="merge_confirm",
    ),
    path(
        f"{outreach}<id:pk>/representatives/add/",
        views.RepresentativeFormView.as_view(),
        name="representative_add",
    ),
    path(
        f"{outreach}<id:pk>/representatives/<id:rep>/edit/",
        views.RepresentativeFormView.as_view(),
        name="representative_edit",
    ),
    path(
        f"{outreach}<id:pk>/representatives/<id:rep>/remove/",
        views.RepresentativeDeleteView.as_view(),
        name="representative_remove",
    ),
    path(
        f"{outreach}<id:pk>/representatives/<id:rep>/opt-out/",
        views.RepresentativeOptOutView.as_view(),
        name="representative_opt_out",
    ),
    path(f"{outreach}import/", views.ImportUploadView.as_view(), name="import"),
    path(
        f"{outreach}import/template-<str:language>.<str:file_format>",
        views.ImportTemplateView.as_view(),
        name="import_template",
    ),
    path(
        f"{outreach}import/<id:pk>/", views.ImportJobView.as_view(), name="import_job"
    ),
    path(
        f"{outreach}import/<id:pk>/status/",
        views.ImportStatusView.as_view(),
        name="import_status",
    ),
    path(
        f"{outreach}import/<id:pk>/commit/",
        views.ImportCommitView.as_view(),
        name="import_commit",
    ),
    path(
        f"{outreach}import/<id:pk>/cancel/",
        views.ImportCancelView.as_view(),
        name="import_cancel",
    ),
    path("opt-out/<str:token>/", views.OptOutView.as_view(), name="opt_out"),
    # Membership: organisers
    path(board, membership_views.MembershipListView.as_view(), name="memberships"),
    path(
        f"{board}<id:pk>/",
        membership_views.MembershipDetailView.as_view(),
        name="membership_detail",
    ),
    path(
        f"{board}forming/",
        membership_views.ChapterFormingView.as_view(),
        name="chapter_forming",
    ),
    path(f"{board}tasks/", membership_views.TaskListView.as_view(), name="tasks"),
    path(
        f"{board}tasks/add/", membership_views.TaskFormView.as_view(), name="task_add"
    ),
    path(
        f"{board}tasks/<id:task>/",
        membership_views.TaskFormView.as_view(),
        name="task_edit",
    ),
    # Membership: representatives, from their personal links
    path(
        "membership/done/",
        membership_views.MembershipDoneView.as_view(),
        name="membership_done",
    ),
    path(
        "membership/<id:pk>/<str:token>/",
        membership_views.MembershipAnswerView.as_view(),
        name="membership_answer",
    ),
    path(
        "membership/<id:pk>/<str:token>/withdraw/",
        membership_views.MembershipWithdrawLinkView.as_view(),
        name="membership_withdraw",
    ),
    # Membership: the representative's profile, signed in
    path(
        profile,
        membership_views.OrganisationProfileView.as_view(),
        name="organisation_profile",
    ),
    path(
        f"{profile}contact/",
        membership_views.ProfileContactView.as_view(),
        name="profile_contact",
    ),
    path(
        f"{profile}memberships/<id:membership>/withdraw/",
        membership_views.ProfileWithdrawView.as_view(),
        name="profile_withdraw",
    ),
    path(
        f"{profile}tasks/<id:task>/volunteer/",
        membership_views.ProfileVolunteerView.as_view(),
        name="profile_volunteer",
    ),
]
