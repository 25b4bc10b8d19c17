"""Forms of the chapters app, one module per area beside its views (public,
manage, organisers, audit, mine, staff), and base for what several share.
They check the shape of the input; the rules live in chapters.services.
Import from the module that holds a form; this package re-exports nothing."""
