"""The other languages of the page being served: the language switcher and `hreflang` links.

A release links its public translations (and its original), each at its own address; any
other page links the same page in each language when it exists there for everyone (home,
archives, search, accessibility), and each language's home page otherwise: a tag or a
speaker may have no release in that language yet.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import get_language_info

# Pages that exist in every language whatever is published: the switcher keeps the visitor there.
SAME_PAGE_IN_EVERY_LANGUAGE = {"article-list", "archive-index", "accessibility", "search"}


@dataclass(frozen=True)
class Alternate:
    code: str
    name: str  # in its own language: "English", "日本語", "français"
    url: str
    current: bool
    default: bool  # the French page: hreflang="x-default"


def language_order(code: str) -> int:
    """A language's place in settings.LANGUAGES (French first): the switcher's and the sitemap's order."""
    codes = [c for c, _label in settings.LANGUAGES]
    return codes.index(code) if code in codes else len(codes)


def _name(code: str) -> str:
    name = get_language_info(code)["name_local"]
    return name[:1].upper() + name[1:]


def release_alternates(article) -> list[Alternate]:
    """The public members of `article`'s group, in the order of settings.LANGUAGES.

    One query, kept until content changes or the next scheduled publication (content_cache),
    like the related releases: a translation scheduled with its group appears in the switcher
    at the group's minute, never before.
    """
    from ..caching import content as content_cache

    original_id = article.translation_of_id or article.pk
    return content_cache.remember(f"alternates:{original_id}:{article.language}",
                                  lambda: _release_alternates(article, original_id))


def _release_alternates(article, original_id: int) -> list[Alternate]:
    from ..models import Article

    members = {
        m.language: m
        for m in Article.objects.public().filter(Q(pk=original_id) | Q(translation_of_id=original_id))
        .only("slug", "language", "translation_of_id")
    }
    if len(members) < 2:
        return []
    default = members.get(settings.LANGUAGE_CODE) or next(m for m in members.values() if not m.translation_of_id)
    return [
        Alternate(code, _name(code), members[code].get_absolute_url(), code == article.language, members[code] is default)
        for code, _label in settings.LANGUAGES if code in members
    ]


def tag_alternates(tag) -> list[Alternate]:
    """A tag's page in each language where public releases carry it, under its name's address there.

    Two queries, kept like release_alternates (until content changes or the next scheduled
    publication): a tag's English page appears in the switcher when its first English release
    goes live, never before.
    """
    from ..caching import content as content_cache

    return content_cache.remember(f"tag-alternates:{tag.pk}", lambda: _tag_alternates(tag))


def _tag_alternates(tag) -> list[Alternate]:
    from ..models import Article, TagTranslation

    languages = set(Article.objects.public().filter(tags__id=tag.pk).values_list("language", flat=True).distinct())
    if len(languages) < 2:
        return []
    slugs = dict(TagTranslation.objects.filter(tag_id=tag.pk).values_list("language", "slug"))
    current = translation.get_language()
    alternates = []
    for code, _label in settings.LANGUAGES:
        if code in languages:
            with translation.override(code):
                url = reverse("articles:tag-detail", args=[slugs.get(code, tag.slug)])
            alternates.append(Alternate(code, _name(code), url, code == current, code == settings.LANGUAGE_CODE))
    return alternates


def page_alternates(request) -> list[Alternate]:
    """The same page in each language, or each language's home page (see the module's docstring)."""
    match = getattr(request, "resolver_match", None)
    if match and match.url_name in SAME_PAGE_IN_EVERY_LANGUAGE:
        view_name, args, kwargs = match.view_name, tuple(match.args), tuple(sorted(match.kwargs.items()))
    else:
        view_name, args, kwargs = "articles:article-list", (), ()
    return list(_page_alternates(view_name, args, kwargs, translation.get_language()))


# The same for every visitor of a page in a language: worked out once per process (issue #17: three
# reversals and three language switches on every request). Those pages take no arguments from
# the address, so the cache holds a handful of entries; forgotten when settings change (apps.py).
@lru_cache(maxsize=256)
def _page_alternates(view_name: str, args: tuple, kwargs: tuple, current: str) -> tuple[Alternate, ...]:
    alternates = []
    for code, _label in settings.LANGUAGES:
        with translation.override(code):
            url = reverse(view_name, args=args, kwargs=dict(kwargs))
        alternates.append(Alternate(code, _name(code), url, code == current, code == settings.LANGUAGE_CODE))
    return tuple(alternates)


def forget(**kwargs) -> None:
    _page_alternates.cache_clear()
