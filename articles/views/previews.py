"""Pages that show a release before the public may see it: the staff preview and the embargo link.

Both render the public template itself (`article_detail.html`), so a preview is
exactly the public page, plus a banner. Both answer `Cache-Control: no-store,
private` and `X-Robots-Tag: noindex`: no browser, proxy, CDN or search engine may
keep a release before its time. Neither goes through `Article.objects.public()`:
the staff permission or the signed link is what lets the reader in.

An embargo page carries no OpenGraph, Twitter card or JSON-LD, and its photos are
served through the link (`embargo_photo`), never by a /media/ address: a link
preview or a forwarded copy must learn nothing that still works once the link is
revoked. A HEAD request is not logged as a visit (embargo.log_visit).
"""

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ..caching.policy import mark_private
from ..models import Article, ArticlePhoto, Rendition
from ..photos.file_names import photo_download_name
from ..publishing import embargo
from ..publishing.workflow import local_label, state_label
from ..storage.streaming import file_response
from .contacts import contact_vcard_response, release_vcards_response
from .downloads import press_kit_response

TEMPLATE = "articles/article_detail.html"


def _speak(request, article) -> None:
    """A preview or an embargo link is shown in its release's language, banner included (issue #14):
    the whole page, not a French banner on an English release (nor the browser's language)."""
    translation.activate(article.language)
    request.LANGUAGE_CODE = article.language


def _render(request, article, banner, **extra):
    response = TemplateResponse(request, TEMPLATE, {"article": article, "object": article, "banner": banner, **extra})
    return mark_private(response)


@staff_member_required
def article_preview(request, pk):
    """Any release (draft, in review, scheduled, withdrawn), as the public page would show it."""
    if not request.user.has_perm("articles.view_article"):
        raise PermissionDenied
    article = get_object_or_404(Article.objects.with_page(), pk=pk)
    _speak(request, article)
    banner = {
        "kind": "preview",
        "title": _("Aperçu — non publié"),
        "text": _("État : %(state)s. Cette page n'est visible que de l'équipe.") % {"state": state_label(article)},
    }
    if article.is_public():
        banner["title"] = _("Aperçu")
    return _render(request, article, banner)


def _embargo_article(slug, token):
    link = embargo.resolve(slug=slug, token=token)
    if link is None:
        # Tampered, expired, revoked or for another release: the same 404 for each.
        raise Http404(_("Lien introuvable ou expiré."))
    return link, Article.objects.with_page().get(pk=link.article_id)


def embargo_detail(request, slug, token):
    """The release for one named journalist, before its embargo; every visit is logged."""
    link, article = _embargo_article(slug, token)
    embargo.log_visit(link=link, request=request)
    _speak(request, article)
    group_time = article.original.publish_at  # a translation goes live at its group's time
    banner = {"kind": "embargo", "press_kit_url": reverse("articles:embargo-press-kit", args=[slug, token])}
    if article.is_public():
        banner["title"] = _("Publié le %(when)s") % {"when": local_label(group_time)}
    else:
        banner["title"] = _("EMBARGO jusqu'au %(when)s") % {"when": local_label(group_time)}
        banner["text"] = _(
            "Lien personnel de %(name)s. Ne rien publier ni diffuser avant cette heure."
        ) % {"name": link.recipient_name}
    # The template sends every photo address through the link (templatetags photo_urls).
    # Speakers, tags and credits with no public page yet are named without a link (embargo.public_pages).
    return _render(request, article, banner, embargo_link=link, embargo_token=token,
                   embargo_pages=embargo.public_pages(article),
                   embargo_body=embargo.rewrite_body_links(article.body, article=article, token=token))


def embargo_press_kit(request, slug, token):
    """The press kit, through the same signed link; logged as a visit too."""
    link, article = _embargo_article(slug, token)
    embargo.log_visit(link=link, request=request)
    return mark_private(press_kit_response(request, article))


def embargo_pdf(request, slug, token):
    """The release's PDF through the same signed link, logged as a visit: drawn for this reader and
    never stored (storage keeps only what the public may download: printing/release_pdf.py)."""
    from django.http import HttpResponse

    from ..printing.release_pdf import ReleasePdf, render

    link, article = _embargo_article(slug, token)
    embargo.log_visit(link=link, request=request)
    pdf = ReleasePdf(article)
    response = HttpResponse(render(pdf.content), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf.filename}"'
    return mark_private(response)


def embargo_photo(request, slug, token, photo_id, spec):
    """A photo of the link's release, through the link: a rendition by spec, or the master (`original`,
    as a download named after its caption and credit). Not a visit: the page that shows it was one.

    The same 404 for a closed link, a photo of another release and an unknown spec.
    """
    link, article = _embargo_article(slug, token)
    if not ArticlePhoto.objects.filter(article=article, photo_id=photo_id).exists():
        raise Http404(_("Photo introuvable."))
    if spec == embargo.ORIGINAL:
        placement = ArticlePhoto.objects.select_related("photo__credit").get(article=article, photo_id=photo_id)
        photo = placement.photo
        response = file_response(photo.image, as_attachment=True, filename=photo_download_name(photo))
    else:
        rendition = Rendition.objects.filter(photo_id=photo_id, spec=spec).first()
        if rendition is None:
            raise Http404(_("Photo introuvable."))
        response = file_response(rendition.file)
    return mark_private(response)


# Press contacts as vCards (views/contacts.py), through the same checks as the page: the staff
# permission for a preview, the signed link for an embargo page. Not a visit of the link:
# the page that offers them was one.


def _previewed_article(request, pk):
    if not request.user.has_perm("articles.view_article"):
        raise PermissionDenied
    return get_object_or_404(Article, pk=pk)


@staff_member_required
def preview_contact_vcard(request, pk, contact_id):
    return mark_private(contact_vcard_response(_previewed_article(request, pk), contact_id))


@staff_member_required
def preview_vcards(request, pk):
    return mark_private(release_vcards_response(_previewed_article(request, pk)))


def embargo_contact_vcard(request, slug, token, contact_id):
    _link, article = _embargo_article(slug, token)
    return mark_private(contact_vcard_response(article, contact_id))


def embargo_vcards(request, slug, token):
    _link, article = _embargo_article(slug, token)
    return mark_private(release_vcards_response(article))
