"""The search text follows every write, whoever makes it: the admin, the importer, the
workflow, a job or the shell.

A release's search text is derived from the release and from what it shows (quotes and
their speakers, photos and their credits, tags). Any save or deletion of one of those
rows refreshes the search text of the releases concerned. Inside `batched()` (an admin
form save, an import), each release touched is refreshed once, at the end, instead of
once per row; outside it, at once.
"""

from __future__ import annotations

import threading
from contextlib import contextmanager

from django.db.models import QuerySet
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from taggit.models import Tag

from ..models import Article, ArticlePhoto, Credit, Photo, Quote, Speaker, TaggedArticle, TagTranslation
from .search import refresh_search_documents

_state = threading.local()

# Fields of shared rows that are part of a release's search text (search.document_for).
SEARCHED = {
    Speaker: (("name", "role", "organisation"), "quotes__speaker"),
    Tag: (("name",), "tags"),
    Photo: (("caption", "credit_id"), "article_photos__photo"),
    Credit: (("name",), "article_photos__photo__credit"),
}


@contextmanager
def batched():
    """Refresh each release touched inside the block once, when the block ends without error."""
    if getattr(_state, "pending", None) is not None:  # nested: the outer block refreshes
        yield
        return
    _state.pending = set()
    try:
        yield
        pending = _state.pending
    finally:
        _state.pending = None
    if pending:
        refresh_search_documents(Article.objects.filter(pk__in=pending))


def touch(articles: QuerySet | list[int]) -> None:
    """These releases' search text is stale: refresh it now, or at the end of the batch."""
    pending = getattr(_state, "pending", None)
    if pending is None:
        queryset = articles if isinstance(articles, QuerySet) else Article.objects.filter(pk__in=articles)
        refresh_search_documents(queryset)
    elif isinstance(articles, QuerySet):
        pending.update(articles.values_list("pk", flat=True))
    else:
        pending.update(articles)


def _article_saved(sender, instance, **kwargs):
    touch([instance.pk])


def _row_changed(sender, instance, **kwargs):
    touch([instance.article_id])


def _tag_link_changed(sender, instance, **kwargs):
    touch([instance.content_object_id])


def _tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    # taggit's add/set/remove/clear send m2m_changed on the through model.
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if isinstance(instance, Article):
        touch([instance.pk])
    elif pk_set:
        touch(list(pk_set))


def _tag_name_translated(sender, instance, **kwargs):
    # A tag's name in a language is searched in that language's releases carrying the tag.
    touch(Article.objects.filter(tags__id=instance.tag_id, language=instance.language))


def _remember_searched_values(sender, instance, raw, **kwargs):
    fields, _ = SEARCHED[sender]
    instance._searched_before = (
        None if instance.pk is None or raw else sender._default_manager.filter(pk=instance.pk).values_list(*fields).first()
    )


def _shared_row_saved(sender, instance, created, raw, **kwargs):
    fields, lookup = SEARCHED[sender]
    before = getattr(instance, "_searched_before", None)
    if created or raw or before is None:
        return  # a new row is not shown by any release yet
    if before != tuple(getattr(instance, name) for name in fields):
        touch(Article.objects.filter(**{lookup: instance}).distinct())


def connect() -> None:
    """Connected in the app's ready(), in every process."""
    post_save.connect(_article_saved, sender=Article, dispatch_uid="search.article")
    for model in (Quote, ArticlePhoto):
        post_save.connect(_row_changed, sender=model, dispatch_uid=f"search.saved.{model.__name__}")
        post_delete.connect(_row_changed, sender=model, dispatch_uid=f"search.deleted.{model.__name__}")
    post_save.connect(_tag_link_changed, sender=TaggedArticle, dispatch_uid="search.saved.tag_link")
    post_delete.connect(_tag_link_changed, sender=TaggedArticle, dispatch_uid="search.deleted.tag_link")
    m2m_changed.connect(_tags_changed, sender=TaggedArticle, dispatch_uid="search.tags")
    post_save.connect(_tag_name_translated, sender=TagTranslation, dispatch_uid="search.saved.tag_translation")
    post_delete.connect(_tag_name_translated, sender=TagTranslation, dispatch_uid="search.deleted.tag_translation")
    for model in SEARCHED:
        pre_save.connect(_remember_searched_values, sender=model, dispatch_uid=f"search.before.{model.__name__}")
        post_save.connect(_shared_row_saved, sender=model, dispatch_uid=f"search.after.{model.__name__}")
