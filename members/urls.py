from django.urls import path

from . import views

app_name = "members"

outreach = "manage/<str:iso2>/outreach/"

urlpatterns = [
    path(outreach, views.OutreachListView.as_view(), name="outreach"),
    path(
        f"{outreach}export.csv",
        views.OutreachExportView.as_view(),
        name="outreach_export",
    ),
    path(f"{outreach}add/", views.OrganisationAddView.as_view(), name="add"),
    path(f"{outreach}<int:pk>/", views.ProspectDetailView.as_view(), name="prospect"),
    path(
        f"{outreach}<int:pk>/edit/",
        views.OrganisationEditView.as_view(),
        name="organisation_edit",
    ),
    path(
        f"{outreach}<int:pk>/representatives/add/",
        views.RepresentativeFormView.as_view(),
        name="representative_add",
    ),
    path(
        f"{outreach}<int:pk>/representatives/<int:rep>/edit/",
        views.RepresentativeFormView.as_view(),
        name="representative_edit",
    ),
    path(
        f"{outreach}<int:pk>/representatives/<int:rep>/remove/",
        views.RepresentativeDeleteView.as_view(),
        name="representative_remove",
    ),
    path(
        f"{outreach}<int:pk>/representatives/<int:rep>/opt-out/",
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
        f"{outreach}import/<int:pk>/", views.ImportJobView.as_view(), name="import_job"
    ),
    path(
        f"{outreach}import/<int:pk>/status/",
        views.ImportStatusView.as_view(),
        name="import_status",
    ),
    path(
        f"{outreach}import/<int:pk>/commit/",
        views.ImportCommitView.as_view(),
        name="import_commit",
    ),
    path(
        f"{outreach}import/<int:pk>/cancel/",
        views.ImportCancelView.as_view(),
        name="import_cancel",
    ),
    path("opt-out/<str:token>/", views.OptOutView.as_view(), name="opt_out"),
]
