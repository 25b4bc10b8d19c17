"""Views of the members app, one module per area: base (what organiser pages
share), outreach (the outreach list, organisation pages, representatives),
imports, merge, optout (the public opt-out page), membership (organisers'
membership board), membership_answer (the representative's pages behind a
personal link), profile (the representative's own pages, signed in) and
initial_tasks. Each view binds a form, checks permission, calls one
service, messages and redirects. Import from the module that holds a view;
this package re-exports nothing."""
