"""Photos added to the library from wherever an editor works: the release form's drop zone
(and any other writer). The credit is found by its name, whatever its case, or created;
the photo is checked as the photo form checks it, before anything is stored."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from ..models import Credit, Photo


def credit_named(name: str) -> tuple[Credit, bool]:
    """The credit spelled `name` (any case), created when there is none: (credit, created).
    Two editors creating the same new credit at once end with one credit."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError(_("Indiquez le crédit de la photo (photographe ou agence)."))
    existing = Credit.objects.filter(name__iexact=name).first()
    if existing is not None:
        return existing, False
    try:
        with transaction.atomic():
            return Credit.objects.create(name=name[:200]), True
    except IntegrityError:
        return Credit.objects.get(name__iexact=name), False


def checked_photo(*, image, caption: str, alt_text: str, focal_x: float | None = None, focal_y: float | None = None) -> Photo:
    """An unsaved Photo, validated as the photo form validates one (file content, size, texts);
    raises ValidationError with French messages. The credit is set by `add_photo`."""
    photo = Photo(image=image, caption=caption.strip(), alt_text=alt_text.strip())
    if focal_x is not None and focal_y is not None:
        photo.focal_x, photo.focal_y = focal_x, focal_y
    photo.full_clean(exclude=["credit"])
    return photo


def add_photo(*, image, caption: str, alt_text: str, credit_name: str, focal_x: float | None = None,
              focal_y: float | None = None) -> tuple[Photo, bool]:
    """Check and store a new library photo under the credit named `credit_name`:
    (photo, whether the credit was created). One transaction."""
    photo = checked_photo(image=image, caption=caption, alt_text=alt_text, focal_x=focal_x, focal_y=focal_y)
    with transaction.atomic():
        photo.credit, created = credit_named(credit_name)
        photo.save()
    return photo, created
