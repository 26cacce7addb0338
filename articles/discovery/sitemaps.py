"""The sitemap: an index at /sitemap.xml naming one sitemap per section, each paginated.

A single sitemap holds at most 50,000 URLs (sitemaps.org); past that Django's
`sitemap` view silently drops the rest, and building 50,000 entries with their
photos on every uncached request is too slow anyway. So /sitemap.xml is Django's
sitemap *index*, listing /sitemap-<section>.xml?p=N, a few thousand entries a page.

`lastmod` is the last change the public could see (metadata.modified_at / last_change):
a release's own (re)publication or update, and for a tag or speaker page the newest
change among its public releases. Previews and embargo links are never listed
(robots.txt disallows them).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.db.models import Exists, Max, OuterRef, Subquery
from django.urls import reverse
from django.utils import timezone

from ..caching.pagination import CachedCountPaginator
from ..models import Article, Quote
from ..querysets import public_tags, quoted_speakers
from .metadata import absolute_url, last_change, modified_at, placement_facts, whole_seconds


def _capped(value):
    return whole_seconds(min(value, timezone.now())) if value else None


class SiteSitemap(Sitemap):
    """Absolute URLs from settings.SITE_URL, whatever host name the crawler used."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        parts = urlsplit(settings.SITE_URL)
        return parts.netloc + parts.path.rstrip("/")


class PublicSitemap(SiteSitemap):
    """A section of public objects: counted once per content generation, deep pages by id.

    The index asks every section for its number of pages, and a crawler walks the pages:
    CachedCountPaginator keeps the COUNT until content changes (or the next scheduled
    publication) and reads a deep page through its ids (pagination.DEEP_OFFSET).
    """

    @property
    def paginator(self):
        return CachedCountPaginator(self._items(), self.limit, count_key=f"sitemap:{type(self).__name__}")

    def latest_change(self):
        """The newest public change in this section, in one aggregate query."""
        raise NotImplementedError

    def get_latest_lastmod(self):
        # Django's default computes lastmod() for every item of the section: 100,000 rows
        # for the index alone. One aggregate instead.
        return _capped(self.latest_change())


class ArticleSitemap(PublicSitemap):
    # 5,000 releases a page (of the 50,000 allowed): a page with its photos builds in well
    # under a second, and the index grows by one line per 5,000 releases.
    limit = 5000

    def items(self):
        return Article.objects.public().newest_first().with_large_photos()

    def latest_change(self):
        return Article.objects.public().aggregate(latest=Max(last_change()))["latest"]

    def lastmod(self, article):
        return whole_seconds(modified_at(article))

    def images(self, article):
        """The large JPEG of each photo, as Google's image sitemap extension lists them."""
        return [facts for placement in article.article_photos.all() if (facts := placement_facts(placement))]

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        groups = group_alternates([url["item"] for url in urls])
        for url in urls:
            url["images"] = self.images(url["item"])
            url["alternates"] = groups.get(url["item"].translation_of_id or url["item"].pk, [])
        return urls


def group_alternates(articles) -> dict[int, list[dict]]:
    """{original's id: [{"lang", "location"}, …, x-default]} for the groups of `articles` that are
    public in two languages or more: the sitemap's `xhtml:link` alternates, in one query per page."""
    from django.db.models import Q

    from ..translations.alternates import language_order

    ids = {a.translation_of_id or a.pk for a in articles}
    members: dict[int, list] = {}
    for member in (Article.objects.public().filter(Q(pk__in=ids) | Q(translation_of_id__in=ids))
                   .only("slug", "language", "translation_of_id")):
        members.setdefault(member.translation_of_id or member.pk, []).append(member)
    alternates = {}
    for group_id, group in members.items():
        if len(group) < 2:
            continue
        group.sort(key=lambda m: language_order(m.language))
        links = [{"lang": m.language, "location": absolute_url(m.get_absolute_url())} for m in group]
        default = next((m for m in group if m.language == settings.LANGUAGE_CODE), None) or next(
            (m for m in group if not m.translation_of_id), group[0])
        links.append({"lang": "x-default", "location": absolute_url(default.get_absolute_url())})
        alternates[group_id] = links
    return alternates


def _newest_change(public_articles):
    """A subquery: the newest public change among `public_articles` (filtered on OuterRef)."""
    return Subquery(public_articles.annotate(changed=last_change()).order_by("-changed").values("changed")[:1])


