"""Querysets: the one visibility rule and the prefetches the public pages rely on."""

from django.db import models
from django.db.models import Prefetch
from django.utils import timezone


def visible_now(path: str = "", now=None) -> models.Q:
    """The visibility rule as a condition on an article reached through `path` ("" or "article__").

    Published, and its publication time has come. A translation (issue #14) has no time of
    its own: it is visible when it is itself published (approved, not left out) and its
    group's original is published and its time has come. So a group goes live, leaves the
    site and stays hidden as one, whatever is written in a translation's own `publish_at`
    (the workflow keeps it equal to the original's for ordering, never for visibility).
    It is the body of ArticleQuerySet.public() and nothing else defines visibility:
    querysets of things shown by an article (quotes) join through it instead of repeating it.
    """
    from .models import Article

    published = Article.Status.PUBLISHED
    # `now` is the time of the question: the current time, or a prepared query's Parameter
    # (prepared_queries.py), bound to the current time each time that query runs.
    now = timezone.now() if now is None else now
    original = models.Q(**{f"{path}translation_of__isnull": True, f"{path}status": published,
                           f"{path}publish_at__lte": now})
    # A subquery rather than a join on the original: public() stays a filter on one table, so
    # raw SQL on its columns (search_vector) stays unambiguous and list plans keep their index.
    # The original looked up by its primary key, for translations only, as a correlated scalar
    # subquery: `translation_of IN (every live original)`, or an EXISTS that PostgreSQL turns into
    # the same hashed set, built that whole set (98,000 rows at 100,000 releases, 100-200 ms) for
    # every list, even the home page's first ten (issue #17, scale). Per row it is one index probe.
    live_original = Article.objects.filter(
        pk=models.OuterRef(f"{path}translation_of"), translation_of__isnull=True, status=published, publish_at__lte=now
    )
    translation = models.Q(**{f"{path}status": published, f"{path}translation_of__isnull": False}) & models.Q(
        **{f"{path}translation_of": models.Subquery(live_original.order_by().values("pk")[:1])}
    )
    return original | translation


def language_code(language: str | None = None) -> str:
    """The site language a list of `language` (default: the page's) shows: one of LANGUAGES, else the default."""
    from django.conf import settings
    from django.utils.translation import get_language

    code = (language or get_language() or "").split("-")[0]
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


class ArticleQuerySet(models.QuerySet):
    def public(self, now=None):
        """What the public may see now: published, and its publication time has come.

        This is the only definition of visibility. Every public page, list,
        count, feed, sitemap, search and download starts from it, so an
        embargoed release goes live at its minute with no cron job, and
        nothing else can leak it. `Article.is_public()` mirrors it for one object.
        """
        return self.filter(visible_now(now=now))

    def in_language(self, language: str | None = None):
        """Releases written in `language` (default: the language of the page being served).

        Every list of a language's site (home, tags, search, feeds, archives) shows that
        language's releases only; each release links its translations itself.
        """
        return self.filter(language=language_code(language))

    def newest_first(self):
        return self.order_by("-publish_at", "-id")

    def for_lists(self):
        """Without the body and the search text, which no list shows: a page of cards reads a tenth of the bytes."""
        return self.defer("body", "search_document")

    def related_to(self, article, limit: int = 4, window: int = 500):
        """Releases sharing the most tags with `article`, newest first among equals.

        Chain after public(). Uses the article's prefetched tags. Only the `window`
        newest releases sharing a tag are ranked, so the cost stays flat however large
        the archive (a popular tag is carried by thousands of releases).
        """
        from .models import TaggedArticle

        tag_ids = [tag.pk for tag in article.tags.all()]
        if not tag_ids:
            return self.none()
        sharing = self.filter(
            models.Exists(TaggedArticle.objects.filter(content_object=models.OuterRef("pk"), tag_id__in=tag_ids))
        ).exclude(pk=article.pk)
        newest = sharing.order_by("-publish_at", "-id").values("pk")[:window]
        return (
            self.filter(pk__in=newest, tags__in=tag_ids)
            # Annotating after filtering on the same relation counts only the shared tags.
            .annotate(shared=models.Count("tags"))
            .order_by("-shared", "-publish_at", "-id")
            .only("title", "slug", "publish_at", "language")[:limit]
        )

    def with_cards(self, specs=None):
        """Everything a list card shows (lead photo with its credit and renditions), in a fixed number of queries.

        Only the renditions a card's srcset offers are loaded: a card is at most 20rem
        wide, so 480 and 960 px cover one- and two-pixel-per-point screens.
        """
        return self.prefetch_related(*card_prefetches(specs))

    def with_large_photos(self):
        """The photos with their credit and only the large JPEG, for feeds and sitemaps.

        The outside world gets one rendition (metadata.LARGE_SPEC); loading every
        rendition of every photo for 30 feed items or a sitemap page would be waste.
        """
        from .discovery.metadata import LARGE_SPEC
        from .models import ArticlePhoto, Rendition

        placements = (
            ArticlePhoto.objects.select_related("photo__credit")
            .prefetch_related(Prefetch("photo__renditions", queryset=Rendition.objects.filter(spec=LARGE_SPEC)))
            .order_by("position", "id")
        )
        return self.prefetch_related(Prefetch("article_photos", queryset=placements))

    def with_page(self):
        """Everything the article page shows, in a fixed number of queries however many items."""
        return self.prefetch_related(*page_prefetches())


