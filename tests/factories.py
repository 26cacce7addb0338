"""Small builders for test data: real images made with Pillow, articles relative to now."""

import io
import itertools
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from articles.models import Article, ArticlePhoto, Credit, Photo, PressContact, Quote, Speaker

_counter = itertools.count(1)


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
    return article
