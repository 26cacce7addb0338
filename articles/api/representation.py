"""Releases and their vocabulary as plain data: what the API answers and what webhooks carry.

Built from prefetched objects only (ArticleQuerySet.with_api()), so a page of releases
costs a fixed number of queries. Everything here is reached through a public release
or a public list: nothing decides visibility.
"""

from __future__ import annotations

import html
from functools import lru_cache

from django.conf import settings
from django.db.models import Prefetch, prefetch_related_objects
from django.urls import reverse
from django.utils import translation
from django.utils.html import strip_tags

from ..discovery.metadata import absolute_url, modified_at, published_at


def api_url(name: str, *args) -> str:
    return absolute_url(reverse(f"api-v1:{name}", args=args))


@lru_cache(maxsize=64)
def _address_pattern(name: str, language: str) -> tuple[str, str]:
    """The absolute address of URL `name` in `language` around its one argument, reversed once
    per process and language (/communiques/…, /en/releases/…).

    A page of 20 releases names ~350 tags, credits, speakers and photos: reverse() for each
    was a quarter of the page's time. Slugs and ids need no quoting in a path.
    """
    marker = "0000000000"
    with translation.override(language):
        before, _, after = absolute_url(reverse(name, args=[marker])).partition(marker)
    return before, after


def address(name: str, arg, language: str | None = None) -> str:
    """The public address of `name` for `arg`; in `language` (a release's), French by default."""
    before, after = _address_pattern(name, language or settings.LANGUAGE_CODE)
    return f"{before}{arg}{after}"


def body_text(body_html: str) -> str:
    """The body as plain text: paragraphs kept apart, entities decoded."""
    spaced = body_html.replace("</p>", "</p>\n\n").replace("<br>", "\n").replace("</li>", "</li>\n")
    text = html.unescape(strip_tags(spaced))
    return "\n\n".join(part.strip() for part in text.split("\n\n") if part.strip())


TAG_NAMES = "api_names"


def tag_data(tag, language: str | None = None) -> dict:
    """A tag; on a release in another language than French (issue #14), under its name and page
    address in that language, with `name_fallback_language` "fr" when the tag has no name in that
    language yet (then its French name, and its page in that language at its French slug).
    `slug` stays the tag's own: it is what /api/v1/tags/{slug} and ?tag= take."""
    language = language or settings.LANGUAGE_CODE
    name, slug, fallback = tag.name, tag.slug, ""
    if language != settings.LANGUAGE_CODE:
        own = next((t for t in getattr(tag, TAG_NAMES, ()) if t.language == language), None)
        if own is not None:
            name, slug = own.name, own.slug
        else:
            fallback = settings.LANGUAGE_CODE
    return {"name": name, "slug": tag.slug, "url": address("articles:tag-detail", slug, language),
            "name_fallback_language": fallback}


def prefetch_tag_names(articles) -> None:
    """Gives the tags of the releases in other languages than French their names in those languages:
    one query for a whole page (none when every release is French), never one per tag. The releases'
    tags must be prefetched already (with_page())."""
    from ..models import TagTranslation

    foreign = [a for a in articles if a.language != settings.LANGUAGE_CODE]
    if not foreign:
        return
    names = TagTranslation.objects.filter(language__in={a.language for a in foreign}).only("tag_id", "language", "name", "slug")
    prefetch_related_objects(foreign, Prefetch("tags__translations", queryset=names, to_attr=TAG_NAMES))


def credit_data(credit) -> dict:
    return {
        "name": credit.name, "organisation": credit.organisation, "slug": credit.slug,
        "credit_line": credit.credit_line(),
        "url": address("articles:credit-detail", credit.slug),
    }


def speaker_data(speaker) -> dict:
    return {
        "name": speaker.name, "role": speaker.role, "organisation": speaker.organisation, "slug": speaker.slug,
        "url": address("articles:speaker-detail", speaker.slug),
    }


