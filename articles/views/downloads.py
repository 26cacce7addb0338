"""Downloads: the press kit and single photos, under the same visibility rule as every page.

Neither view decodes an image: the files served are the cleaned masters made when
the photo was saved (upright, camera metadata removed, credit written in), read
from storage in chunks (the local disk or the bucket: storage/streaming.py).
"""

from pathlib import PurePath

from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify

from ..models import Article, Photo
from ..photos.press_kit import press_kit_stream
from ..storage.streaming import file_response


def press_kit_response(request, article) -> StreamingHttpResponse:
    """The press kit of `article`, whoever decided it may be seen.

    Split from `press_kit` so that a view which lets one journalist read a release
    before its embargo (a signed link) can offer the same download: it calls this
    with the article it has checked, instead of writing a second visibility rule here.
    """
    url = request.build_absolute_uri(article.get_absolute_url())
    response = StreamingHttpResponse(press_kit_stream(article, url), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="dossier-de-presse-{article.slug}.zip"'
    return response


def press_kit(request, slug):
    """ "Télécharger le dossier de presse" for a public release; a draft or embargoed one is a 404."""
    article = get_object_or_404(Article.objects.public().with_page(), slug=slug)
    return press_kit_response(request, article)


def photo_filename(photo) -> str:
    """ "signature-de-l-accord-nicolas-datiche.jpg": what the photo shows and who took it."""
    ext = PurePath(photo.image.name).suffix.lower()
    stem = slugify(photo.caption or photo.alt_text)[:60].strip("-") or "photo"
    return f"{stem}-{slugify(photo.credit.name)[:60].strip('-')}{ext}"


def photo_download(request, pk):
    """One photo in full resolution (cleaned, credit in its metadata), if a public release shows it.

    A photo only in drafts, embargoed releases or the library is a 404, like a
    guessed id: the answer does not tell whether the photo exists.
    """
    photo = get_object_or_404(Photo.objects.public().select_related("credit"), pk=pk)
    return file_response(photo.image, as_attachment=True, filename=photo_filename(photo))
