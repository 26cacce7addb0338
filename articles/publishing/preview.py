"""The staff preview: a release as the public will see it, and every page it links to (issue #16).

A preview page links only addresses that work for the person reading it. The public press
kit, HD downloads and tag, speaker and credit pages of a release that is not public yet are
404s (or, for a tag already public elsewhere, pages that do not list it), so the preview links
their preview versions instead (views/previews.py): the same public templates, showing the
public list plus the previewed release, as they will look once it is public.

Who may preview is one rule, `may_preview`, asked by every preview address; what the previewed
release shows (`PreviewedItems`) bounds what each of them serves: another release's photo, tag,
speaker or credit is a 404 there, like an unknown one.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Exists, IntegerField, OuterRef, Prefetch, Q, Value, When
from django.urls import reverse
from django.utils import translation

from ..models import Article, ArticlePhoto, Photo, Quote
from ..querysets import visible_now
from . import embargo

PREVIEW_PERMISSION = "articles.view_article"


def may_preview(user) -> bool:
    """Staff with the right to view releases may preview any release, whatever its state.

    The views are also wrapped in `staff_member_required`, which sends a visitor to the
    login page; a staff account without this right gets a 403.
    """
    return bool(user and user.is_active and user.is_staff and user.has_perm(PREVIEW_PERMISSION))


# What a preview page of the release loads: enough to know its items without a query per item.
ITEM_PREFETCHES = ("quotes", "tags", Prefetch("article_photos", queryset=ArticlePhoto.objects.select_related("photo")))


@dataclass(frozen=True)
class PreviewedItems:
    """The ids of what the previewed release shows: the preview versions serve these and no other."""

    article_id: int
    speakers: frozenset[int]
    tags: frozenset[int]
    credits: frozenset[int]
    photos: frozenset[int]

    def shows(self, kind: str, pk: int) -> bool:
        return pk in getattr(self, kind)


def previewed_items(article: Article) -> PreviewedItems:
    """From the article's prefetched quotes, tags and photos (with_page or ITEM_PREFETCHES): no query."""
    placements = list(article.article_photos.all())
    return PreviewedItems(
        article_id=article.pk,
        speakers=frozenset(quote.speaker_id for quote in article.quotes.all()),
        tags=frozenset(tag.pk for tag in article.tags.all()),
        credits=frozenset(placement.photo.credit_id for placement in placements),
        photos=frozenset(placement.photo_id for placement in placements),
    )


def rewrite_body_links(article: Article) -> str:
    """The release's body for its preview: links to its own public page, press kit and photo
    downloads go to their preview versions (the public ones are 404s until publication),
    as the embargo page does for its link (embargo.rewrite_body_links)."""
    with translation.override(article.language):
        targets = {
            article.get_absolute_url(): reverse("articles:article-preview", args=[article.pk]),
            reverse("articles:press-kit", args=[article.slug]): reverse("articles:preview-press-kit", args=[article.pk]),
        }
        for placement in article.article_photos.all():
            targets[reverse("articles:photo-download", args=[placement.photo_id])] = reverse(
                "articles:preview-photo-download", args=[article.pk, placement.photo_id])
    return embargo.swap_links(article.body, targets)


# --- The tag, speaker and credit pages once the release is public: the public list, plus it --------


def _previewed_first(article: Article, *ordering: str) -> tuple:
    """A release not public yet goes out newest (at once, or at its scheduled minute): it heads the
    list; a public one already has its place."""
    if article.is_public():
        return ordering
    return ("previewed", *ordering)


def _flag(article: Article, field: str = "pk"):
    return Case(When(**{field: article.pk}, then=Value(0)), default=Value(1), output_field=IntegerField())


def tag_page_releases(article: Article, tag):
    """The releases of `tag`'s page in the release's language, once `article` is public."""
    return (
        Article.objects.filter(visible_now() | Q(pk=article.pk))
        .in_language(article.language)
        .filter(tags=tag)
        .annotate(previewed=_flag(article))
        .order_by(*_previewed_first(article, "-publish_at", "-id"))
        .for_lists()
    )


def speaker_page_quotes(article: Article, speaker):
    """The quotes of `speaker`'s page in the release's language, once `article` is public."""
    return (
        Quote.objects.filter(visible_now("article__") | Q(article=article))
        .filter(speaker=speaker, article__language=article.language)
        .select_related("article", "speaker")
        .annotate(previewed=_flag(article, "article_id"))
        .order_by(*_previewed_first(article, "-article__publish_at", "-article__id", "position", "id"))
    )


def credit_page_photos(article: Article, credit):
    """The photos of `credit`'s page, once `article` is public, each with its releases then."""
    releases = (
        Article.objects.filter(visible_now() | Q(pk=article.pk))
        .in_language(article.language)
        .annotate(previewed=_flag(article))
        .order_by(*_previewed_first(article, "-publish_at", "-id"))
    )
    shown = ArticlePhoto.objects.filter(photo=OuterRef("pk"))
    return (
        Photo.objects.filter(credit=credit)
        .filter(Exists(shown.filter(article__in=Article.objects.public())) | Exists(shown.filter(article=article)))
        .select_related("credit")
        .prefetch_related("renditions", Prefetch("articles", queryset=releases, to_attr="public_articles"))
        .order_by("-created_at", "-id")
    )
