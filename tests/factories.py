"""Small builders for test data: real images made with Pillow, articles relative to now."""

import io
import itertools
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles.discovery.search import refresh_search_document
from articles.models import Article, ArticlePhoto, Credit, Photo, PressContact, Quote, Speaker

_counter = itertools.count(1)
ROOT = Path(__file__).resolve().parent.parent  # the project, for commands run in a process of their own


def image_bytes(fmt: str = "JPEG", size=(64, 48), color=(200, 80, 40), **save_kwargs) -> bytes:
    buf = io.BytesIO()
    mode = "RGBA" if fmt == "PNG" else "RGB"
    Image.new(mode, size, color).save(buf, fmt, **save_kwargs)
    return buf.getvalue()


def image_upload(name: str = "photo.jpg", fmt: str = "JPEG", size=(64, 48), **kwargs) -> SimpleUploadedFile:
    content_type = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}.get(fmt, "application/octet-stream")
    return SimpleUploadedFile(name, image_bytes(fmt, size, **kwargs), content_type=content_type)


def make_credit(name: str | None = None, **kwargs) -> Credit:
    return Credit.objects.create(name=name or f"Photographe {next(_counter)}", **kwargs)


def make_photo(*, credit: Credit | None = None, caption: str | None = None, alt_text: str = "Une photo", **kwargs) -> Photo:
    n = next(_counter)
    return Photo.objects.create(
        image=kwargs.pop("image", None) or image_upload(f"photo-{n}.jpg"),
        caption=caption if caption is not None else f"Légende {n}",
        alt_text=alt_text,
        credit=credit or make_credit(),
        **kwargs,
    )


def make_speaker(name: str | None = None, role: str = "", **kwargs) -> Speaker:
    return Speaker.objects.create(name=name or f"Intervenant {next(_counter)}", role=role, **kwargs)


def make_article(
    title: str | None = None,
    *,
    status: str = Article.Status.PUBLISHED,
    publish_at=None,
    photos: int = 0,
    quotes: int = 0,
    tags=(),
    contacts: int = 0,
    **kwargs,
) -> Article:
    """A release; published an hour ago unless told otherwise."""
    n = next(_counter)
    if publish_at is None and status == Article.Status.PUBLISHED:
        publish_at = timezone.now() - timedelta(hours=1)
    article = Article.objects.create(
        title=title or f"Communiqué {n}",
        standfirst=kwargs.pop("standfirst", f"Chapô du communiqué {n}."),
        body=kwargs.pop("body", f"<p>Texte du communiqué {n}.</p>"),
        status=status,
        publish_at=publish_at,
        **kwargs,
    )
    for i in range(photos):
        ArticlePhoto.objects.create(article=article, photo=make_photo(), position=i)
    for i in range(quotes):
        Quote.objects.create(article=article, speaker=make_speaker(), text=f"Citation {i}", position=i)
    for i in range(contacts):
        article.press_contacts.add(PressContact.objects.create(name=f"Contact {i}", email=f"c{i}@example.org"))
    if tags:
        article.tags.add(*tags)
    # As the admin and the importer do once the related objects are saved: searchable at once.
    refresh_search_document(article)
    return article


def camera_jpeg(size=(600, 400)) -> bytes:
    """A JPEG as a camera writes it: GPS position, body serial number, owner, XMP and a comment."""
    exif = Image.Exif()
    exif[0x013B] = "Appareil de Jean Secret"  # Artist, as the camera owner set it
    exif[0xA431] = "SERIAL-123456"  # BodySerialNumber
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2], gps[3], gps[4] = "N", (43.0, 36.0, 0.0), "E", (3.0, 52.0, 0.0)
    buf = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(
        buf, "JPEG", exif=exif, comment=b"secret comment", xmp=b"<x:xmpmeta>GPSLatitude secret-xmp</x:xmpmeta>"
    )
    return buf.getvalue()


CAMERA_SECRETS = (b"SERIAL-123456", b"Jean Secret", b"secret comment", b"secret-xmp")


def place(article: Article, *photos: Photo) -> Article:
    """Show library photos in an article, in the order given."""
    for position, photo in enumerate(photos, start=article.article_photos.count()):
        ArticlePhoto.objects.create(article=article, photo=photo, position=position)
    return article


def make_editor(role: str, username: str | None = None, **kwargs):
    """A staff user in one of the two editorial groups: "Rédaction" or "Publication" (migration 0004)."""
    from django.contrib.auth.models import Group, User

    user = User.objects.create_user(username or f"{role.lower()}-{next(_counter)}", is_staff=True, **kwargs)
    user.groups.add(Group.objects.get(name=role))
    return user


