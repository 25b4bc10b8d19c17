"""The consent statement representatives agree to when they confirm a
listing.

Versions are rows of ConsentStatement and are never edited once published:
staff publish a new wording as a new version (admin), and from then on the
confirmation page shows it. Each consent record (MembershipEvent) keeps the
version, the language and a copy of the exact text the representative read.
The first version below is published on first use, so a fresh database (and
each test) has one without a data migration that a flushed test database
would lose."""

import datetime

from django.db import IntegrityError, transaction

from chapters import languages
from chapters.languages import Language

from ..models import ConsentStatement

INITIAL_VERSION = "2026-1"
# The first wording in the languages it was written in. A site language
# missing here is stored empty, and readers get the statement in another
# language (chapters.languages.field_in_language), which the consent record
# names.
INITIAL_TEXTS = {
    Language.ENGLISH: (
        "I confirm that I may speak for this organisation and that it agrees to be "
        "listed as a member of the national chapter of the Movement for "
        "Community-Led Development: on the country page, in the open-data API and "
        "in the downloadable member list, with the details shown above. The "
        "organisation can withdraw at any time; it is then removed from these "
        "pages at once."
    ),
    Language.ARABIC: (
        "أؤكد أنني مخوَّل بالتحدث باسم هذه المنظمة، وأنها توافق على إدراجها عضواً "
        "في الفرع الوطني لحراك التنمية التي تقودها المجتمعات المحلية: في صفحة "
        "الدولة، وفي واجهة البيانات المفتوحة، وفي قائمة الأعضاء القابلة للتنزيل، "
        "بالبيانات المعروضة أعلاه. ويمكن للمنظمة الانسحاب من العضوية في أي وقت، "
        "فتُزال من هذه الصفحات فوراً."
    ),
}
INITIAL_PUBLISHED = datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)


def consent_statement_current() -> ConsentStatement:
    statement = ConsentStatement.current()
    if statement is not None:
        return statement
    try:
        with transaction.atomic():
            return ConsentStatement.objects.create(
                version=INITIAL_VERSION,
                **{
                    f"text_{code}": INITIAL_TEXTS.get(code, "")
                    for code in languages.codes()
                },
                published_at=INITIAL_PUBLISHED,
            )
    except IntegrityError:  # another request published it first
        return ConsentStatement.objects.get(version=INITIAL_VERSION)
