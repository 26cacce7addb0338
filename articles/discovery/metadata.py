"""What search engines, social networks and feed readers are told about a page.

One place builds the absolute URLs, the dates and the photo facts that the
article page (canonical, OpenGraph, Twitter card, JSON-LD `NewsArticle`), the
feeds and the sitemap all repeat, so that the three never disagree.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.html import _json_script_escapes, format_html
from django.utils.safestring import SafeString, mark_safe

from ..paris_time import local_iso

# The renditions the outside world gets: a large JPEG every reader and crawler
# decodes, and the 1200×630 crop that OpenGraph and Twitter cards expect.
from ..photos.files import LARGE_SPEC, SOCIAL_SPEC  # noqa: E402
from ..tagging import shown_tag

OG_LOCALES = {"fr": "fr_FR", "en": "en_GB", "ja": "ja_JP"}


def absolute_url(path_or_url: str) -> str:
    """An absolute URL on the public site (settings.SITE_URL), whatever host the request came by.

    Feeds, sitemaps and canonical links must name one address: a reader that
    fetched the feed through another host name would otherwise see duplicates.
    """
    if path_or_url.startswith(("http://", "https://")):
        return path_or_url
    return f"{settings.SITE_URL}{path_or_url}"




# The dates of a release, one rule for every surface (page, JSON-LD, OpenGraph, feeds, sitemap):
# - published: its *first* publication, kept when it is republished or corrected
#   ("Publié le", datePublished, article:published_time, RSS pubDate, Atom <published>);
# - modified: the last change the public could see, the latest of its first publication,
#   its (re)publication and its last save, never after now (dateModified,
#   article:modified_time, Atom <updated>, sitemap lastmod, also for tag and speaker pages
#   through last_change());
# - the page adds "Mis à jour le <modified>" once it was republished (updated_on()).
# Lists keep their order by publish_at: a republished release comes back to the top.


def published_at(article) -> datetime | None:
    """When the release first went public: kept across later updates and republications."""
    return article.first_published_at or article.publish_at


def modified_at(article, now: datetime | None = None) -> datetime | None:
    """When the public text last changed: never before its publication, never after now.

    A release written last week and released today was *modified* for the public
    today: `updated_at` alone would date it before its own publication. A release
    republished at a later publish_at changed for the public then.
    """
    dates = [d for d in (published_at(article), article.publish_at, article.updated_at) if d is not None]
    if not dates:
        return None
    return min(max(dates), now or timezone.now())


def last_change() -> Greatest:
    """modified_at() in SQL (without the cap at now, which callers apply): for aggregates."""
    return Greatest(Coalesce("first_published_at", "publish_at"), "publish_at", "updated_at")


def updated_on(article, now: datetime | None = None) -> datetime | None:
    """The "Mis à jour le" date: modified_at() once the release was republished after its
    first publication, else None. The save that publishes a release lands within seconds
    of it, hence the minute of grace."""
    first = published_at(article)
    if first is None or article.publish_at is None or article.publish_at - first < timedelta(minutes=1):
        return None
    return modified_at(article, now)


def whole_seconds(value: datetime | None) -> datetime | None:
    """Feeds and sitemaps give dates to the second: microseconds are legal but noise."""
    return value.replace(microsecond=0) if value else None


@dataclass(frozen=True)
class PhotoFacts:
    """A photo as the outside world sees it: one absolute URL, its size, its alt text and credit."""

    url: str
    width: int | None
    height: int | None
    alt: str
    caption: str
    credit: str  # Credit.credit_line(): "Nicolas Datiche / Région Occitanie"
    copyright_holder: str
    mime_type: str = "image/jpeg"
    file: object = field(default=None, repr=False, compare=False)


def photo_facts(photo, spec: str = LARGE_SPEC) -> PhotoFacts | None:
    """The rendition `spec` of `photo` (the cleaned master when it has none yet); uses prefetched renditions."""
    if photo is None:
        return None
    rendition = photo.rendition(spec)
    if rendition is not None:
        file, width, height = rendition.file, rendition.width, rendition.height
        mime_type = "image/jpeg" if spec.endswith("jpeg") else "image/webp"
    elif photo.image:
        file, width, height = photo.image, photo.width, photo.height
        ext = photo.image.name.rsplit(".", 1)[-1].lower()
        mime_type = {"png": "image/png", "webp": "image/webp"}.get(ext, "image/jpeg")
    else:
        return None
    credit = photo.credit
    return PhotoFacts(
        url=absolute_url(file.url),
        width=width,
        height=height,
        alt=photo.alt_text,
        caption=photo.caption,
        credit=credit.credit_line(),
        copyright_holder=credit.organisation or credit.name,
        mime_type=mime_type,
        file=file,
    )


def placement_facts(placement, spec: str = LARGE_SPEC) -> PhotoFacts | None:
    """photo_facts() of a release's photo, with the caption and alt text in the release's language
    (a translation's own, issue #14; the photo's when not translated)."""
    if placement is None:
        return None
    facts = photo_facts(placement.photo, spec)
    if facts is None:
        return None
    return replace(facts, alt=placement.shown_alt_text, caption=placement.shown_caption)


def organisation() -> dict:
    return {"@type": "Organization", "name": settings.SITE_NAME, "url": absolute_url("/")}


def news_article(article) -> dict:
    """The schema.org `NewsArticle` of a release (JSON-LD), for search engines.

    Uses the article's prefetched tags and photos (`with_page()`): no query of its own.
    """
    canonical = absolute_url(article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "url": canonical,
        "mainEntityOfPage": {"@type": "WebPage", "@id": canonical},
        "datePublished": local_iso(published_at(article)),
        "dateModified": local_iso(modified_at(article)),
        "inLanguage": article.language,
        # A press office signs its releases: the organisation is both author and publisher.
        "author": organisation(),
        "publisher": organisation(),
    }
    if article.standfirst:
        data["description"] = article.standfirst
    if article.change_note:
        # schema.org's own way to say a release was corrected after publication.
        data["correction"] = {"@type": "CorrectionComment", "text": article.change_note}
    keywords = [shown_tag(tag).name for tag in article.tags.all()]
    if keywords:
        data["keywords"] = keywords
    if article.location:
        data["dateline"] = article.location
    images = []
    for placement in article.article_photos.all():
        facts = placement_facts(placement)
        if facts is None:
            continue
        image = {
            "@type": "ImageObject",
            "url": facts.url,
            "contentUrl": facts.url,
            "creditText": facts.credit,
            "copyrightHolder": {"@type": "Organization" if placement.photo.credit.organisation else "Person",
                                "name": facts.copyright_holder},
        }
        if facts.width and facts.height:
            image["width"], image["height"] = facts.width, facts.height
        if facts.caption:
            image["caption"] = facts.caption
        images.append(image)
    if images:
        data["image"] = images
    return data


def json_ld_script(data: dict) -> SafeString:
    """`<script type="application/ld+json">` with `<`, `>` and `&` escaped, as Django's json_script does.

    json_script itself cannot set the type search engines require; the escaping is
    what matters: a title containing "</script>" stays inside the JSON string.
    """
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(_json_script_escapes)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(text))


@dataclass(frozen=True)
class ArticleMetadata:
    canonical: str
    title: str
    description: str
    og_locale: str
    published: str | None
    modified: str | None
    updated: datetime | None  # "Mis à jour le …" once republished (updated_on)
    tags: list[str]
    social_image: PhotoFacts | None
    json_ld: SafeString


def article_metadata(article) -> ArticleMetadata:
    """Everything the article page puts in its <head>, from its prefetched relations."""
    lead = article.lead_placement
    return ArticleMetadata(
        canonical=absolute_url(article.get_absolute_url()),
        title=article.title,
        description=article.standfirst,
        og_locale=OG_LOCALES.get(article.language, "fr_FR"),
        published=local_iso(published_at(article)),
        modified=local_iso(modified_at(article)),
        updated=updated_on(article),
        tags=[shown_tag(tag).name for tag in article.tags.all()],
        social_image=placement_facts(lead, SOCIAL_SPEC),
        json_ld=json_ld_script(news_article(article)),
    )
