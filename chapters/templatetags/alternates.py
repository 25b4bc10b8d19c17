"""The language alternates (hreflang) of the page being rendered, by the one
rule the sitemap uses too (chapters.sitemaps.page_alternates)."""

from django import template

from chapters.sitemaps import page_alternates as alternates_of

register = template.Library()


@register.simple_tag(takes_context=True)
def page_alternates(context) -> list[dict]:
    """The current page's alternates; none where the page is rendered
    without its request (the 500 page)."""
    request = context.get("request")
    return alternates_of(request.path) if request is not None else []
