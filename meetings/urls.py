"""Exploratory meetings, their agenda, materials and invitations."""

from django.urls import path

from chapters import ids  # noqa: F401 # registers the <id:…> path converter

from . import views
from .views import (  # noqa: F401 # each area, loaded as views.<area>
    agenda,
    attendance,
    checkin_codes,
    decisions,
    engagements,
    ideas,
    invitations,
    invitee,
    materials,
    meeting_day,
    meetings,
    minutes,
    notes,
)

app_name = "meetings"

M = "manage/<str:iso2>/meetings/<id:pk>/"
E = "manage/<str:iso2>/engagements/"

urlpatterns = [
    path(
        "manage/meeting-day.webmanifest",
        views.meeting_day.manifest,
        name="manifest",
    ),
    path(
        "manage/<str:iso2>/meetings/",
        views.meetings.MeetingListView.as_view(),
        name="list",
    ),
    path(
        "manage/<str:iso2>/meetings/new/",
        views.meetings.MeetingCreateView.as_view(),
        name="create",
    ),
    path(M, views.meetings.MeetingDetailView.as_view(), name="detail"),
    path(M + "edit/", views.meetings.MeetingUpdateView.as_view(), name="edit"),
    path(M + "status/", views.meetings.MeetingStatusView.as_view(), name="status"),
    path(
        M + "agenda/add/", views.agenda.AgendaItemFormView.as_view(), name="agenda_add"
    ),
    path(
        M + "agenda/<id:item>/edit/",
        views.agenda.AgendaItemFormView.as_view(),
        name="agenda_edit",
    ),
    path(
        M + "agenda/<id:item>/move/",
        views.agenda.AgendaItemMoveView.as_view(),
        name="agenda_move",
    ),
    path(
        M + "materials/add/",
        views.materials.MaterialAddView.as_view(),
        name="material_add",
    ),
    path(
        "manage/<str:iso2>/materials/add/",
        views.materials.MaterialAddView.as_view(),
        name="chapter_material_add",
    ),
    path(
        "manage/<str:iso2>/materials/<id:material>/",
        views.materials.MaterialOrganiserView.as_view(),
        name="material",
    ),
    path(M + "invite/", views.invitations.InviteView.as_view(), name="invite"),
    path(
        M + "batches/<id:batch>/", views.invitations.BatchView.as_view(), name="batch"
    ),
    path(
        M + "batches/<id:batch>/progress/",
        views.invitations.BatchProgressView.as_view(),
        name="batch_progress",
    ),
    path(
        M + "invitations/",
        views.invitations.MeetingInvitationsActionView.as_view(),
        name="invitations_action",
    ),
    path(
        M + "invitations/<id:invitation>/",
        views.invitations.InvitationActionView.as_view(),
        name="invitation_action",
    ),
    path(
        M + "remind/",
        views.invitations.RemindUnansweredView.as_view(),
        name="remind_unanswered",
    ),
    path(M + "checkin/", views.attendance.CheckInView.as_view(), name="checkin"),
    path(
        M + "checkin/code/",
        views.checkin_codes.CheckInScanView.as_view(),
        name="checkin_scan",
    ),
    path(M + "notes/", views.notes.NotesView.as_view(), name="notes"),
    path(M + "notes/<id:item>/", views.notes.NoteSaveView.as_view(), name="note_save"),
    path(M + "ideas/", views.ideas.IdeasView.as_view(), name="ideas"),
    path(
        M + "ideas/<id:idea>/", views.ideas.IdeaActionView.as_view(), name="idea_action"
    ),
    path(
        M + "ideas/<id:idea>/edit/",
        views.ideas.IdeaEditView.as_view(),
        name="idea_edit",
    ),
    path(M + "decisions/", views.decisions.DecisionsView.as_view(), name="decisions"),
    path(
        M + "decisions/<id:decision>/",
        views.decisions.DecisionsView.as_view(),
        name="decision",
    ),
    path(
        M + "decisions/<id:decision>/remove/",
        views.decisions.DecisionRemoveView.as_view(),
        name="decision_remove",
    ),
    path(M + "minutes/", views.minutes.MinutesView.as_view(), name="minutes"),
    path(
        M + "ideas/<id:idea>/engagement/",
        views.engagements.EngagementCreateView.as_view(source="idea"),
        name="engagement_from_idea",
    ),
    path(
        M + "decisions/<id:decision>/engagement/",
        views.engagements.EngagementCreateView.as_view(source="decision"),
        name="engagement_from_decision",
    ),
    path(E, views.engagements.EngagementListView.as_view(), name="engagements"),
    path(
        E + "new/",
        views.engagements.EngagementCreateView.as_view(),
        name="engagement_create",
    ),
    path(
        E + "<id:engagement>/",
        views.engagements.EngagementDetailView.as_view(),
        name="engagement",
    ),
    path(
        E + "<id:engagement>/edit/",
        views.engagements.EngagementUpdateView.as_view(),
        name="engagement_edit",
    ),
    path(
        E + "<id:engagement>/delete/",
        views.engagements.EngagementDeleteView.as_view(),
        name="engagement_delete",
    ),
    path(
        E + "contacts/",
        views.engagements.ContactListView.as_view(),
        name="government_contacts",
    ),
    path(
        E + "contacts/new/",
        views.engagements.ContactFormView.as_view(),
        name="government_contact_create",
    ),
    path(
        E + "contacts/<id:contact>/",
        views.engagements.ContactFormView.as_view(),
        name="government_contact",
    ),
    path(
        E + "contacts/<id:contact>/delete/",
        views.engagements.ContactDeleteView.as_view(),
        name="government_contact_delete",
    ),
    path("invitation/<str:token>/", views.invitee.invitation_page, name="invitation"),
    path(
        "invitation/<str:token>/minutes/",
        views.invitee.invitation_minutes,
        name="invitation_minutes",
    ),
    path(
        "invitation/<str:token>/calendar.ics",
        views.invitee.invitation_calendar,
        name="invitation_calendar",
    ),
    path(
        "invitation/<str:token>/materials/<id:material>/",
        views.invitee.invitation_material,
        name="invitation_material",
    ),
]
