"""Rendering once per version of a release (articles/caching/fragments.py), in templates.

    {% release_fragment article "page" %}…{% endrelease_fragment %}
        the block as rendered for this version of the release, or rendered now and kept;
    {% release_cards articles as cards %}
        each article's card (articles/includes/card.html), the first one eager, found or rendered.

Either renders everything itself, keeping nothing, unless the public view set `release_cache`
and the visitor is anonymous: previews and embargo links never read nor write fragments, and
editors always see what the database holds. On a miss, what the fragment shows
is prefetched first (querysets.page_prefetches / card_prefetches), so a page costs the same
fixed number of queries whether its fragments are cached or not.
"""

from django import template
from django.db.models import prefetch_related_objects

from ..caching import dependencies, fragments
from ..caching.page_cache import is_anonymous_read
from ..querysets import card_prefetches, page_prefetches

register = template.Library()

CARD_TEMPLATE = "articles/includes/card.html"
# The fragments of an article page (articles/article_detail.html), fetched in one round trip;
# and those that show what querysets.page_prefetches() loads ("related" shows other releases).
PAGE_FRAGMENTS = ("head", "page", "related", "canonical", "hreflang", "switcher")
PREFETCHED_FOR = ("head", "page")


def _cache_on(context) -> bool:
    """A public page (its view set `release_cache`) read by an anonymous visitor: editors see the database."""
    return bool(context.get("release_cache")) and is_anonymous_read(context.get("request"))


class ReleaseFragmentNode(template.Node):
    def __init__(self, article, name, nodelist):
        self.article, self.name, self.nodelist = article, name, nodelist

    def render(self, context):
        article = self.article.resolve(context)
        name = self.name.resolve(context)
        if not _cache_on(context) or article is None or article.pk is None:
            return self.nodelist.render(context)
        # The fragments of one release's page are looked up together, by the first of them.
        wanted = [(each, article.pk) for each in PAGE_FRAGMENTS] if name in PAGE_FRAGMENTS else [(name, article.pk)]
        found = context.render_context.get(("page", article.pk)) if name in PAGE_FRAGMENTS else None
        if found is None:
            found = fragments.lookup(wanted)
            if name in PAGE_FRAGMENTS:
                context.render_context[("page", article.pk)] = found
        if (name, article.pk) in found.found:
            return found.found[(name, article.pk)]
        if name in PREFETCHED_FOR:
            prefetch_related_objects([article], *page_prefetches())
        with dependencies.recording() as loaded:
            html = self.nodelist.render(context)
        found.store(name, article.pk, html, loaded)
        found.save()
        return html


@register.tag
def release_fragment(parser, token):
    """`{% release_fragment article "name" %}…{% endrelease_fragment %}`: see the module's docstring."""
    bits = token.split_contents()
    if len(bits) != 3:
        raise template.TemplateSyntaxError(f"{bits[0]} takes a release and a fragment name")
    nodelist = parser.parse(("endrelease_fragment",))
    parser.delete_first_token()
    return ReleaseFragmentNode(parser.compile_filter(bits[1]), parser.compile_filter(bits[2]), nodelist)


@register.simple_tag(takes_context=True)
def release_cards(context, articles) -> list:
    """The cards of `articles`, in order: from the cache where current, the others rendered (and kept)."""
    articles = list(articles)
    names = [("card-eager" if index == 0 else "card", article.pk) for index, article in enumerate(articles)]
    cache_on = _cache_on(context)
    found = fragments.lookup(names) if cache_on else fragments.Lookup({}, "", None)
    missing = [article for item, article in zip(names, articles, strict=True) if item not in found.found]
    if missing:
        prefetch_related_objects(missing, *card_prefetches())
    card = context.template.engine.get_template(CARD_TEMPLATE)
    cards = []
    for (name, pk), article in zip(names, articles, strict=True):
        html = found.found.get((name, pk))
        if html is None:
            with dependencies.recording() as loaded:
                # A staff preview's cards link the previewed release's preview (articles_extras.release_url).
                html = card.render(context.new({"article": article, "eager": name == "card-eager",
                                                "preview_items": context.get("preview_items")}))
            if cache_on:
                found.store(name, pk, html, loaded)
        cards.append(html)
    found.save()
    return cards
