"""Forms of the members app, split as its views are: outreach (organisations,
representatives, the list's filters and follow-up, the do-not-contact
form), imports, optout, profile (a representative's own pages), membership
(organisers' requests and the representative's answer) and initial_tasks.
Forms check the shape of what was typed; the services decide what happens.
Import from the module that holds a form; this package re-exports nothing."""
