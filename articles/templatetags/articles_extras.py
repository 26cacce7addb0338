"""Small presentation filters for the public pages: French dates and phone links."""

import re
from datetime import datetime

from django import template
from django.urls import reverse

from ..paris_time import day_label, local_iso

register = template.Library()


@register.filter
def french_date(value: datetime | None) -> str:
    """"3 mars 2026" in Paris time, in the page's language: "3 March 2026", "2026年3月3日" (paris_time.day_label)."""
    return day_label(value)


@register.filter
def tel_href(phone: str) -> str:
    """"05 61 33 50 50" → "0561335050": a tel: link keeps only the digits and a leading "+"."""
    return re.sub(r"(?!^\+)\D", "", (phone or "").strip())


@register.filter
def iso_datetime(value: datetime | None) -> str:
    """The `<time datetime>` value: ISO 8601 in Paris time, to the second."""
    return local_iso(value) or ""


@register.filter
def srcset(photo, fmt: str) -> str:
    """`Photo.srcset(fmt)` for templates, which cannot pass arguments; uses the prefetched renditions."""
    return photo.srcset(fmt) if photo else ""


def fallback_rendition(photo):
    """The rendition an <img src> falls back to: a 960 px JPEG, or the smallest prefetched JPEG, or None."""
    from ..photos.files import FALLBACK_SPEC

    rendition = photo.rendition(FALLBACK_SPEC)
    if rendition is None:
        widths = sorted((r for r in photo.renditions.all() if r.spec.endswith("jpeg")), key=lambda r: r.width)
        rendition = widths[0] if widths else None
    return rendition


@register.filter
def fallback_src(photo) -> str:
    """The <img src> for browsers without srcset: a 960 px JPEG, or the smallest prefetched width.

    Never the master, which can weigh 25 MB; the master is only for downloads. Empty when the
    photo's renditions are not made yet.
    """
    if not photo:
        return ""
    rendition = fallback_rendition(photo)
    # No rendition yet (its job has not run): nothing, never the master; the template then shows no image.
    return rendition.file.url if rendition else ""


@register.simple_tag(takes_context=True)
def photo_urls(context, photo) -> dict:
    """Every address a photo figure needs: {"webp", "jpeg"} srcsets, the "fallback" src and the "download".

    On an embargo page (`embargo_link` in the context) each one goes through the signed
    link (preview_views.embargo_photo), never to /media/: a file address seen by a
    chat preview or a forwarded page would outlive the link's revocation.
    """
    if not photo:
        return {}
    link = context.get("embargo_link")
    if link is None:
        return {
            "webp": photo.srcset("webp"), "jpeg": photo.srcset("jpeg"), "fallback": fallback_src(photo),
            "download": reverse("articles:photo-download", args=[photo.pk]),
        }
    from ..publishing import embargo

    token = context.get("embargo_token")

    def url_for(rendition) -> str:
        return embargo.photo_path(link, photo.pk, rendition.spec, token)

    fallback = fallback_rendition(photo)
    original = embargo.photo_path(link, photo.pk, embargo.ORIGINAL, token)
    return {
        "webp": photo.srcset("webp", url_for), "jpeg": photo.srcset("jpeg", url_for),
        "fallback": url_for(fallback) if fallback else "", "download": original,
    }


_PAGE_ROUTES = {"speakers": "articles:speaker-detail", "tags": "articles:tag-detail", "credits": "articles:credit-detail"}


@register.simple_tag(takes_context=True)
def page_link(context, kind: str, obj, slug: str = "") -> str:
    """The address of a speaker's, tag's or credit's public page (`kind`: "speakers", "tags",
    "credits"), or "" when the template must name it without a link.

    On the public page every such page exists (the release is public, so it lists it). On an
    embargo page only those in `embargo_pages` (embargo.public_pages) do: the others are 404s
    and their address would name what is still under embargo.
    """
    pages = context.get("embargo_pages")
    if pages is not None and obj.pk not in pages.get(kind, ()):
        return ""
    # `slug`: the address slug in the page's language when it has its own (a tag's translated name).
    return reverse(_PAGE_ROUTES[kind], args=[slug or obj.slug])


@register.simple_tag
def quote_in_body(article, quote) -> bool:
    """Whether the body already holds this quote's words (printing/quotes.py): paper prints them once."""
    from ..printing.quotes import quotes_in_body

    return quote.pk in quotes_in_body(article)


@register.simple_tag(takes_context=True)
def vcard_url(context, article, contact=None) -> str:
    """The vCard of one press contact of `article` (or, with no contact, of all of them), by the
    way this page was reached: the public address, the embargo link, or the staff preview —
    so that the link works on each (views/contacts.py, views/previews.py)."""
    token = context.get("embargo_token")
    banner = context.get("banner") or {}
    if context.get("embargo_link") is not None and token:
        args, names = [article.slug, token], ("articles:embargo-vcards", "articles:embargo-contact-vcard")
    elif banner.get("kind") == "preview":
        args, names = [article.pk], ("articles:preview-vcards", "articles:preview-contact-vcard")
    else:
        args, names = [article.slug], ("articles:release-vcards", "articles:contact-vcard")
    if contact is None:
        return reverse(names[0], args=args)
    return reverse(names[1], args=[*args, contact.pk])


@register.simple_tag
def rgaa_status_label() -> str:
    """"non conforme" until an audit says more (settings.RGAA_STATUS): the footer's RGAA mention.

    A tag, not a context variable, because the 500 and 503 pages are rendered with no context.
    """
    from django.conf import settings

    from pressroom.context_processors import RGAA_STATUS_LABELS

    return str(RGAA_STATUS_LABELS[settings.RGAA_STATUS])
