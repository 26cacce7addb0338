"""Downloads: the press kit and single photos, under the same visibility rule as every page."""

from pathlib import PurePath

from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.text import slugify

from .models import Article, Photo
from .press_kit import press_kit_stream


def press_kit_response(request, article) -> StreamingHttpResponse:
    url = request.build_absolute_uri(article.get_absolute_url())
    response = StreamingHttpResponse(press_kit_stream(article, url), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="dossier-de-presse-{article.slug}.zip"'
    return response


def press_kit(request, slug):
    """"Télécharger le dossier de presse" for a public release."""
    article = get_object_or_404(Article.objects.public().with_page(), slug=slug)
    return press_kit_response(request, article)


def photo_download(request, pk):
    """One photo in full resolution (cleaned, credit in its metadata), if a public release shows it."""
    photo = (
        Photo.objects.filter(pk=pk, articles__in=Article.objects.public()).select_related("credit").distinct().first()
    )
    if photo is None:
        raise Http404("Photo introuvable.")
    ext = PurePath(photo.image.name).suffix.lower()
    name = f"{slugify(photo.caption or photo.alt_text)[:60] or 'photo'}-{slugify(photo.credit.name)}{ext}"
    return FileResponse(photo.image.open("rb"), as_attachment=True, filename=name)
