"""Validation of uploaded photos: by content, within limits, before anything is stored.

Used by the Photo model field, so the admin and the importer apply the same
rules. Messages are in French because communications staff read them.
"""

import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

# Formats as Pillow detects them from the bytes, never from the file name.
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


MEGABYTE = 1024 * 1024


def size_pair(size: int, limit: int) -> tuple[str, str]:
    """A size and a limit in Mo, with just enough decimals to tell them apart.

    "pèse 25 Mo ; la limite est de 25 Mo" told an editor nothing: 25.4 Mo against
    25 Mo shows 25,4 against 25. Past three decimals the difference is a few bytes,
    so both are then given in bytes.
    """
    for places in range(4):
        shown = megabytes(size, places), megabytes(limit, places)
        if shown[0] != shown[1] and min(size, limit) >= MEGABYTE / 2 / 10**places:  # neither shown as "0 Mo"
            return shown
    return tuple(_("%(count)s octets") % {"count": number_format(n, 0, use_l10n=True, force_grouping=True)} for n in (size, limit))


def megabytes(n: int, places: int = 0) -> str:
    """ "25 Mo", "25,4 Mo": in the language's own decimal mark."""
    return f"{number_format(round(n / MEGABYTE, places), places, use_l10n=True, force_grouping=True)} Mo"


def inspect_image(fileobj) -> dict:
    """Check an uploaded image and return its format, width and height.

    Raises ValidationError for anything that is not a whole JPEG, PNG or WebP
    within the size and pixel limits. The pixel count is read from the header
    and checked before any decoding, so a decompression bomb is refused cheaply.
    """
    size = getattr(fileobj, "size", None)
    if size is None:
        fileobj.seek(0, 2)
        size = fileobj.tell()
    if size > settings.PHOTO_MAX_BYTES:
        shown, limit = size_pair(size, settings.PHOTO_MAX_BYTES)
        raise ValidationError(
            _("Ce fichier pèse %(size)s ; la limite est de %(limit)s.") % {"size": shown, "limit": limit},
            code="too_big",
        )
    fileobj.seek(0)
    with warnings.catch_warnings():
        # Our own pixel limit applies below; Pillow's bomb guard must not pre-empt its message.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(fileobj) as im:
                fmt = im.format
                if fmt not in ALLOWED_FORMATS:
                    raise ValidationError(
                        _("Format non accepté (%(format)s) : envoyez une photo JPEG, PNG ou WebP.")
                        % {"format": fmt or _("inconnu")},
                        code="format",
                    )
                width, height = im.size
                frames = getattr(im, "n_frames", 1) or 1
                if width * height * frames > settings.PHOTO_MAX_PIXELS:
                    raise ValidationError(
                        _(
                            "Image trop grande : %(w)s × %(h)s pixels (%(mp).0f mégapixels) ; "
                            "la limite est de %(limit).0f mégapixels."
                        )
                        % {
                            "w": width,
                            "h": height,
                            "mp": width * height * frames / 1e6,
                            "limit": settings.PHOTO_MAX_PIXELS / 1e6,
                        },
                        code="too_many_pixels",
                    )
                # Decoding is the only sure way to find a truncated or corrupt file. For a
                # JPEG, draft mode reads the whole stream at 1/8 scale: same check, 1/64 the memory.
                if fmt == "JPEG":
                    im.draft("RGB", (max(1, width // 8), max(1, height // 8)))
                im.load()
        except ValidationError:
            raise
        # Pillow's own exceptions are replaced ("from None"): an editor needs our sentence, not a traceback.
        except Image.DecompressionBombError:
            raise ValidationError(
                _("Image trop grande : la limite est de %(limit).0f mégapixels.")
                % {"limit": settings.PHOTO_MAX_PIXELS / 1e6},
                code="too_many_pixels",
            ) from None
        except UnidentifiedImageError:
            raise ValidationError(
                _("Ce fichier n'est pas une image reconnue : envoyez une photo JPEG, PNG ou WebP."),
                code="not_image",
            ) from None
        except ValueError as exc:
            if "Decompressed data too large" not in str(exc):
                raise ValidationError(
                    _("Cette image est tronquée ou endommagée : enregistrez-la de nouveau puis réessayez."),
                    code="corrupt",
                ) from None
            # A PNG text chunk (zTXt, iTXt) that inflates past Pillow's 1 MB guard: a hostile file,
            # or one carrying huge metadata. Pillow refuses to inflate it; say so plainly.
            raise ValidationError(
                _(
                    "Cette image contient des métadonnées texte trop volumineuses : "
                    "enregistrez-la de nouveau sans métadonnées puis réessayez."
                ),
                code="metadata_too_big",
            ) from None
        except (OSError, SyntaxError):
            raise ValidationError(
                _("Cette image est tronquée ou endommagée : enregistrez-la de nouveau puis réessayez."),
                code="corrupt",
            ) from None
        finally:
            fileobj.seek(0)
    return {"format": fmt, "extension": ALLOWED_FORMATS[fmt], "width": width, "height": height}


def inspect_once(upload) -> dict:
    """inspect_image(), remembered on the upload: the field reads the dimensions and the
    validator checks the file, and neither should decode a 24-megapixel photo twice."""
    verdict = getattr(upload, "_photo_inspection", None)
    if verdict is None:
        try:
            verdict = inspect_image(upload)
        except ValidationError as error:
            verdict = error
        upload._photo_inspection = verdict
    if isinstance(verdict, ValidationError):
        raise verdict
    return verdict


def validate_photo(fieldfile) -> None:
    """Model-field validator: the same checks for the admin, the importer and scripts."""
    if getattr(fieldfile, "_committed", False):
        return  # already stored, so already checked (and cleaned) when it was uploaded
    inspect_once(getattr(fieldfile, "file", fieldfile))


class PhotoImageField(models.ImageField):
    """An ImageField whose dimensions come from our own inspection of the upload.

    Django's ImageField reads a new file's width and height as soon as it is assigned
    (model __init__, or a ModelForm's construct_instance), through Pillow's parser and
    long before validators run: a header declaring 400 megapixels raised Pillow's
    DecompressionBombError, and a PNG whose zTXt chunk inflates to 100 MB a ValueError,
    each a 500 in the admin and a traceback in the importer. Here that first read *is*
    the validation: a file it refuses gets no dimensions, and `validate_photo` (run by
    full_clean, before anything is stored) gives its French message.
    """

    def update_dimension_fields(self, instance, force=False, *args, **kwargs):
        if self.attname in instance.__dict__:
            fieldfile = getattr(instance, self.attname)
            if fieldfile and not fieldfile._committed:
                try:
                    facts = inspect_once(fieldfile.file)
                except ValidationError:
                    facts = {"width": None, "height": None}
                setattr(instance, self.width_field, facts["width"])
                setattr(instance, self.height_field, facts["height"])
                return
        super().update_dimension_fields(instance, force, *args, **kwargs)

    def deconstruct(self):
        # The column is a plain ImageField's; only the Python side differs. Keeping
        # Django's path means no migration, and migrations never import this module's code.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.ImageField", args, kwargs
