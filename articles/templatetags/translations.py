"""`{% language_alternates as alternates %}`: the page's other languages (articles/translations/alternates.py)."""

from django import template

from ..caching import dependencies
from ..translations.alternates import page_alternates, release_alternates, tag_alternates

register = template.Library()

# Pages that show one release to the public; previews and embargo links never link the group.
RELEASE_PAGES = {"article-detail"}


@register.simple_tag(takes_context=True)
def language_alternates(context):
    """Worked out when first shown: an article page's hreflang links and switcher are fragments
    kept per version of the release (article_detail.html), which need none of it once kept."""
    return LazyAlternates(lambda: _alternates(context.flatten()))


class LazyAlternates:
    """The alternates, worked out on first use; each use records what they depend on into what is
    being built then (the hreflang fragment and the switcher fragment are kept apart)."""

    def __init__(self, compute):
        self.compute, self.value, self.names = compute, None, ()

    def get(self) -> list:
        if self.value is None:
            with dependencies.recording() as names:
                self.value = self.compute()
            self.names = tuple(names)
        dependencies.record(*self.names)
        return self.value

    def __iter__(self):
        return iter(self.get())

    def __bool__(self):
        return bool(self.get())

    def __len__(self):
        return len(self.get())


def _alternates(context) -> list:
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