class TagSitemap(PublicSitemap):
    """A tag's page in each language whose public releases carry it (issue #14).

    A tag is one row; its page exists in French at /mots-cles/<slug>/ and in English or
    Japanese under its name there (/en/tags/economy/), listing that language's releases
    only. So each tag gives one entry per language of its public releases, each with its
    own lastmod, and the entries of one tag name each other with `xhtml:link` alternates.
    A language where only embargoed or draft releases carry the tag gets no entry: its
    translated name must not be published before them. A page holds `limit` tags (up to
    one entry per language each, well under the 50,000 URLs a sitemap may hold); the names
    of a page's tags in every language come in one query.
    """

    limit = 5000

    def items(self):
        from django.db.models import Prefetch

        from ..models import TagTranslation

        in_each_language = {
            f"public_lastmod_{code}": _newest_change(
                Article.objects.public().in_language(code).filter(tags=OuterRef("pk")))
            for code, _label in settings.LANGUAGES
        }
        return (public_tags().annotate(**in_each_language).order_by("name")
                .prefetch_related(Prefetch("translations", queryset=TagTranslation.objects.only("tag_id", "language", "slug"),
                                           to_attr="sitemap_translations")))

    def latest_change(self):
        return Article.objects.public().filter(tags__isnull=False).aggregate(latest=Max(last_change()))["latest"]

    def location(self, tag):
        return reverse("articles:tag-detail", args=[tag.slug])

    def lastmod(self, tag):
        return _capped(max(filter(None, (getattr(tag, f"public_lastmod_{code}") for code, _ in settings.LANGUAGES)),
                           default=None))

    def pages_of(self, tag) -> list[dict]:
        """{"lang", "location", "lastmod"} of the tag's public page in each language, French first."""
        from django.utils import translation

        slugs = {t.language: t.slug for t in tag.sitemap_translations}
        pages = []
        for code, _label in settings.LANGUAGES:
            changed = getattr(tag, f"public_lastmod_{code}")
            if changed is None:
                continue
            with translation.override(code):
                path = reverse("articles:tag-detail", args=[slugs.get(code, tag.slug)])
            pages.append({"lang": code, "location": absolute_url(path), "lastmod": _capped(changed)})
        return pages

    def get_urls(self, page=1, site=None, protocol=None):
        urls = []
        for url in super().get_urls(page=page, site=site, protocol=protocol):
            pages = self.pages_of(url["item"])
            alternates = []
            if len(pages) > 1:
                default = next((p for p in pages if p["lang"] == settings.LANGUAGE_CODE), pages[0])
                alternates = [{"lang": p["lang"], "location": p["location"]} for p in pages]
                alternates.append({"lang": "x-default", "location": default["location"]})
            urls.extend({**url, "location": p["location"], "lastmod": p["lastmod"], "alternates": alternates}
                        for p in pages)
        return urls


class SpeakerSitemap(PublicSitemap):
    limit = 5000

    def items(self):
        quoted = Article.objects.public().filter(
            Exists(Quote.objects.filter(article=OuterRef("pk"), speaker=OuterRef(OuterRef("pk"))))
        )
        return quoted_speakers().annotate(public_lastmod=_newest_change(quoted)).order_by("name")

    def latest_change(self):
        quoted = Article.objects.public().filter(Exists(Quote.objects.filter(article=OuterRef("pk"))))
        return quoted.aggregate(latest=Max(last_change()))["latest"]

    def lastmod(self, speaker):
        return _capped(speaker.public_lastmod)


class PagesSitemap(SiteSitemap):
    """The home page and the archives, changed whenever any public release is."""

    def items(self):
        return ["articles:article-list", "articles:archive-index"]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        # Computed once for both pages (and for the index).
        if not hasattr(self, "_latest"):
            self._latest = _capped(Article.objects.public().aggregate(latest=Max(last_change()))["latest"])
        return self._latest

    def get_latest_lastmod(self):
        return self.lastmod(None)


SITEMAPS = {
    "pages": PagesSitemap,
    "articles": ArticleSitemap,
    "tags": TagSitemap,
    "speakers": SpeakerSitemap,
}


def sitemap_index(request):
    """/sitemap.xml: Django's sitemap index over SITEMAPS, with each section's lastmod.

    Django names the sections from the request's host; like every other absolute URL
    (feeds, canonical links, the sections' own entries) they are rewritten on
    settings.SITE_URL, so a crawler that came by another host name sees one address.
    """
    response = sitemap_views.index(request, SITEMAPS, sitemap_url_name="articles:sitemap-section")
    for item in response.context_data["sitemaps"]:
        parts = urlsplit(item.location)
        item.location = absolute_url(parts.path + (f"?{parts.query}" if parts.query else ""))
    return response


def sitemap_section(request, section):
    """/sitemap-<section>.xml?p=N: one page of one section, with image entries for releases."""
    return sitemap_views.sitemap(request, SITEMAPS, section=section, template_name="sitemap_images.xml")
