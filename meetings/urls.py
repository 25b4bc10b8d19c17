"""Exploratory meetings, their agenda, materials and invitations."""

from django.urls import path

from chapters import ids  # noqa: F401 # registers the <id:…> path converter

from . import idea_views, views

app_name = "meetings"

M = "manage/<str:iso2>/meetings/<id:pk>/"

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
        M + "agenda/<id:item>/edit/",
        views.AgendaItemFormView.as_view(),
        name="agenda_edit",
    ),
    path(
        M + "agenda/<id:item>/move/",
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
        "manage/<str:iso2>/materials/<id:material>/",
        views.MaterialOrganiserView.as_view(),
        name="material",
    ),
    path(M + "invite/", views.InviteView.as_view(), name="invite"),
    path(M + "batches/<id:batch>/", views.BatchView.as_view(), name="batch"),
    path(
        M + "batches/<id:batch>/progress/",
        views.BatchProgressView.as_view(),
        name="batch_progress",
    ),
    path(
        M + "invitations/",
        views.MeetingInvitationsActionView.as_view(),
        name="invitations_action",
    ),
    path(
        M + "invitations/<id:invitation>/",
        views.InvitationActionView.as_view(),
        name="invitation_action",
    ),
    path(
        M + "remind/",
        views.RemindUnansweredView.as_view(),
        name="remind_unanswered",
    ),
    path(M + "checkin/", views.CheckInView.as_view(), name="checkin"),
    path(M + "notes/", views.NotesView.as_view(), name="notes"),
    path(M + "notes/<id:item>/", views.NoteSaveView.as_view(), name="note_save"),
    path(M + "ideas/", views.IdeasView.as_view(), name="ideas"),
    path(M + "ideas/<id:idea>/", views.IdeaActionView.as_view(), name="idea_action"),
    path(
        M + "ideas/<id:idea>/edit/",
        idea_views.IdeaEditView.as_view(),
        name="idea_edit",
    ),
    path(M + "decisions/", views.DecisionsView.as_view(), name="decisions"),
    path(
        M + "decisions/<id:decision>/",
        views.DecisionsView.as_view(),
        name="decision",
    ),
    path(
        M + "decisions/<id:decision>/remove/",
        views.DecisionRemoveView.as_view(),
        name="decision_remove",
    ),
    path(M + "minutes/", views.MinutesView.as_view(), name="minutes"),
    path("invitation/<str:token>/", views.invitation_page, name="invitation"),
    path(
        "invitation/<str:token>/minutes/",
        views.invitation_minutes,
        name="invitation_minutes",
    ),
    path(
        "invitation/<str:token>/calendar.ics",
        views.invitation_calendar,
        name="invitation_calendar",
    ),
    path(
        "invitation/<str:token>/materials/<id:material>/",
        views.invitation_material,
        name="invitation_material",
    ),
]
