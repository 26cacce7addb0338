"""Tags that behave the French way: "Économie", "économie" and "Economie" are one tag.

taggit's TAGGIT_CASE_INSENSITIVE relies on the database's `iexact`, which on SQLite
folds ASCII letters only ("É" ≠ "é"), and it keeps accents apart. Tags are matched
here by their slug instead — the ASCII fold of the name — so every backend agrees
and an editor who types a capital without its accent (common in French) reuses the
existing tag.
"""

import hashlib
from typing import NamedTuple

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




# Tags in the language of a page (issue #14). A tag is one row whatever the language; its name
# and address in English or Japanese are TagTranslation rows. Never a query per tag: a release's
# tags come with their names in the page's language in one more query for the whole page
# (translations_prefetch; none at all on French pages), one tag alone is read annotated
# (tags_in_language), and a tag without a name in that language keeps its own, which the
# templates then mark lang="fr".

TRANSLATIONS_HERE = "translations_here"


class ShownTag(NamedTuple):
    name: str
    slug: str
    language: str


def translations_prefetch(language: str | None = None, through: str = "tags") -> list:
    """The prefetch that gives each tag of `through` its name in `language` (none for French)."""
    from django.conf import settings
    from django.db.models import Prefetch
    from django.utils.translation import get_language

    from .models import TagTranslation

    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if language == settings.LANGUAGE_CODE or language not in dict(settings.LANGUAGES):
        return []
    return [Prefetch(f"{through}__translations", queryset=TagTranslation.objects.filter(language=language),
                     to_attr=TRANSLATIONS_HERE)]


def shown_tag(tag) -> ShownTag:
    """A tag's name, address slug and the language of that name on the page being built: from
    tags_in_language()'s annotations or translations_prefetch(), else its own (French)."""
    from django.conf import settings

    if getattr(tag, "shown_name", None):
        return ShownTag(tag.shown_name, tag.shown_slug, tag.shown_language)
    here = getattr(tag, TRANSLATIONS_HERE, None)
    if here:
        return ShownTag(here[0].name, here[0].slug, here[0].language)
    return ShownTag(tag.name, tag.slug, settings.LANGUAGE_CODE)


def tags_in_language(language: str | None = None, queryset=None):
    """Tags annotated with `shown_name` and `shown_slug` in `language` (default: the page's),
    and `shown_language`, the language that name is in."""
    from django.conf import settings
    from django.db.models import F, OuterRef, Subquery, Value
    from django.db.models.functions import Coalesce
    from django.utils.translation import get_language

    from .models import TagTranslation

    queryset = Tag.objects.all() if queryset is None else queryset
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if language == settings.LANGUAGE_CODE or language not in dict(settings.LANGUAGES):
        return queryset.annotate(shown_name=F("name"), shown_slug=F("slug"), shown_language=Value(settings.LANGUAGE_CODE))
    own = TagTranslation.objects.filter(tag=OuterRef("pk"), language=language)
    return queryset.annotate(
        shown_name=Coalesce(Subquery(own.values("name")[:1]), F("name")),
        shown_slug=Coalesce(Subquery(own.values("slug")[:1]), F("slug")),
        shown_language=Coalesce(Subquery(own.values("language")[:1]), Value(settings.LANGUAGE_CODE)),
    )


def tag_in_language(slug: str, language: str | None = None, queryset=None):
    """The tag whose page in `language` is at `slug`, annotated like tags_in_language(), or None.

    Its name in that language's slug first; then its own slug (the French one), which the
    page answers with a redirect when the tag has an address of its own in that language.
    """
    from django.conf import settings
    from django.utils.translation import get_language

    from .models import TagTranslation

    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if len(slug) > 200:
        return None
    tags = tags_in_language(language, queryset)
    if language != settings.LANGUAGE_CODE:
        found = tags.filter(pk__in=TagTranslation.objects.filter(language=language, slug=slug).values("tag_id")).first()
        if found is not None:
            return found
    return tags.filter(slug=slug).first()
