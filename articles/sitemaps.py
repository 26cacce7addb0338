"""sitemap.xml: every public release, tag and speaker page, with its photos.

`lastmod` is the last change the public could see: a release's own update or
publication, and for a tag or speaker page the newest change among its public
releases. Previews and embargo links are never listed (robots.txt disallows them).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef, Prefetch, Subquery
from django.db.models.functions import Greatest
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from .metadata import LARGE_SPEC, modified_at, photo_facts
from .models import Article, ArticlePhoto, Quote, Rendition, Speaker


def _seconds(value):
    # Sitemaps take W3C datetimes; microseconds are legal but noise.
    return value.replace(microsecond=0) if value else None


class SiteSitemap(Sitemap):
    """Absolute URLs from settings.SITE_URL, whatever host name the crawler used."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        parts = urlsplit(settings.SITE_URL)
        return parts.netloc + parts.path.rstrip("/")


def _latest_change(public_articles):
    """A subquery: the newest publication or update among `public_articles` (filtered on OuterRef)."""
    return Subquery(
        public_articles.annotate(changed=Greatest("publish_at", "updated_at"))
        .order_by("-changed")
        .values("changed")[:1]
    )


class ArticleSitemap(SiteSitemap):
    def items(self):
        placements = (
            ArticlePhoto.objects.select_related("photo__credit")
            .prefetch_related(Prefetch("photo__renditions", queryset=Rendition.objects.filter(spec=LARGE_SPEC)))
            .order_by("position", "id")
        )
        return Article.objects.public().newest_first().prefetch_related(Prefetch("article_photos", queryset=placements))

    def lastmod(self, article):
        return _seconds(modified_at(article))

    def images(self, article):
        """The large JPEG of each photo, as Google's image sitemap extension lists them."""
        return [facts for placement in article.article_photos.all() if (facts := photo_facts(placement.photo))]

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        for url in urls:
            url["images"] = self.images(url["item"])
        return urls


class TagSitemap(SiteSitemap):
    def items(self):
        public = Article.objects.public().filter(tags=OuterRef("pk"))
        return (
            Tag.objects.filter(Exists(public))
            .annotate(public_lastmod=_latest_change(public))
            .order_by("name")
        )

    def location(self, tag):
        return reverse("articles:tag-detail", args=[tag.slug])

    def lastmod(self, tag):
        return _seconds(min(tag.public_lastmod, timezone.now()))


class SpeakerSitemap(SiteSitemap):
    def items(self):
        quoted = Article.objects.public().filter(
            Exists(Quote.objects.filter(article=OuterRef("pk"), speaker=OuterRef(OuterRef("pk"))))
        )
        return (
            Speaker.objects.filter(Exists(Quote.objects.public().filter(speaker=OuterRef("pk"))))
            .annotate(public_lastmod=_latest_change(quoted))
            .order_by("name")
        )

    def lastmod(self, speaker):
        return _seconds(min(speaker.public_lastmod, timezone.now()))


class PagesSitemap(SiteSitemap):
    """The home page and the archives, changed whenever any public release is."""

    def items(self):
        return ["articles:article-list", "articles:archive-index"]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        # Computed once for both pages.
        if not hasattr(self, "_latest"):
            latest = (
                Article.objects.public()
                .annotate(changed=Greatest("publish_at", "updated_at"))
                .order_by("-changed")
                .values_list("changed", flat=True)
                .first()
            )
            self._latest = _seconds(min(latest, timezone.now())) if latest else None
        return self._latest


SITEMAPS = {
    "pages": PagesSitemap,
    "articles": ArticleSitemap,
    "tags": TagSitemap,
    "speakers": SpeakerSitemap,
}
