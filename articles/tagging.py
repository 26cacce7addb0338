"""Tags that behave the French way: "Économie", "économie" and "Economie" are one tag.

taggit's TAGGIT_CASE_INSENSITIVE relies on the database's `iexact`, which on SQLite
folds ASCII letters only ("É" ≠ "é"), and it keeps accents apart. Tags are matched
here by their slug instead — the ASCII fold of the name — so every backend agrees
and an editor who types a capital without its accent (common in French) reuses the
existing tag.
"""

from taggit.managers import _TaggableManager


class FrenchTaggableManager(_TaggableManager):
    def _to_tag_model_instances(self, tags, tag_kwargs):
        tag_model = self.through.tag_model()
        names = [t for t in tags if isinstance(t, str)]
        if names:
            slugs = {name: tag_model().slugify(name) for name in names}
            existing = {t.slug: t for t in tag_model._default_manager.filter(slug__in=set(slugs.values()))}
            tags = [existing.get(slugs[t], t) if isinstance(t, str) else t for t in tags]
        return super()._to_tag_model_instances(tags, tag_kwargs)


