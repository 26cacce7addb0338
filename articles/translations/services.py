"""Starting a translation: one service for the admin's "Traduire" and the importer."""

from __future__ import annotations

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ..models import Article, ArticlePhoto, Quote
from ..publishing.roles import account, can_edit
from ..slugs import slugify_fr, unique_slug


def translation_slug(*, original: Article, language: str, title: str = "") -> str:
    """A slug from the translation's title; for a script slugify cannot spell in ASCII (Japanese),
    the original's slug with the language: "occitanie-japon-…-ja"."""
    text = title if slugify_fr(title) else f"{original.slug}-{language}"
    return unique_slug(Article, text)


def check_new_translation(*, original: Article, language: str) -> None:
    """Refuse, in the editor's words, a translation that cannot join `original`'s group."""
    if original.translation_of_id:
        raise ValidationError(_("« %(title)s » est déjà une traduction : traduisez l'original.") % {"title": original.title})
    if language == original.language:
        raise ValidationError(_("Une traduction doit être dans une autre langue que l'original."))
    if original.status == Article.Status.REMOVED:
        raise ValidationError(_("« %(title)s » a été supprimé : il ne peut plus être traduit.") % {"title": original.title})
    if Article.objects.filter(translation_of=original, language=language).exists():
        raise ValidationError(_("« %(title)s » a déjà une traduction dans cette langue.") % {"title": original.title})


def start_translation(*, original: Article, language: str, user) -> Article:
    """A draft translation of `original` in `language`, prefilled with the original's texts to
    translate, sharing its photos (with their credits), its quotes' speakers, tags and contacts.

    A draft whoever asks: it goes live only with its group, once approved (workflow.publish).
    """
    from ..discovery.search import refresh_search_document

    if not can_edit(user, None):
        raise ValidationError(_("Seules la Rédaction et la Publication peuvent créer un communiqué."))
    with transaction.atomic(), reversion.create_revision():
        original = Article.objects.select_for_update().get(pk=original.pk)
        check_new_translation(original=original, language=language)
        author = account(user)
        draft = Article.objects.create(
            title=original.title, standfirst=original.standfirst, body=original.body, location=original.location,
            language=language, translation_of=original, status=Article.Status.DRAFT,
            slug=translation_slug(original=original, language=language),
            created_by=author, updated_by=author,
        )
        ArticlePhoto.objects.bulk_create(
            ArticlePhoto(article=draft, photo_id=p.photo_id, position=p.position) for p in original.article_photos.all()
        )
        for quote in original.quotes.all():
            Quote.objects.create(article=draft, speaker_id=quote.speaker_id, text=quote.text, position=quote.position)
        draft.tags.add(*original.tags.all())
        draft.press_contacts.add(*original.press_contacts.all())
        refresh_search_document(draft)
        reversion.add_to_revision(draft)
        reversion.set_user(author)
        reversion.set_comment(_("Traduction commencée depuis « %(title)s ».") % {"title": original.title})
        return draft
