"""Views of the meetings app, one module per area: base (what organiser
pages share), meetings, agenda, materials, invitations, attendance,
invitee (the pages behind a personal link), notes, ideas, decisions and
minutes. Organiser pages live under /<lang>/manage/<iso2>/; each view binds
a form, calls one service, messages and redirects. Import from the module
that holds a view; this package re-exports nothing."""
