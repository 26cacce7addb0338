"""`{% language_alternates as alternates %}`: the page's other languages (articles/translations/alternates.py)."""

from django import template

from ..translations.alternates import page_alternates, release_alternates, tag_alternates

register = template.Library()

# Pages that show one release to the public; previews and embargo links never link the group.
RELEASE_PAGES = {"article-detail"}


@register.simple_tag(takes_context=True)
def language_alternates(context) -> list:
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    if match is None or match.namespace != "articles":
        return []
    if match.url_name in RELEASE_PAGES:
        article = context.get("article")
        return release_alternates(article) if article is not None else []
    if match.url_name == "tag-detail" and context.get("tag") is not None:
        return tag_alternates(context["tag"]) or page_alternates(request)
    return page_alternates(request)
