"""`{% release_dates article as dates %}`: the dates a page shows, by the rule in articles/metadata.py."""

from types import SimpleNamespace

from django import template

from ..discovery import metadata

register = template.Library()


@register.simple_tag
def release_dates(article) -> SimpleNamespace:
    """published (first publication), modified (last public change) and updated (set once republished)."""
    return SimpleNamespace(
        published=metadata.published_at(article),
        modified=metadata.modified_at(article),
        updated=metadata.updated_on(article),
    )
