"""Writes of the meetings app, one module per entity they write:
meetings, agenda, materials, invitations, attendance, notes, ideas,
decisions and minutes; sending is the pipeline that e-mails what
invitations owe. Each write runs in one transaction, locks the rows two
requests could race on, and records an audit entry beside the change.

Shared pieces: errors (MeetingError and shared rule checks), effects (what
a write owes beyond its rows: notices to invitees, the country page),
texts (the plain-text rules) and handover (how services queue the worker's
tasks without importing meetings.tasks). Import from the module that
holds a name; this package re-exports nothing."""
