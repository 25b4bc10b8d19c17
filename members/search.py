"""Finding organisations by what people type: a name in either language
(Arabic letter variants, diacritics, Latin accents and case ignored), the
transliterated name, the acronym or the city. One lookup on the stored
Organisation.search_text (chapters.folding), trigram-indexed on PostgreSQL.
"""

from django.db.models import QuerySet

from chapters.folding import fold_query


def organisations_matching(
    queryset: QuerySet, query: str, *, path: str = ""
) -> QuerySet:
    """`queryset` narrowed to the rows whose organisation matches `query`;
    unchanged for a blank query. `path` leads from the queryset's model to
    the organisation ("organisation" for prospects, memberships and
    invitations; "" for organisations themselves)."""
    needle = fold_query(query)
    if not needle:
        return queryset
    column = f"{path}__search_text" if path else "search_text"
    return queryset.filter(**{f"{column}__contains": needle})