# Hostile files, built for real: each once gave a 500 or a traceback (issue #10, section 3).


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    import struct
    import zlib

    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def pixel_bomb_png(width: int = 20_000, height: int = 20_000) -> bytes:
    """A 100-byte PNG whose header declares width × height pixels (default 400 megapixels,
    past Pillow's own bomb limit of 2 × 89 million), with one row of real image data."""
    import struct
    import zlib

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", zlib.compress(b"\x00" * (width + 1)))
        + _png_chunk(b"IEND", b"")
    )


def ztxt_bomb_png(inflated_mb: int = 100) -> bytes:
    """A real 32×32 PNG made by Pillow, with a zTXt chunk that inflates to `inflated_mb` MB
    (about 100 kB on disk), placed before the image data where every reader meets it."""
    import zlib

    buf = io.BytesIO()
    Image.new("RGB", (32, 32), (10, 20, 30)).save(buf, "PNG")
    png = buf.getvalue()
    ztxt = b"Comment\x00\x00" + zlib.compress(b"A" * (inflated_mb * 1024 * 1024), 9)
    at = png.index(b"IDAT") - 4  # the IDAT chunk's length field
    return png[:at] + _png_chunk(b"zTXt", ztxt) + png[at:]

def admin_form_data(response, **changes) -> dict:
    """What an editor's browser posts back from an admin change page: every field as shown
    (hidden ones included, file inputs left empty), with `changes` typed over it."""
    from django import forms

    form = response.context["adminform"].form
    data = {}
    for name, field in form.fields.items():
        if isinstance(field, forms.FileField):
            continue
        value = form[name].value()
        data[name] = "" if value is None else value
    # The inlines as shown (a tag's names in other languages, a contact's roles): their management
    # form and rows. An unticked checkbox (DELETE) is not posted at all.
    for inline in response.context.get("inline_admin_formsets") or []:
        formset = inline.formset
        for inline_form in [formset.management_form, *formset.forms]:
            for name, field in inline_form.fields.items():
                value = inline_form[name].value()
                if isinstance(field, forms.FileField) or value is False:
                    continue
                data[inline_form.add_prefix(name)] = "" if value is None else value
    data.update(changes)
    return data


def edit_token_of(client, url) -> dict:
    """The hidden field of a photo's, credit's, speaker's, tag's or contact's change page, as the
    browser posts it back: which stored state the editor opened (articles/edit_lock.py)."""
    return {"edit_token": client.get(url).context["adminform"].form["edit_token"].value()}

def give_totp_device(user):
    """A confirmed TOTP app for `user`, as `manage.py setup_two_factor` creates it."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    return TOTPDevice.objects.create(user=user, name="Application d'authentification", confirmed=True)


def login_verified(client, user, device=None):
    """Log `user` in on `client` having passed the second factor, as the admin login leaves a session.

    force_login() opens a session with the password factor only; django_otp.login() then
    records the device that verified the user in the session (DEVICE_ID_SESSION_KEY), which
    OTPMiddleware checks against the user on every request. Publishers and superusers need
    both (articles/two_factor.py): force_login() alone leaves them anonymous.
    """
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device = device or TOTPDevice.objects.filter(user=user, confirmed=True).first() or give_totp_device(user)
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def current_totp(device) -> str:
    """The code the person's authenticator app shows right now for `device` (RFC 6238, computed here)."""
    from django_otp.oath import totp

    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=device.drift)
    return f"{code:0{device.digits}d}"


def run_manage(*args, **env):
    clean = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "SECRET_KEY", "DEBUG", "SECURE_SSL_REDIRECT"}}
    clean.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=clean, capture_output=True, text=True, timeout=120
    )


def stored_media_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def exif_text(exif, tag) -> str:
    """An EXIF ASCII tag (Artist, Copyright, ImageDescription) as written: 7-bit ASCII only (issue #16)."""
    value = exif.get(tag)
    text = value.decode("ascii") if isinstance(value, bytes) else value
    assert text.isascii(), f"non-ASCII in EXIF tag {tag:#06x}: {text!r}"
    return text


def xp_text(exif, tag) -> str:
    """A Windows "XP" EXIF tag (XPTitle, XPComment, XPAuthor): UTF-16 text ending with a NUL."""
    return bytes(exif[tag]).decode("utf-16-le").rstrip("\x00")
