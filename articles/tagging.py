"""Tags that behave the French way: "Économie", "économie" and "Economie" are one tag.

taggit's TAGGIT_CASE_INSENSITIVE relies on the database's `iexact`, which on SQLite
folds ASCII letters only ("É" ≠ "é"), and it keeps accents apart. Tags are matched
here by their slug instead — the ASCII fold of the name — so every backend agrees
and an editor who types a capital without its accent (common in French) reuses the
existing tag.
"""

import hashlib

from django.db.models.signals import pre_save
from django.utils.text import slugify
from taggit.managers import _TaggableManager
from taggit.models import Tag


def tag_slug(name: str) -> str:
    """The tag's ASCII slug: "Économie" → "economie"; a name with no Latin letter ("京都", issue #14)
    gets a stable one from its text, "mot-cle-<8 hex>", so that its page has an address."""
    return slugify(name) or f"mot-cle-{hashlib.blake2s(name.encode()).hexdigest()[:8]}"


def give_tag_a_slug(sender, instance, **kwargs):
    """taggit leaves "" (then "_1", "_2"…) for a name without Latin letters: no page could link it."""
    if not slugify(instance.slug or ""):
        instance.slug = tag_slug(instance.name)


def connect_receivers() -> None:
    pre_save.connect(give_tag_a_slug, sender=Tag, dispatch_uid="articles.tagging.give_tag_a_slug")


class FrenchTaggableManager(_TaggableManager):
    def _to_tag_model_instances(self, tags, tag_kwargs):
        tag_model = self.through.tag_model()
        names = [t for t in tags if isinstance(t, str)]
        if names:
            slugs = {name: tag_slug(name) for name in names}
            existing = {t.slug: t for t in tag_model._default_manager.filter(slug__in=set(slugs.values()))}
            tags = [existing.get(slugs[t], t) if isinstance(t, str) else t for t in tags]
        return super()._to_tag_model_instances(tags, tag_kwargs)


