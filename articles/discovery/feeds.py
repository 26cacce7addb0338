"""RSS 2.0 and Atom feeds: all releases, per tag, per speaker.

Each item carries the full text (content:encoded in RSS, <content> in Atom), the
lead photo as an enclosure and a Media RSS element with its credit, and a GUID
that survives a change of slug or of domain spelling in the URL.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db.models import Exists, OuterRef
from django.http import Http404, HttpResponsePermanentRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Enclosure, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from ..caching import dependencies
from ..models import Article, Quote
from ..querysets import public_tags, quoted_speakers
from ..tagging import shown_tag, translations_prefetch
from .metadata import absolute_url, modified_at, placement_facts, published_at, whole_seconds

FEED_ITEMS = 30
MEDIA_NS = "http://search.yahoo.com/mrss/"
CONTENT_NS = "http://purl.org/rss/1.0/modules/content/"


class _MediaElements:
    """Media RSS for the lead photo (with its credit), shared by both formats."""

    def add_media(self, handler, item):
        photo = item.get("photo")
        if photo is None:
            return
        attrs = {"url": photo.url, "type": photo.mime_type, "medium": "image"}
        if photo.width and photo.height:
            attrs.update(width=str(photo.width), height=str(photo.height))
        handler.startElement("media:content", attrs)
        handler.addQuickElement("media:credit", photo.credit, {"role": "photographer", "scheme": "urn:ebu"})
        handler.addQuickElement("media:copyright", f"© {photo.copyright_holder}")
        if photo.caption:
            handler.addQuickElement("media:title", photo.caption)
        handler.addQuickElement("media:description", photo.alt, {"type": "plain"})
        handler.endElement("media:content")


class PressRssFeed(_MediaElements, Rss201rev2Feed):
    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:media": MEDIA_NS, "xmlns:content": CONTENT_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content:encoded", item["content_html"])
        self.add_media(handler, item)


class PressAtomFeed(_MediaElements, Atom1Feed):
    def root_attributes(self):
        return {**super().root_attributes(), "xmlns:media": MEDIA_NS}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        handler.addQuickElement("content", item["content_html"], {"type": "html"})
        self.add_media(handler, item)


class ArticlesFeed(Feed):
    """Every public release, newest first (RSS 2.0)."""

    feed_type = PressRssFeed
    # None: the language of the feed's address (Django's Feed reads get_language()); each
    # language's feed lists that language's releases only (issue #14).
    language = None

    def title(self, obj=None):
        return settings.SITE_NAME

    def description(self, obj=None):
        return _("Les communiqués de presse, texte intégral et photos.")

    subtitle = description  # Atom's name for it

    def link(self, obj=None):
        return absolute_url(reverse("articles:article-list"))

    url_name = "articles:feed-rss"

    def feed_url(self, obj=None):
        # From SITE_URL rather than the request: one address for the feed whatever host served it.
        return absolute_url(reverse(self.url_name, args=[obj.slug] if obj is not None else []))

    def author_name(self, obj=None):
        return settings.SITE_NAME

    def author_link(self, obj=None):
        return absolute_url("/")

    def public_articles(self, obj=None):
        return Article.objects.public()

    def items(self, obj=None):
        return (self.public_articles(obj).in_language().newest_first().with_large_photos()
                # the tags' names in the feed's language (issue #14)
                .prefetch_related("tags", *translations_prefetch())[:FEED_ITEMS])

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        # RSS <description> and Atom <summary type="html"> are HTML once the XML is read;
        # the standfirst is plain text. Unescaped, a "<script>" typed in it reached feed
        # readers as markup; escaped, it arrives as the words the editor typed.
        return escape(item.standfirst)

    def item_link(self, item):
        return absolute_url(item.get_absolute_url())

    def item_guid(self, item):
        # A tag URI (RFC 4151) from the primary key and the creation date: neither a new
        # slug nor a later update makes readers show the release twice.
        host = urlsplit(settings.SITE_URL).hostname or "localhost"
        return f"tag:{host},{item.created_at:%Y-%m-%d}:communique/{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return whole_seconds(published_at(item))

    def item_updateddate(self, item):
        # Never later than now, so neither is the feed's lastBuildDate/updated.
        return whole_seconds(modified_at(item))

    def item_categories(self, item):
        return [shown_tag(tag).name for tag in item.tags.all()]

    def item_enclosures(self, item):
        photo = self._lead(item)
        if photo is None or photo.file is None:
            return []
        try:
            # RSS 2.0 requires the length in bytes, and Rendition stores no size. For a
            # stored file FieldFile.size is storage.size(name): one stat, the file is never
            # opened. Asked once per item (30 a feed, and feeds are page-cached); the
            # renditions come from the with_large_photos() prefetch, so no query either.
            length = photo.file.size
        except OSError:  # a file missing from storage: the item is still worth sending
            return []
        return [Enclosure(photo.url, str(length), photo.mime_type)]

    def item_extra_kwargs(self, item):
        photos = [placement_facts(placement) for placement in item.article_photos.all()]
        content = render_to_string("articles/feeds/item_content.html", {"article": item, "photos": photos})
        return {"content_html": content, "photo": self._lead(item)}

    def _lead(self, item):
        # Both item_enclosures and item_extra_kwargs ask; work it out once per article.
        if not hasattr(item, "_feed_photo"):
            item._feed_photo = placement_facts(item.lead_placement)
        return item._feed_photo


class AtomArticlesFeed(ArticlesFeed):
    feed_type = PressAtomFeed
    url_name = "articles:feed-atom"


class TagFeed(ArticlesFeed):
    """The public releases with one tag; a tag known only from hidden releases does not exist."""

    url_name = "articles:tag-feed-rss"

    def __call__(self, request, *args, **kwargs):
        # Under its name and address in the feed's language (issue #14), like its page: the
        # French slug under /en/ moves to the English one (only for a tag public in English).
        from ..tagging import tag_in_language

        # One query: among the tags this language's public releases carry.
        request._feed_tag = tag = tag_in_language(kwargs["slug"], queryset=public_tags(get_language()))
        if tag is not None and tag.shown_slug != kwargs["slug"]:
            return HttpResponsePermanentRedirect(reverse(self.url_name, args=[tag.shown_slug]))
        return super().__call__(request, *args, **kwargs)

    def get_object(self, request, slug):
        tag = getattr(request, "_feed_tag", None)
        if tag is None:
            raise Http404("Aucun communiqué public pour ce mot-clé.")
        return tag

    def title(self, obj):
        return _("%(site)s — mot-clé « %(tag)s »") % {"site": settings.SITE_NAME, "tag": shown_tag(obj).name}

    def description(self, obj):
        return _("Les communiqués de presse sur le thème « %(tag)s ».") % {"tag": shown_tag(obj).name}

    subtitle = description

    def link(self, obj):
        return absolute_url(reverse("articles:tag-detail", args=[shown_tag(obj).slug]))

    def public_articles(self, obj):
        return Article.objects.public().filter(tags=obj)


class AtomTagFeed(TagFeed):
    feed_type = PressAtomFeed
    url_name = "articles:tag-feed-atom"


class SpeakerFeed(ArticlesFeed):
    """The public releases quoting one speaker."""

    url_name = "articles:speaker-feed-rss"

    def get_object(self, request, slug):
        speaker = get_object_or_404(quoted_speakers(), slug=slug)
        dependencies.record(dependencies.speaker(speaker.pk))  # a new quote elsewhere changes this feed
        return speaker

    def title(self, obj):
        return _("%(site)s — citations de %(name)s") % {"site": settings.SITE_NAME, "name": obj.name}

    def description(self, obj):
        return _("Les communiqués de presse où %(name)s est cité·e.") % {"name": obj.name}

    subtitle = description

    def link(self, obj):
        return absolute_url(obj.get_absolute_url())

    def public_articles(self, obj):
        return Article.objects.public().filter(Exists(Quote.objects.filter(article=OuterRef("pk"), speaker=obj)))


class AtomSpeakerFeed(SpeakerFeed):
    feed_type = PressAtomFeed
    url_name = "articles:speaker-feed-atom"
