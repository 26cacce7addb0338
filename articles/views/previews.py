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

from django.conf import settings
from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from ..caching.policy import mark_private
from ..models import Article, ArticlePhoto, Credit, Rendition, Speaker
from ..photos.file_names import photo_download_name
from ..publishing import embargo, preview
from ..publishing.workflow import local_label, state_label
from ..storage.streaming import file_response
from ..tagging import shown_tag, tag_in_language
from .contacts import contact_vcard_response, release_vcards_response
from .credits import CreditDetailView
from .downloads import press_kit_response
from .public import SpeakerDetailView

TEMPLATE = "articles/article_detail.html"


def _speak(request, article) -> None:
    """A preview or an embargo link is shown in its release's language, banner included (issue #14):
    the whole page, not a French banner on an English release (nor the browser's language)."""
    translation.activate(article.language)
    request.LANGUAGE_CODE = article.language


def _render(request, article, banner, **extra):
    response = TemplateResponse(request, TEMPLATE, {"article": article, "object": article, "banner": banner, **extra})
    return mark_private(response)


def _previewed_article(request, pk, queryset=None):
    """The release at `pk` if this staff member may preview it (publishing/preview.py), else a 403;
    an unknown id is a 404. Every preview address asks this, and `staff_member_required` before it."""
    if not preview.may_preview(request.user):
        raise PermissionDenied
    return get_object_or_404(Article.objects.all() if queryset is None else queryset, pk=pk)


def _preview_banner(article, title=None):
    banner = {
        "kind": "preview",
        "title": title or (_("Aperçu") if article.is_public() else _("Aperçu — non publié")),
        "text": _("État : %(state)s. Cette page n'est visible que de l'équipe.") % {"state": state_label(article)},
    }
    return banner


@staff_member_required
def article_preview(request, pk):
    """Any release (draft, in review, scheduled, withdrawn), as the public page would show it.

    Every link on it works for the staff member reading it: the press kit, the HD downloads,
    the tag, speaker and credit pages and the body's links to the release itself go to their
    preview versions (templatetags/articles_extras.py, publishing/preview.py).
    """
    article = _previewed_article(request, pk, Article.objects.with_page())
    _speak(request, article)
    return _render(request, article, _preview_banner(article), preview_items=preview.previewed_items(article),
                   preview_body=preview.rewrite_body_links(article))


@staff_member_required
def preview_press_kit(request, pk):
    """The press kit of the previewed version: streamed as it is read, never stored."""
    article = _previewed_article(request, pk, Article.objects.with_page())
    return mark_private(press_kit_response(request, article))


@staff_member_required
def preview_photo_download(request, pk, photo_id):
    """The cleaned master of one photo of the previewed release (a photo of another release: 404)."""
    article = _previewed_article(request, pk)
    placement = (ArticlePhoto.objects.select_related("photo__credit")
                 .filter(article=article, photo_id=photo_id).first())
    if placement is None:
        raise Http404(_("Photo introuvable."))
    photo = placement.photo
    return mark_private(file_response(photo.image, as_attachment=True, filename=photo_download_name(photo)))


def _list_page(request, article, template, items, per_page, name, banner_title, **context):
    """One page of a tag, speaker or credit page's preview, rendered with the public template."""
    paginator = Paginator(items, per_page)
    try:
        page = paginator.page(request.GET.get("page") or 1)
    except InvalidPage:
        raise Http404(_("Page introuvable.")) from None
    context = {
        **context, name: page.object_list, "object_list": page.object_list, "page_obj": page,
        "paginator": paginator, "is_paginated": page.has_other_pages(),
        "banner": _preview_banner(article, banner_title),
        "preview_items": preview.previewed_items(article),
    }
    return mark_private(TemplateResponse(request, template, context))


def _previewed_with_items(request, pk):
    article = _previewed_article(request, pk, Article.objects.prefetch_related(*preview.ITEM_PREFETCHES))
    _speak(request, article)
    return article


def _page_title(article):
    return _("Aperçu — cette page telle qu'elle sera une fois « %(title)s » publié") % {"title": article.title}


@staff_member_required
def preview_tag(request, pk, slug):
    """A tag's page as it will be once the release is public: its public releases and this one."""
    article = _previewed_with_items(request, pk)
    tag = tag_in_language(slug, article.language, article.tags.all())
    if tag is None:
        raise Http404(_("Mot-clé introuvable."))
    if tag.shown_slug != slug:  # its French slug under /en/: the tag's address in this language
        return redirect("articles:preview-tag", article.pk, tag.shown_slug)
    return _list_page(request, article, "articles/tag_detail.html", preview.tag_page_releases(article, tag),
                      settings.ARTICLES_PER_PAGE, "articles", _page_title(article), tag=tag, shown=shown_tag(tag))


@staff_member_required
def preview_speaker(request, pk, slug):
    """A speaker's page as it will be once the release is public: their public quotes and this one's."""
    article = _previewed_with_items(request, pk)
    speaker = Speaker.objects.filter(slug=slug, quotes__article=article).first()
    if speaker is None:
        raise Http404(_("Intervenant introuvable."))
    return _list_page(request, article, "articles/speaker_detail.html", preview.speaker_page_quotes(article, speaker),
                      SpeakerDetailView.paginate_by, "quotes", _page_title(article), speaker=speaker)


@staff_member_required
def preview_credit(request, pk, slug):
    """A credit's page as it will be once the release is public: its public photos and this one's."""
    article = _previewed_with_items(request, pk)
    credit = Credit.objects.filter(slug=slug, photos__placements__article=article).first()
    if credit is None:
        raise Http404(_("Crédit introuvable."))
    return _list_page(request, article, "articles/credit_detail.html", preview.credit_page_photos(article, credit),
                      CreditDetailView.paginate_by, "photos", _page_title(article), credit=credit)


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
