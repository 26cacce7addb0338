"""Which dependency tokens a save or a deletion bumps (dependencies.py), whoever makes it.

Signals: a decoupled chore (STYLE.md), and the only way to cover the admin, the importer,
jobs, the shell and reversion's restores alike. Connected in ArticlesConfig.ready().

- What is public, and in which order (a release created, deleted, given another status,
  date or slug; a tag added or removed; a slug redirect): "publications", which every
  cached page and count depends on, so every list, feed and count changes at once.
- Anything a release shows (its text, photos and their captions, credits and renditions,
  quotes and speakers, press contacts): "release:<pk>" of each release that shows it, found
  with one indexed query. Pages that do not show those releases stay cached.
- The membership of a speaker's or a credit's page: "speaker:<pk>", "credit:<pk>".
Every bump also moves "changes", which the search and the sitemaps depend on.
Bulk update() sends no signal: its callers bump themselves (tasks.py), and every entry
still expires after PAGE_CACHE_SECONDS and at the next scheduled publication.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_init, post_save
from taggit.models import Tag

from ..models import (
    Article,
    ArticlePhoto,
    Credit,
    Photo,
    PressContact,
    PressContactRole,
    Quote,
    Rendition,
    SlugRedirect,
    Speaker,
    TaggedArticle,
    TagTranslation,
)
from . import dependencies as deps

# What decides where a release appears: a change of any of these is a change of "publications".
_LISTED_FIELDS = ("status", "publish_at", "slug")


def _releases(pks) -> list[str]:
    return [deps.release(pk) for pk in pks if pk is not None]


def releases_showing_photos(photo_ids) -> list[str]:
    pks = ArticlePhoto.objects.filter(photo_id__in=photo_ids).values_list("article_id", flat=True).distinct()
    return _releases(pks)


# --- Articles ------------------------------------------------------------------------------------


def _article_loaded(sender, instance, **kwargs):
    # Where the release is listed, as loaded: post_save compares with it.
    instance._listed_as = tuple(instance.__dict__.get(name) for name in _LISTED_FIELDS)
    if instance.pk is not None:
        deps.record(deps.release(instance.pk))


def _article_saved(sender, instance, created, **kwargs):
    listed = tuple(getattr(instance, name) for name in _LISTED_FIELDS)
    if created or listed != getattr(instance, "_listed_as", None):
        deps.changed(deps.PUBLICATIONS, deps.release(instance.pk))
    else:
        deps.changed(deps.release(instance.pk))
    instance._listed_as = listed


def _article_deleted(sender, instance, **kwargs):
    deps.changed(deps.PUBLICATIONS, deps.release(instance.pk))


# --- What a release shows --------------------------------------------------------------------------


def _placement_changed(sender, instance, **kwargs):
    credit_id = Photo.objects.filter(pk=instance.photo_id).values_list("credit_id", flat=True).first()
    deps.changed(deps.release(instance.article_id), deps.credit(credit_id))


def _photo_loaded(sender, instance, **kwargs):
    instance._credit_as_loaded = instance.__dict__.get("credit_id")


def _photo_changed(sender, instance, **kwargs):
    # Its credit's page too (only that page and its count record "credit:<pk>"), the old one if re-credited.
    before = getattr(instance, "_credit_as_loaded", None)
    instance._credit_as_loaded = instance.credit_id
    deps.changed(*releases_showing_photos([instance.pk]), deps.credit(instance.credit_id), deps.credit(before))


def _rendition_changed(sender, instance, **kwargs):
    deps.changed(*releases_showing_photos([instance.photo_id]))


def _credit_changed(sender, instance, **kwargs):
    photos = Photo.objects.filter(credit_id=instance.pk).values("pk")
    deps.changed(*releases_showing_photos(photos), deps.credit(instance.pk))


def _quote_loaded(sender, instance, **kwargs):
    instance._speaker_as_loaded = instance.__dict__.get("speaker_id")


def _quote_changed(sender, instance, **kwargs):
    # Its speaker's page and feed too (only they record "speaker:<pk>"), the old one if re-attributed.
    before = getattr(instance, "_speaker_as_loaded", None)
    instance._speaker_as_loaded = instance.speaker_id
    deps.changed(deps.release(instance.article_id), deps.speaker(instance.speaker_id), deps.speaker(before))


def _speaker_changed(sender, instance, **kwargs):
    pks = Quote.objects.filter(speaker_id=instance.pk).values_list("article_id", flat=True).distinct()
    deps.changed(*_releases(pks), deps.speaker(instance.pk))


def _contact_changed(sender, instance, **kwargs):
    pks = Article.press_contacts.through.objects.filter(presscontact_id=instance.pk).values_list("article_id", flat=True)
    deps.changed(*_releases(pks))


def _contact_role_changed(sender, instance, **kwargs):
    # A contact's role in one language (issue #14): shown by its releases, like the contact itself.
    _contact_changed(sender, PressContact(pk=instance.contact_id), **kwargs)


def _listing_changed(sender, **kwargs):
    # A slug redirect: rare, and it moves an address.
    deps.changed(deps.PUBLICATIONS)


def _tag_changed(sender, instance, **kwargs):
    # A tag's name is shown by its releases, and its slug is its page's address: rare, and it moves lists.
    pks = TaggedArticle.objects.filter(tag_id=instance.pk).values_list("content_object_id", flat=True)
    deps.changed(deps.PUBLICATIONS, *_releases(pks))


def _tag_translation_changed(sender, instance, **kwargs):
    # A tag's name in one language: shown by that language's releases carrying it, and its page's address there.
    _tag_changed(sender, Tag(pk=instance.tag_id), **kwargs)


def _tagging_changed(sender, instance, **kwargs):
    deps.changed(deps.PUBLICATIONS, deps.release(instance.content_object_id))


def _relation_changed(sender, instance, action, reverse, pk_set, model, **kwargs):
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if sender is Article.tags.through:
        names = _releases(pk_set or ()) if reverse else [deps.release(instance.pk)]
        deps.changed(deps.PUBLICATIONS, *names)
        return
    # forward: instance is the release; reverse: pk_set holds releases (None on a reverse clear: any of them).
    if reverse and pk_set is None:
        deps.changed(deps.PUBLICATIONS)
        return
    names = _releases(pk_set or ()) if reverse else [deps.release(instance.pk)]
    if sender is Article.photos.through:
        photo_ids = [instance.pk] if reverse else (pk_set or ())
        credit_ids = Photo.objects.filter(pk__in=photo_ids).values_list("credit_id", flat=True)
        names += [deps.credit(pk) for pk in credit_ids]
        if not reverse and pk_set is None:
            names.append(deps.PUBLICATIONS)  # a clear: whose credits were they? retire every list
    deps.changed(*names)


def connect() -> None:
    uid = "articles.caching.receivers"
    post_init.connect(_article_loaded, sender=Article, dispatch_uid=f"{uid}.article.loaded")
    post_save.connect(_article_saved, sender=Article, dispatch_uid=f"{uid}.article.saved")
    post_delete.connect(_article_deleted, sender=Article, dispatch_uid=f"{uid}.article.deleted")
    post_init.connect(_photo_loaded, sender=Photo, dispatch_uid=f"{uid}.photo.loaded")
    post_init.connect(_quote_loaded, sender=Quote, dispatch_uid=f"{uid}.quote.loaded")
    changes = (
        (ArticlePhoto, _placement_changed), (Photo, _photo_changed), (Rendition, _rendition_changed),
        (Credit, _credit_changed), (Quote, _quote_changed), (Speaker, _speaker_changed),
        (PressContact, _contact_changed), (Tag, _tag_changed), (SlugRedirect, _listing_changed),
        (TaggedArticle, _tagging_changed), (TagTranslation, _tag_translation_changed),
        (PressContactRole, _contact_role_changed),
    )
    for model, receiver in changes:
        post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}.{model._meta.label}.saved")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}.{model._meta.label}.deleted")
    for through in (Article.tags.through, Article.photos.through, Article.press_contacts.through):
        m2m_changed.connect(_relation_changed, sender=through, dispatch_uid=f"{uid}.m2m.{through._meta.label}")
