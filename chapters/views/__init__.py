"""Views of the chapters app, one module per area: public (home, directory,
country page, members CSV, interest form), mine (my chapters, notification
settings), manage (a chapter's overview, figures and content), organisers
(the role, invitations and their acceptance), audit (the trails), exports
and staff (the overview of every chapter). Import from the module that holds
a view; this package re-exports nothing."""
