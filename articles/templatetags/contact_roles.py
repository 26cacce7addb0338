"""`{% with shown=contact|role_in:article.language %}`: a press contact's role in a release's language (issue #14)."""

from django import template

register = template.Library()


@register.filter
def role_in(contact, language):
    """(role, the language it is written in): the French role stands in until one is given."""
    return contact.role_in(language)
