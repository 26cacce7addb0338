"""The release list's "État" column and filter, and the form's state header: the states
as people say them (articles/publishing/states.py)."""

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ..publishing.states import State, in_state, state_of


class StateFilter(admin.SimpleListFilter):
    title = _("état")
    parameter_name = "etat"

    def lookups(self, request, model_admin):
        return State.choices

    def queryset(self, request, queryset):
        value = self.value()
        return in_state(queryset, value) if value in State.values else queryset


def state_badge(article) -> str:
    """"En ligne", "Programmé"…: a word, with a class for its colour (never colour alone)."""
    state = state_of(article)
    return format_html('<span class="release-state release-state--{}">{}</span>', state.value, state.label)
