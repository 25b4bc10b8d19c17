"""The consent statement representatives agree to when they confirm a
listing.

Versions are rows of ConsentStatement and are never edited once published:
staff publish a new wording as a new version (admin), and from then on the
confirmation page shows it. Each consent record (MembershipEvent) keeps the
version, the language and a copy of the exact text the representative read.
The version the portal ships (below) is published on first use, so a fresh
database (and each test) has one without a data migration that a flushed
test database would lose, and a database made before it moves to it."""

import datetime

from django.db import IntegrityError, transaction

from chapters import languages
from chapters.languages import Language

from ..models import ConsentStatement

SHIPPED_VERSION = "2026-2"
# The wording the portal ships, in the languages it was written in. A site
# language missing here is stored empty, and readers get the statement in
# another language (chapters.languages.field_in_language), which the consent
# record names. 2026-2 replaced 2026-1, whose Arabic assumed a man signs
# ("مخوَّل"), and added French.
SHIPPED_TEXTS = {
    Language.ENGLISH: (
        "I confirm that I may speak for this organisation and that it agrees to be "
        "listed as a member of the national chapter of the Movement for "
        "Community-Led Development: on the country page, in the open-data API and "
        "in the downloadable member list, with the details shown above. The "
        "organisation can withdraw at any time; it is then removed from these "
        "pages at once."
    ),
    Language.ARABIC: (
        "أؤكد أن لديّ تفويضاً بالتحدث باسم هذه المنظمة، وأنها توافق على إدراجها "
        "عضواً في الفرع الوطني لحراك التنمية التي تقودها المجتمعات المحلية: في "
        "صفحة الدولة، وفي واجهة البيانات المفتوحة، وفي قائمة الأعضاء القابلة "
        "للتنزيل، بالبيانات المعروضة أعلاه. ويمكن للمنظمة الانسحاب من العضوية في "
        "أي وقت، فتُزال من هذه الصفحات فوراً."
    ),
    Language.FRENCH: (
        "Je confirme que j’ai qualité pour m’exprimer au nom de cette "
        "organisation et que celle-ci accepte de figurer parmi les membres du "
        "chapitre national du Mouvement pour le développement conduit par les "
        "communautés : sur la page pays, dans l’API de données ouvertes et dans "
        "la liste des membres téléchargeable, avec les informations indiquées "
        "ci-dessus. L’organisation peut se retirer à tout moment ; elle est "
        "alors immédiatement retirée de ces pages."
    ),
}
SHIPPED_PUBLISHED = datetime.datetime(2026, 12, 3, tzinfo=datetime.UTC)


def consent_statement_current() -> ConsentStatement:
    """The statement representatives agree to now: the newest published,
    unless the one the portal ships is newer (a database made before it,
    or a fresh one), which is then published, once."""
    statement = ConsentStatement.current()
    if statement is not None and statement.published_at >= SHIPPED_PUBLISHED:
        return statement
    try:
        with transaction.atomic():
            statement, _created = ConsentStatement.objects.get_or_create(
                version=SHIPPED_VERSION,
                defaults={
                    **{
                        f"text_{code}": SHIPPED_TEXTS.get(code, "")
                        for code in languages.codes()
                    },
                    "published_at": SHIPPED_PUBLISHED,
                },
            )
            return statement
    except IntegrityError:  # another request published it first
        return ConsentStatement.objects.get(version=SHIPPED_VERSION)
