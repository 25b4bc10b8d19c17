from django.urls import path

from . import (
    ids,  # noqa: F401 # registers the <id:…> path converter
    views,
)

app_name = "chapters"

urlpatterns = [
    path("", views.home, name="home"),
    path("my/", views.MyChaptersView.as_view(), name="my_chapters"),
    path("countries/", views.directory, name="directory"),
    path("countries/<str:iso2>/", views.country_detail, name="country"),
    path("countries/<str:iso2>/members.csv", views.members_csv, name="members_csv"),
    path("countries/<str:iso2>/interest/", views.country_interest, name="interest"),
    path(
        "countries/<str:iso2>/interest/thanks/",
        views.country_interest_thanks,
        name="interest_thanks",
    ),
    path(
        "manage/invitations/<str:token>/",
        views.InvitationView.as_view(),
        name="invitation",
    ),
    path(
        "my/notifications/",
        views.NotificationSettingsView.as_view(),
        name="notification_settings",
    ),
    path("staff/chapters/", views.StaffOverviewView.as_view(), name="staff_overview"),
    path("staff/audit/", views.StaffAuditView.as_view(), name="staff_audit"),
    path("manage/<str:iso2>/", views.ManageOverviewView.as_view(), name="manage"),
    path("manage/<str:iso2>/figure/", views.FigureView.as_view(), name="figure"),
    path("manage/<str:iso2>/audit/", views.AuditTrailView.as_view(), name="audit"),
    path("manage/<str:iso2>/exports/", views.ExportsView.as_view(), name="exports"),
    path(
        "manage/<str:iso2>/exports/<str:dataset>.<str:file_format>",
        views.ExportView.as_view(),
        name="export",
    ),
    path("manage/<str:iso2>/edit/", views.ManageEditView.as_view(), name="edit"),
    path(
        "manage/<str:iso2>/organisers/",
        views.ManageOrganisersView.as_view(),
        name="organisers",
    ),
    path(
        "manage/<str:iso2>/organisers/grant/",
        views.StaffOrganiserGrantView.as_view(),
        name="organiser_grant",
    ),
    path(
        "manage/<str:iso2>/organisers/<id:role>/revoke/",
        views.StaffOrganiserRevokeView.as_view(),
        name="organiser_revoke",
    ),
]
