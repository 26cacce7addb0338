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

from .slugs import legacy_slugify, slugify_fr


def _fallback(name: str) -> str:
    return f"mot-cle-{hashlib.blake2s(name.encode()).hexdigest()[:8]}"


def tag_slug(name: str) -> str:
    """The tag's ASCII slug under the slug rule (articles/slugs.py): "Économie" → "economie",
    "Vœux" → "voeux"; a name with no Latin letter ("京都", issue #14) gets a stable one from its
    text, "mot-cle-<8 hex>", so that its page has an address."""
    return slugify_fr(name) or _fallback(name)


def legacy_tag_slug(name: str) -> str:
    """The slug a tag was given before issue #16 ("Vœux" → "vux"): existing tags keep it."""
    return legacy_slugify(name) or _fallback(name)


def give_tag_a_slug(sender, instance, **kwargs):
    """A new tag gets its slug under our rule: taggit writes Django's slugify of the name ("vux"
    for "Vœux"), or "" (then "_1", "_2"…) for a name without Latin letters, which no page could
    link. A slug taggit numbered after a clash ("vux_1"), or any other slug given, is kept;
    only a new tag's slug that is exactly the old rule's is taken for taggit's and replaced."""
    if not slugify(instance.slug or ""):
        instance.slug = tag_slug(instance.name)
    elif instance._state.adding and instance.slug == legacy_slugify(instance.name):
        instance.slug = tag_slug(instance.name)


def connect_receivers() -> None:
    pre_save.connect(give_tag_a_slug, sender=Tag, dispatch_uid="articles.tagging.give_tag_a_slug")


class FrenchTaggableManager(_TaggableManager):
    def _to_tag_model_instances(self, tags, tag_kwargs):
        tag_model = self.through.tag_model()
        names = [t for t in tags if isinstance(t, str)]
        if names:
            # By today's slug, or the one it would have had before issue #16: a tag made then
            # ("Vœux", slug "vux") is found again rather than doubled.
            slugs = {name: (tag_slug(name), legacy_tag_slug(name)) for name in names}
            wanted = {slug for pair in slugs.values() for slug in pair}
            existing = {t.slug: t for t in tag_model._default_manager.filter(slug__in=wanted)}

            def found(name):
                current, legacy = slugs[name]
                return existing.get(current) or existing.get(legacy) or name

            tags = [found(t) if isinstance(t, str) else t for t in tags]
        return super()._to_tag_model_instances(tags, tag_kwargs)


