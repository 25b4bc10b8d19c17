"""The addresses of the chapters app under the language prefix: the public
pages, the signed-in person's own pages, staff pages and a chapter's
organiser pages (manage/<iso2>/...)."""

from django.urls import path

from . import (
    ids,  # noqa: F401 # registers the <id:…> path converter
    views,
)
from .views import (  # noqa: F401 # each area, loaded as views.<area>
    audit,
    exports,
    manage,
    mine,
    organisers,
    public,
    staff,
)

app_name = "chapters"

urlpatterns = [
    path("", views.public.home, name="home"),
    path("my/", views.mine.MyChaptersView.as_view(), name="my_chapters"),
    path("countries/", views.public.directory, name="directory"),
    path("countries/<str:iso2>/", views.public.country_detail, name="country"),
    path(
        "countries/<str:iso2>/members/",
        views.public.country_members,
        name="country_members",
    ),
    path(
        "countries/<str:iso2>/members.csv", views.public.members_csv, name="members_csv"
    ),
    path(
        "countries/<str:iso2>/interest/", views.public.country_interest, name="interest"
    ),
    path(
        "countries/<str:iso2>/interest/thanks/",
        views.public.country_interest_thanks,
        name="interest_thanks",
    ),
    path(
        "manage/invitations/<str:token>/",
        views.organisers.InvitationView.as_view(),
        name="invitation",
    ),
    path(
        "my/notifications/",
        views.mine.NotificationSettingsView.as_view(),
        name="notification_settings",
    ),
    path(
        "staff/chapters/",
        views.staff.StaffOverviewView.as_view(),
        name="staff_overview",
    ),
    path(
        "staff/chapters/open/",
        views.staff.StaffChapterOpenView.as_view(),
        name="staff_chapter_open",
    ),
    path(
        "staff/chapters/compare/",
        views.staff.StaffComparisonView.as_view(),
        name="staff_comparison",
    ),
    path(
        "staff/chapters/compare.<str:file_format>",
        views.staff.StaffComparisonExportView.as_view(),
        name="staff_comparison_export",
    ),
    path(
        "staff/chapters/<str:iso2>/timeline/",
        views.staff.StaffTimelineView.as_view(),
        name="staff_timeline",
    ),
    path("staff/audit/", views.audit.StaffAuditView.as_view(), name="staff_audit"),
    path("staff/design/", views.staff.StaffDesignView.as_view(), name="staff_design"),
    path(
        "manage/<str:iso2>/", views.manage.ManageOverviewView.as_view(), name="manage"
    ),
    path("manage/<str:iso2>/figure/", views.manage.FigureView.as_view(), name="figure"),
    path(
        "manage/<str:iso2>/audit/", views.audit.AuditTrailView.as_view(), name="audit"
    ),
    path(
        "manage/<str:iso2>/exports/",
        views.exports.ExportsView.as_view(),
        name="exports",
    ),
    path(
        "manage/<str:iso2>/exports/<str:dataset>.<str:file_format>",
        views.exports.ExportView.as_view(),
        name="export",
    ),
    path(
        "manage/<str:iso2>/exports/prepared/<id:pk>/",
        views.exports.ExportJobView.as_view(),
        name="export_job",
    ),
    path(
        "manage/<str:iso2>/exports/prepared/<id:pk>/status/",
        views.exports.ExportJobStatusView.as_view(),
        name="export_job_status",
    ),
    path(
        "manage/<str:iso2>/exports/prepared/<id:pk>/download/",
        views.exports.ExportJobDownloadView.as_view(),
        name="export_job_download",
    ),
    path("manage/<str:iso2>/edit/", views.manage.ManageEditView.as_view(), name="edit"),
    path(
        "manage/<str:iso2>/organisers/",
        views.organisers.ManageOrganisersView.as_view(),
        name="organisers",
    ),
    path(
        "manage/<str:iso2>/organisers/grant/",
        views.organisers.StaffOrganiserGrantView.as_view(),
        name="organiser_grant",
    ),
    path(
        "manage/<str:iso2>/organisers/<id:role>/revoke/",
        views.organisers.StaffOrganiserRevokeView.as_view(),
        name="organiser_revoke",
    ),
]
