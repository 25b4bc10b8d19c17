"""What the audit trail says happened: one sentence per recorded action, who
did what to which named record ("Laila Haddad published the minutes of
“Exploratory meeting”."), in the reader's language.

Every action a service records (`audit_log(action=...)` across the apps)
has its sentence here; tests/chapters/test_audit_sentences.py reads the
apps' code and fails on an action without one. A sentence takes two
placeholders: `%(actor)s` (who, chapters.audit_trail.actor_name) and
`%(object)s` (the record's name, read again in the reader's language, or
the name it had when it was removed). `named_by` is the record's attribute
that names it when the record's own text does not (a membership is named
by its organisation, minutes by their meeting).

In Arabic a sentence never conjugates a verb for the person who acted: the
verb is passive and the person follows "من قِبل", or the person is named
through a noun ("وصل ردّ ..."), so no sentence guesses anyone's gender."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Sentence:
    text: Promise
    named_by: str = ""


SENTENCES = {
    "agenda_item.add": Sentence(_("%(actor)s added the agenda item “%(object)s”.")),
    "agenda_item.move": Sentence(_("%(actor)s moved the agenda item “%(object)s”.")),
    "agenda_item.remove": Sentence(
        _("%(actor)s removed the agenda item “%(object)s”.")
    ),
    "agenda_item.update": Sentence(
        _("%(actor)s changed the agenda item “%(object)s”.")
    ),
    "attendance.check_in": Sentence(_("%(actor)s checked in %(object)s.")),
    "attendance.remove": Sentence(_("%(actor)s undid the check-in of %(object)s.")),
    "attendance.walk_in": Sentence(
        _("%(actor)s checked in %(object)s, who came without an invitation.")
    ),
    "chapter.create": Sentence(_("%(actor)s opened the chapter “%(object)s”.")),
    "chapter.update": Sentence(
        _("%(actor)s changed the chapter's public content or status.")
    ),
    "decision.add": Sentence(_("%(actor)s added the decision “%(object)s”.")),
    "decision.remove": Sentence(_("%(actor)s removed the decision “%(object)s”.")),
    "decision.restore": Sentence(_("%(actor)s restored the decision “%(object)s”.")),
    "decision.update": Sentence(_("%(actor)s changed the decision “%(object)s”.")),
    "do_not_contact.add": Sentence(
        _("%(actor)s added %(object)s to the do-not-contact list.")
    ),
    "engagement.create": Sentence(
        _("%(actor)s recorded the engagement with government “%(object)s”.")
    ),
    "engagement.delete": Sentence(
        _("%(actor)s deleted the engagement with government “%(object)s”.")
    ),
    "engagement.publish": Sentence(
        _("%(actor)s showed the engagement “%(object)s” on the country page.")
    ),
    "engagement.unpublish": Sentence(
        _("%(actor)s took the engagement “%(object)s” off the country page.")
    ),
    "engagement.update": Sentence(
        _("%(actor)s changed the engagement with government “%(object)s”.")
    ),
    "governance_role.assign": Sentence(
        _("%(actor)s gave “%(object)s” a role in the chapter's governance."),
        named_by="organisation",
    ),
    "governance_role.delete": Sentence(
        _(
            "%(actor)s removed a role of “%(object)s” from the chapter's "
            "governance, entered by mistake."
        ),
        named_by="organisation",
    ),
    "governance_role.end": Sentence(
        _("%(actor)s ended a role of “%(object)s” in the chapter's governance."),
        named_by="organisation",
    ),
    "governance_role.update": Sentence(
        _("%(actor)s changed a role of “%(object)s” in the chapter's governance."),
        named_by="organisation",
    ),
    "government_contact.consent_record": Sentence(
        _("%(actor)s recorded the consent of %(object)s to be named publicly.")
    ),
    "government_contact.consent_withdraw": Sentence(
        _("%(actor)s recorded that %(object)s withdrew their consent to be named.")
    ),
    "government_contact.create": Sentence(
        _("%(actor)s added %(object)s to the government contacts.")
    ),
    "government_contact.delete": Sentence(
        _("%(actor)s removed %(object)s from the government contacts.")
    ),
    "government_contact.update": Sentence(
        _("%(actor)s changed the government contact %(object)s.")
    ),
    "export.download": Sentence(
        _("%(actor)s downloaded the prepared export “%(object)s”.")
    ),
    "export.download_direct": Sentence(
        _("%(actor)s downloaded an export of the data of “%(object)s”.")
    ),
    "export.request": Sentence(_("%(actor)s asked for the export “%(object)s”.")),
    "idea.add": Sentence(_("%(actor)s added the idea “%(object)s”.")),
    "idea.approve": Sentence(_("%(actor)s approved the idea “%(object)s”.")),
    "idea.merge": Sentence(
        _("%(actor)s merged the idea “%(object)s” into another one.")
    ),
    "idea.reject": Sentence(_("%(actor)s chose not to publish the idea “%(object)s”.")),
    "idea.submit": Sentence(_("%(actor)s sent the idea “%(object)s”.")),
    "idea.unmerge": Sentence(
        _("%(actor)s separated the idea “%(object)s” from the one it was merged into.")
    ),
    "idea.update": Sentence(_("%(actor)s changed the idea “%(object)s”.")),
    "import.cancel": Sentence(_("%(actor)s cancelled the import of “%(object)s”.")),
    "import.check": Sentence(
        _("The file “%(object)s” uploaded by %(actor)s was checked.")
    ),
    "import.commit": Sentence(
        _("%(actor)s imported the organisations of “%(object)s”.")
    ),
    "import.fail": Sentence(
        _("The import of “%(object)s” by %(actor)s failed; nothing was saved.")
    ),
    "import.start": Sentence(_("%(actor)s started importing “%(object)s”.")),
    "import.upload": Sentence(
        _("%(actor)s uploaded the file “%(object)s” for import.")
    ),
    "invitation.answer": Sentence(
        _("%(actor)s answered the invitation to “%(object)s”."), named_by="meeting"
    ),
    "invitation.batch": Sentence(
        _("%(actor)s sent invitations to “%(object)s”."), named_by="meeting"
    ),
    "invitation.bounced": Sentence(
        _("%(actor)s reported that the invitation to %(object)s bounced.")
    ),
    "invitation.remind": Sentence(_("%(actor)s sent a reminder to %(object)s.")),
    "invitation.requeue": Sentence(
        _("%(actor)s queued the stalled invitations to “%(object)s” again.")
    ),
    "invitation.resend": Sentence(
        _("%(actor)s sent the invitation to %(object)s again.")
    ),
    "invitation.retry_failed": Sentence(
        _("%(actor)s sent the failed invitations to “%(object)s” again.")
    ),
    "invitation.revoke_links": Sentence(
        _("%(actor)s stopped the personal links of the invitation to %(object)s.")
    ),
    "invitation.whatsapp": Sentence(
        _("%(actor)s shared the invitation to %(object)s on WhatsApp.")
    ),
    "material.add": Sentence(_("%(actor)s added the material “%(object)s”.")),
    "material.remove": Sentence(_("%(actor)s removed the material “%(object)s”.")),
    "meeting.cancel": Sentence(_("%(actor)s cancelled the meeting “%(object)s”.")),
    "meeting.create": Sentence(_("%(actor)s created the meeting “%(object)s”.")),
    "meeting.held": Sentence(_("%(actor)s marked the meeting “%(object)s” as held.")),
    "meeting.update": Sentence(_("%(actor)s changed the meeting “%(object)s”.")),
    "membership.confirm": Sentence(
        _("%(actor)s confirmed the membership of “%(object)s”."),
        named_by="organisation",
    ),
    "membership.consult": Sentence(
        _("%(actor)s answered for “%(object)s”: consulting the organisation first."),
        named_by="organisation",
    ),
    "membership.decline": Sentence(
        _("%(actor)s declined the membership of “%(object)s”."),
        named_by="organisation",
    ),
    "membership.links_revoke": Sentence(
        _("%(actor)s stopped the personal links of the membership of “%(object)s”."),
        named_by="organisation",
    ),
    "membership.remind": Sentence(
        _("%(actor)s reminded “%(object)s” to confirm its membership."),
        named_by="organisation",
    ),
    "membership.request": Sentence(
        _("%(actor)s asked “%(object)s” to confirm its membership."),
        named_by="organisation",
    ),
    "membership.resend": Sentence(
        _("%(actor)s sent the confirmation request to “%(object)s” again."),
        named_by="organisation",
    ),
    "membership.withdraw": Sentence(
        _("%(actor)s withdrew “%(object)s” from membership."),
        named_by="organisation",
    ),
    "minutes.publish": Sentence(
        _("%(actor)s published the minutes of “%(object)s”."), named_by="meeting"
    ),
    "minutes.resend": Sentence(
        _("%(actor)s sent the minutes of “%(object)s” again."), named_by="meeting"
    ),
    "minutes.summary": Sentence(
        _("%(actor)s saved the public summary of the minutes of “%(object)s”."),
        named_by="meeting",
    ),
    "organisation.create": Sentence(
        _("%(actor)s added the organisation “%(object)s”.")
    ),
    "organisation.merge": Sentence(
        _("%(actor)s merged a new entry into the known organisation “%(object)s”.")
    ),
    "organisation.merge_existing": Sentence(
        _("%(actor)s merged another organisation on the list into “%(object)s”.")
    ),
    "organisation.update": Sentence(
        _("%(actor)s changed the organisation “%(object)s”.")
    ),
    "organiser.grant": Sentence(
        _("%(actor)s made %(object)s an organiser of the chapter."), named_by="user"
    ),
    "organiser.invitation_accept": Sentence(
        _("%(actor)s accepted the invitation to co-organise the chapter.")
    ),
    "organiser.invite": Sentence(
        _("%(actor)s invited %(object)s to co-organise the chapter."),
        named_by="email",
    ),
    "organiser.preferences": Sentence(
        _("%(actor)s changed their notification settings.")
    ),
    "organiser.revoke": Sentence(
        _("%(actor)s ended the organiser role of %(object)s."), named_by="user"
    ),
    "prospect.create": Sentence(
        _("%(actor)s added “%(object)s” to the outreach list."),
        named_by="organisation",
    ),
    "prospect.interest": Sentence(
        _("%(actor)s sent the interest form for “%(object)s”."),
        named_by="organisation",
    ),
    "prospect.update": Sentence(
        _("%(actor)s changed the follow-up of “%(object)s”."),
        named_by="organisation",
    ),
    "representative.account_link": Sentence(
        _("%(actor)s linked an account to the contact details of %(object)s.")
    ),
    "representative.create": Sentence(
        _("%(actor)s added %(object)s as a representative of the organisation.")
    ),
    "representative.delete": Sentence(
        _("%(actor)s removed %(object)s from the organisation's representatives.")
    ),
    "representative.update": Sentence(
        _("%(actor)s changed the contact details of %(object)s.")
    ),
    "task.create": Sentence(_("%(actor)s added the initial task “%(object)s”.")),
    "task.update": Sentence(_("%(actor)s changed the initial task “%(object)s”.")),
    "task.volunteer": Sentence(_("%(actor)s volunteered for the task “%(object)s”.")),
    "task.volunteer_cancel": Sentence(
        _("%(actor)s withdrew from the task “%(object)s”.")
    ),
}

# An action recorded before its sentence was written (or by a newer version
# of the code than the page's): its label, the record and who, still readable.
UNKNOWN = Sentence(_("%(action)s: %(object)s, by %(actor)s."))


def sentence_for(action: str) -> Sentence:
    return SENTENCES.get(action, UNKNOWN)
