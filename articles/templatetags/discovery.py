"""Template helpers for discovery: page metadata, related releases, highlighted search excerpts."""

import html

from django import template
from django.utils.safestring import SafeString, mark_safe

from ..caching import content as content_cache
from ..discovery import metadata, search
from ..models import Article

register = template.Library()

RELATED_LIMIT = 4
RELATED_SECONDS = 600


def options_html(options) -> str:
    """The `<option>`s of (value, label) pairs, escaped, none selected: rendered once with the choices.

    The search form lists every tag and speaker (1,000 options at 100,000 releases): a template
    loop took 20 ms a request to render them, a loop here 1.5 ms; kept rendered with the choices
    (SearchView.options_context), a request only marks the selected one.
    """
    # html.escape (what django.utils.html.escape calls) on plain strings: format_html_join's lazy
    # wrappers cost more than the escaping itself, a thousand times.
    return "".join(f'<option value="{html.escape(str(value))}">{html.escape(str(label))}</option>'
                   for value, label in options)


@register.simple_tag
def select_options(options: str, selected) -> SafeString:
    """options_html()'s `<option>`s with the one of value `selected` marked."""
    if selected in (None, ""):
        return mark_safe(options)
    chosen = f'<option value="{html.escape(str(selected))}">'
    return mark_safe(options.replace(chosen, f'{chosen[:-1]} selected>', 1))


@register.simple_tag
def article_metadata(article) -> metadata.ArticleMetadata:
    """`{% article_metadata article as meta %}`: canonical, OpenGraph/Twitter facts and JSON-LD."""
    return metadata.article_metadata(article)


@register.simple_tag
def related_articles(article, limit: int = RELATED_LIMIT) -> list:
    """Public releases sharing tags with `article`.

    Kept in the cache until a publication or a shown release changes, and never past the next
    scheduled publication, whether or not whole pages are cached: the ranking query
    is the most expensive on the article page and its answer changes only with content.
    """
    return content_cache.remember(
        f"related:{article.pk}:{limit}",
        lambda: list(Article.objects.public().in_language(article.language).related_to(article, limit)),
        seconds=RELATED_SECONDS,
    )


@register.filter
def highlight(text: str, query: str) -> SafeString:
    """The whole of a short text (a title) with the searched terms in <mark>."""
    return search.highlight(text, query, width=max(len(text or ""), 1))


@register.filter
def search_title(article, query: str) -> SafeString:
    """A result's title with the searched terms marked: by PostgreSQL when it ranked the search."""
    if hasattr(article, "headline_title"):
        return search.headline(article.headline_title)
    return highlight(article.title, query)


@register.filter
def search_excerpt(article, query: str) -> SafeString:
    """An excerpt of the standfirst or the body around the searched terms, marked.

    On PostgreSQL, ts_headline's fragment (search.search() asks for it with the page of results:
    no body read, no HTML parsed here); elsewhere the Python highlighter.
    """
    if hasattr(article, "headline_excerpt"):
        return search.headline(article.headline_excerpt, ellipsis_unless_starts=article.standfirst)
    for text in (article.standfirst, article.body):
        excerpt = search.highlight(text, query)
        if "<mark>" in excerpt:
            return excerpt
    # Found through a quote, a tag, a credit or a stem: show the standfirst as it is.
    return search.highlight(article.standfirst or article.body, query)
