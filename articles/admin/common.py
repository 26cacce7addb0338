"""Helpers shared by the admin pages: thumbnails and zone-aware dates."""

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext as _

from .. import workflow
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
        '<img src="{}" alt="{}" width="{}" height="{}" loading="lazy" class="admin-thumbnail">',
        url, photo.alt_text, width, height,
    )


def local_datetime(value):
    """ "3 mars 2026 10:00 (Europe/Paris)": stored in UTC, shown in the site's zone, named."""
    if value is None:
        return None
    local = timezone.localtime(value)
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({timezone.get_current_timezone_name()})"



class LockedByReleasesMixin:
    """Rédaction may not change or delete what a published, scheduled or withdrawn release shows.

    A photo's caption or file, a credit, a speaker, a tag or a contact is part of the
    approved release: changing it would change that release behind Publication's
    back (and a photo's rights date would dodge the publish check). The writer sees
    the object read-only (Django does so when change is refused and view allowed),
    with the releases that lock it named; one used only by drafts stays editable.
    """

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not workflow.locked_for(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not workflow.locked_for(request.user, obj)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "GET":
            obj = self.get_object(request, unquote(object_id))
            if obj is not None and workflow.locked_for(request.user, obj):
                self.message_user(request, locked_message(obj), messages.WARNING)
        return super().change_view(request, object_id, form_url, extra_context)

    def save_model(self, request, obj, form, change):
        # Checked again here: a release may have been published since the page was opened.
        if change and workflow.locked_for(request.user, obj):
            raise PermissionDenied(locked_message(obj))
        super().save_model(request, obj, form, change)


def locked_message(obj) -> str:
    """ "« X » apparaît dans un communiqué publié, programmé ou retiré (« A ») : …" """
    titles = ", ".join(f"« {title} »" for title in workflow.locking_releases(obj).values_list("title", flat=True)[:5])
    return _(
        "« %(object)s » apparaît dans un communiqué publié, programmé ou retiré (%(titles)s) : seule l'équipe "
        "Publication peut le modifier. Demandez-lui de renvoyer ce communiqué en relecture."
    ) % {"object": obj, "titles": titles}
