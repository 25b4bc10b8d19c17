"""Exploratory meetings, their agenda, materials and invitations."""

from django.urls import path

from . import views

app_name = "meetings"

M = "manage/<str:iso2>/meetings/<int:pk>/"

urlpatterns = [
    path("manage/<str:iso2>/meetings/", views.MeetingListView.as_view(), name="list"),
    path(
        "manage/<str:iso2>/meetings/new/",
        views.MeetingCreateView.as_view(),
        name="create",
    ),
    path(M, views.MeetingDetailView.as_view(), name="detail"),
    path(M + "edit/", views.MeetingUpdateView.as_view(), name="edit"),
    path(M + "status/", views.MeetingStatusView.as_view(), name="status"),
    path(M + "agenda/add/", views.AgendaItemFormView.as_view(), name="agenda_add"),
    path(
        M + "agenda/<int:item>/edit/",
        views.AgendaItemFormView.as_view(),
        name="agenda_edit",
    ),
    path(
        M + "agenda/<int:item>/move/",
        views.AgendaItemMoveView.as_view(),
        name="agenda_move",
    ),
    path(M + "materials/add/", views.MaterialAddView.as_view(), name="material_add"),
    path(
        "manage/<str:iso2>/materials/add/",
        views.MaterialAddView.as_view(),
        name="chapter_material_add",
    ),
    path(
        "manage/<str:iso2>/materials/<int:material>/",
        views.MaterialOrganiserView.as_view(),
        name="material",
    ),
    path(M + "invite/", views.InviteView.as_view(), name="invite"),
    path(M + "batches/<int:batch>/", views.BatchView.as_view(), name="batch"),
    path(
        M + "batches/<int:batch>/progress/",
        views.BatchProgressView.as_view(),
        name="batch_progress",
    ),
    path(
        M + "invitations/",
        views.MeetingInvitationsActionView.as_view(),
        name="invitations_action",
    ),
    path(
        M + "invitations/<int:invitation>/",
        views.InvitationActionView.as_view(),
        name="invitation_action",
    ),
    path(M + "checkin/", views.CheckInView.as_view(), name="checkin"),
    path("invitation/<str:token>/", views.invitation_page, name="invitation"),
    path(
        "invitation/<str:token>/materials/<int:material>/",
        views.invitation_material,
        name="invitation_material",
    ),
]
