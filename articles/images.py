"""Validation of uploaded photos: by content, within limits, before anything is stored.

Used by the Photo model field, so the admin and the importer apply the same
rules. Messages are in French because communications staff read them.
"""

import warnings

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

# Formats as Pillow detects them from the bytes, never from the file name.
ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def _human_size(n: int) -> str:
    return f"{n / (1024 * 1024):.0f} Mo"


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
        raise ValidationError(
            _("Ce fichier pèse %(size)s ; la limite est de %(limit)s.")
            % {"size": _human_size(size), "limit": _human_size(settings.PHOTO_MAX_BYTES)},
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
        except (OSError, SyntaxError, ValueError):
            raise ValidationError(
                _("Cette image est tronquée ou endommagée : enregistrez-la de nouveau puis réessayez."),
                code="corrupt",
            ) from None
        finally:
            fileobj.seek(0)
    return {"format": fmt, "extension": ALLOWED_FORMATS[fmt], "width": width, "height": height}


def validate_photo(fieldfile) -> None:
    """Model-field validator: the same checks for the admin, the importer and scripts."""
    if getattr(fieldfile, "_committed", False):
        return  # already stored, so already checked (and cleaned) when it was uploaded
    upload = getattr(fieldfile, "file", fieldfile)
    inspect_image(upload)
