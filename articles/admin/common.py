"""Helpers shared by the admin pages: thumbnails and zone-aware dates."""

from django.db.models import Prefetch
from django.utils import formats, timezone
from django.utils.html import format_html

from ..models import Rendition

THUMB_SPEC = "thumb-jpeg"
THUMB_SIZE = 64


def thumb_renditions(photo_path: str = "") -> Prefetch:
    """Prefetch only the small square rendition: a list never loads a master or the other renditions."""
    return Prefetch(f"{photo_path}renditions", queryset=Rendition.objects.filter(spec=THUMB_SPEC))


def thumbnail(photo, size: int = THUMB_SIZE):
    """An <img> of `photo` for admin lists; uses the prefetched thumbnail rendition when present."""
    if photo is None:
        return None
    rendition = photo.rendition(THUMB_SPEC)
    if rendition is not None:
        url, width, height = rendition.file.url, size, size
    elif photo.image and photo.width and photo.height:
        # A photo saved before renditions existed: the master, scaled down by the browser.
        url, width, height = photo.image.url, size, max(1, round(photo.height * size / photo.width))
    else:
        return None
    return format_html(
        '<img src="{}" alt="{}" width="{}" height="{}" loading="lazy" style="object-fit: cover">',
        url, photo.alt_text, width, height,
    )


def local_datetime(value):
    """ "3 mars 2026 10:00 (Europe/Paris)": stored in UTC, shown in the site's zone, named."""
    if value is None:
        return None
    local = timezone.localtime(value)
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({timezone.get_current_timezone_name()})"

