"""Writes of the members app, one module per entity they write:
organisations, representatives, outreach (the chapters' prospects),
do_not_contact (the do-not-contact list and opt-out links), imports (the
import job's steps), merge (two known organisations into one), membership
(the state machine) with membership_rules (its table, errors and event
record), membership_links (personal links and the request e-mails) and
membership_reminders, consent (the consent statement), initial_tasks (a
chapter's initial tasks and volunteering; not django.tasks), interest (the
public interest form's write) and accounts (a representative's account).
changes holds the before/after helper the audit entries share.

Each write runs in one transaction and records an audit entry beside the
change. Import from the module that holds a name; this package re-exports
nothing."""
