"""Downloads: the press kit and single photos, under the same visibility rule as every page.

Neither view decodes an image: the files served are the cleaned masters made when
the photo was saved (upright, camera metadata removed, credit written in), read
from storage in chunks (the local disk or the bucket: storage/streaming.py).
"""

import io

from django.core.cache import cache
from django.core.files.storage import default_storage
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404

from ..models import Article, Photo
from ..photos.file_names import photo_download_name
from ..photos.press_kit import PressKit
from ..printing.release_pdf import ReleasePdf, render
from ..storage.failures import STORAGE_UNAVAILABLE
from ..storage.streaming import file_response, stored_file_response
from ..tasks import refresh_press_kit


def press_kit_response(request, article, *, prebuilt: bool = False):
    """The press kit of `article`, whoever decided it may be seen.

    Split from `press_kit` so that a view which lets one journalist read a release
    before its embargo (a signed link) can offer the same download: it calls this
    with the article it has checked, instead of writing a second visibility rule here.
    With `prebuilt` (public releases only), the kit built ahead by the job is sent when it
    holds exactly what the kit would hold now; otherwise the kit is streamed as it is read,
    and its build is queued for the next reader.
    """
    kit = PressKit(article)
    filename = f"dossier-de-presse-{article.slug}.zip"
    stored = kit.prebuilt() if prebuilt else None
    if stored is not None:
        # Streamed from wherever it is stored (the local disk or the bucket), never by a local path.
        return stored_file_response(default_storage, stored, as_attachment=True, filename=filename)
    if prebuilt:
        _queue_build(kit)
    response = StreamingHttpResponse(kit.stream(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _queue_build(kit) -> None:
    """Queue the kit's build once per version (not once per reader), if the cache can tell."""
    try:
        first = cache.add(f"press-kit-queued:{kit.done_marker}", 1, timeout=300)
    except Exception:  # the cache down: the kit is still streamed; the next reader queues it
        return
    if first:
        refresh_press_kit.enqueue(kit.article.pk)


def press_kit(request, slug):
    """ "Télécharger le dossier de presse" for a public release; a draft or embargoed one is a 404."""
    article = get_object_or_404(Article.objects.public().with_page(), slug=slug)
    return press_kit_response(request, article, prebuilt=True)


def photo_download(request, pk):
    """One photo in full resolution (cleaned, credit in its metadata), if a public release shows it.

    A photo only in drafts, embargoed releases or the library is a 404, like a
    guessed id: the answer does not tell whether the photo exists.
    """
    photo = get_object_or_404(Photo.objects.public().select_related("credit"), pk=pk)
    return file_response(photo.image, as_attachment=True, filename=photo_download_name(photo))


def release_pdf(request, slug):
    """ "Télécharger en PDF" for a public release: the PDF its job stored for this very version, or,
    when the job has not run yet, drawn now and stored for the next reader (a fraction of a second,
    from the photo's stored rendition: no image is decoded). A draft, embargoed or withdrawn release
    is a 404, like every other public address.
    """
    article = get_object_or_404(Article.objects.public().with_page(), slug=slug)
    pdf = ReleasePdf(article)
    try:
        name = pdf.prebuilt() or pdf.build()
        return stored_file_response(default_storage, name, as_attachment=True, filename=pdf.filename)
    except STORAGE_UNAVAILABLE:  # storage unreachable (the disk, or the bucket: botocore's own errors): the reader still gets the PDF, drawn for them alone
        # Streamed like the stored file, so that the page cache never keeps a copy of it either.
        return FileResponse(io.BytesIO(render(pdf.content)), as_attachment=True, filename=pdf.filename,
                            content_type="application/pdf")