def card_prefetches(specs=None) -> list:
    """The lookups of with_cards(), for prefetch_related_objects() on articles already loaded."""
    from .models import ArticlePhoto, Rendition
    from .photos.files import CARD_SPECS

    renditions = Rendition.objects.filter(spec__in=specs or CARD_SPECS)
    return [
        Prefetch(
            "article_photos",
            queryset=ArticlePhoto.objects.select_related("photo__credit")
            .prefetch_related(Prefetch("photo__renditions", queryset=renditions))
            .order_by("position", "id"),
        )
    ]


def page_prefetches() -> list:
    """The lookups of with_page(), for prefetch_related_objects() on an article already loaded."""
    from .models import PressContact, Quote
    from .photos.files import PAGE_SPECS
    from .tagging import translations_prefetch

    return card_prefetches(PAGE_SPECS) + [
        "tags",
        # Their names and addresses in the page's language: one query for all (none in French), issue #14.
        *translations_prefetch(),
        # Each contact's role in every language as columns (issue #14): the API's page mixes languages.
        Prefetch("press_contacts", queryset=PressContact.objects.with_roles()),
        Prefetch("quotes", queryset=Quote.objects.select_related("speaker").order_by("position", "id")),
    ]


class QuoteQuerySet(models.QuerySet):
    def public(self):
        """Quotes the public may read: those of public articles, and only those.

        A join on the rule rather than `article__in` a subquery: a speaker page can
        then walk the public articles newest first and stop after a page of quotes
        (0.3 ms instead of 120 ms for a speaker quoted 30,000 times).
        """
        return self.filter(visible_now("article__"))


class PhotoQuerySet(models.QuerySet):
    def public(self):
        """Photos the public may see: those shown by at least one public article, and only those.

        A subquery rather than a join, so a photo shown by several public
        articles is listed once without DISTINCT.
        """
        from .models import Article, ArticlePhoto

        return self.filter(
            models.Exists(
                ArticlePhoto.objects.filter(photo=models.OuterRef("pk"), article__in=Article.objects.public())
            )
        )


def public_tags(language: str | None = None):
    """Tags carried by at least one public article: the only tags the public may hear of.

    A tag known only from a draft or an embargoed release would reveal its subject.
    Used by the tag feeds, the sitemap and the search filters.
    """
    from taggit.models import Tag

    from .models import Article

    public = Article.objects.public()
    if language:  # the tags of one language's releases (that language's search filters)
        public = public.in_language(language)
    return Tag.objects.filter(models.Exists(public.filter(tags=models.OuterRef("pk"))))


def quoted_speakers(language: str | None = None):
    """Speakers quoted in at least one public article, and only those (see QuoteQuerySet.public)."""
    from .models import Quote, Speaker

    quotes = Quote.objects.public()
    if language:
        quotes = quotes.filter(article__language=language)
    return Speaker.objects.filter(models.Exists(quotes.filter(speaker=models.OuterRef("pk"))))