def photo_data(photo, placement=None) -> dict:
    """A photo; through a release's `placement`, its caption and alt text in the release's language
    (a translation's own, issue #14), with `caption_language`/`alt_text_language` saying when the
    photo's untranslated text stands in (the language it is written in), "" otherwise."""
    return {
        "id": photo.pk,
        "caption": placement.shown_caption if placement else photo.caption,
        "alt_text": placement.shown_alt_text if placement else photo.alt_text,
        "caption_fallback_language": placement.caption_fallback if placement else "",
        "alt_text_fallback_language": placement.alt_text_fallback if placement else "",
        "width": photo.width, "height": photo.height, "licence": photo.licence,
        "credit": credit_data(photo.credit),
        "download_url": address("articles:photo-download", photo.pk),
        "renditions": [
            {"spec": r.spec, "url": absolute_url(r.file.url), "width": r.width, "height": r.height}
            for r in sorted(photo.renditions.all(), key=lambda r: r.spec)
        ],
    }


def translations_of(articles) -> dict[int, list[dict]]:
    """The public translations of each release (its original and its other languages, issue #14),
    by release id: one query for a whole page, through the one visibility rule."""
    from django.db.models import Q

    from ..models import Article

    groups = {a.pk: a.translation_of_id or a.pk for a in articles}
    if not groups:
        return {}
    wanted = set(groups.values())
    members: dict[int, list] = {}
    for member in (Article.objects.public().filter(Q(pk__in=wanted) | Q(translation_of_id__in=wanted))
                   .only("slug", "language", "translation_of_id").order_by("language", "pk")):
        members.setdefault(member.translation_of_id or member.pk, []).append(member)
    return {
        pk: [{"id": m.pk, "language": m.language, "url": address("articles:article-detail", m.slug, m.language),
              "api_url": address("api-v1:release-detail", m.pk)}
             for m in members.get(group, []) if m.pk != pk]
        for pk, group in groups.items()
    }


def release_data(article, translations: list[dict] | None = None) -> dict:
    """A public release, whole. The caller has checked that it is public; `translations` come from
    `translations_of()` (looked up here for a single release)."""
    if translations is None:
        translations = translations_of([article]).get(article.pk, [])
        prefetch_tag_names([article])
    return {
        "id": article.pk,
        "slug": article.slug,
        "url": address("articles:article-detail", article.slug, article.language),
        "api_url": address("api-v1:release-detail", article.pk),
        "title": article.title,
        "standfirst": article.standfirst,
        "location": article.location,
        "language": article.language,
        "translations": translations,
        "body_html": article.body,
        "body_text": body_text(article.body),
        "first_published_at": published_at(article),
        "published_at": article.publish_at,
        "updated_at": modified_at(article),
        "change_note": article.change_note,
        "tags": sorted((tag_data(tag, article.language) for tag in article.tags.all()), key=lambda t: t["name"].lower()),
        "photos": [photo_data(placement.photo, placement) for placement in article.article_photos.all()],
        "quotes": [{"text": q.text, "speaker": speaker_data(q.speaker)} for q in article.quotes.all()],
        "press_contacts": [
            {"name": c.name, "role": role, "role_fallback_language": "" if language == article.language else language,
             "email": c.email, "phone": c.phone}
            for c in article.press_contacts.all() for role, language in [c.role_in(article.language)]
        ],
    }


def gone_data(article) -> dict | None:
    """The public notice of a release the public saw and that was withdrawn or removed, else None."""
    from ..models import Article
    from ..publishing.workflow import was_published

    if article.status not in (Article.Status.WITHDRAWN, Article.Status.REMOVED) or not was_published(article):
        return None
    if article.status == Article.Status.WITHDRAWN:
        return {
            "detail": "Ce communiqué a été retiré.", "id": article.pk, "status": "withdrawn",
            "reason": article.withdrawal_reason, "withdrawn_at": article.withdrawn_at,
        }
    return {"detail": "Ce communiqué a été supprimé : il avait été publié par erreur.", "id": article.pk,
            "status": "removed", "reason": None, "withdrawn_at": None}
