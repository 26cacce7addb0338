"""`{% with shown=tag|shown_tag %}`: a tag's name and address in the page's language (issue #14)."""

from django import template

from ..tagging import shown_tag as _shown_tag

register = template.Library()


@register.filter
def shown_tag(tag):
    return _shown_tag(tag)
