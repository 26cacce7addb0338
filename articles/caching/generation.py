"""The content generation: one token that changes whenever anything public may have changed.

Every cached page, list count and "next publication" is stored under the current token:
changing it retires them all at once, in every process that shares the cache. Saves and
deletions of what public pages show change it through the receivers below, whoever makes
them (the admin, the importer, a job, the shell). Its own module, so that the page cache
and the cache policy both build on it without importing each other.
"""

from __future__ import annotations

import uuid

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import receiver
from taggit.models import Tag

from pressroom.cache import cache_recovered

from ..models import (
    Article,
    ArticlePhoto,
    Credit,
    Photo,
    PressContact,
    Quote,
    Rendition,
    SlugRedirect,
    Speaker,
    TaggedArticle,
)

GENERATION_KEY = "pages:generation"


def generation() -> str:
    """The current content generation: a token that changes whenever public content changes."""
    token = cache.get(GENERATION_KEY)
    if token is None:
        cache.add(GENERATION_KEY, uuid.uuid4().hex, None)
        # A cache that is down (or evicted the token at once) gets a token of its own that no
        # stored entry carries: nothing is served from it, nothing old comes back.
        token = cache.get(GENERATION_KEY) or uuid.uuid4().hex
    return token


def bump_generation() -> None:
    """Retire every cached page and list count, now and again once the transaction commits.

    Now, so that the same request or test sees the change at once; at commit, because
    a visitor served between the two would otherwise store the old content under the
    new token. A rollback costs only a few rebuilt pages.
    """
    _bump()
    transaction.on_commit(_bump)


def _bump() -> None:
    cache.set(GENERATION_KEY, uuid.uuid4().hex, None)


# Signals: a decoupled chore (STYLE.md), and the only way to also cover the importer,
# the shell and reversion's restores. Bulk update() sends none: entries still expire
# after PAGE_CACHE_SECONDS.
_SHOWN_ON_PUBLIC_PAGES = (
    Article, ArticlePhoto, Photo, Rendition, Credit, Quote, Speaker, PressContact, Tag, TaggedArticle, SlugRedirect,
)


@receiver(cache_recovered, dispatch_uid="page_cache.cache_recovered")
def _cache_recovered(sender, **kwargs):
    # A save made while the cache was down could not retire the pages stored before it
    # (and a Redis cut off rather than restarted still holds them): retire them all now.
    _bump()


def _content_changed(sender, **kwargs):
    bump_generation()


def _relation_changed(sender, action, **kwargs):
    if action in ("post_add", "post_remove", "post_clear"):
        bump_generation()


for _model in _SHOWN_ON_PUBLIC_PAGES:
    post_save.connect(_content_changed, sender=_model, dispatch_uid=f"page_cache.saved.{_model._meta.label}")
    post_delete.connect(_content_changed, sender=_model, dispatch_uid=f"page_cache.deleted.{_model._meta.label}")
for _through in (Article.tags.through, Article.photos.through, Article.press_contacts.through):
    m2m_changed.connect(_relation_changed, sender=_through, dispatch_uid=f"page_cache.m2m.{_through._meta.label}")


