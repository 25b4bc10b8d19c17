"""Forms of the meetings app, one module per area beside its views
(meetings, agenda, materials, invitations, attendance, notes, ideas,
decisions, minutes). They check the shape of the input; the rules live in
meetings.services. Import from the module that holds a form; this package
re-exports nothing."""
