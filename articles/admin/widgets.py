"""Accessible names for admin inputs that Django renders without one of their own (RGAA 11.1).

The widgets built in the browser (select2's autocompletes, the prose editor) are named by
articles/static/articles/admin/a11y.js, from the names given here or the fields' <label>s.
"""

from django.contrib.admin import widgets
from django.db import models
from django.forms.models import BaseInlineFormSet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _


class AdminSplitDateTime(widgets.AdminSplitDateTime):
    """Django's date and time inputs, each named: "Date de publication — jour", "… — heure".

    Django gives the pair one <label>, which points at neither input. The name comes from the
    aria-label set on the pair (by the field, or by LabelledInlineFormSet in a row)."""

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        label = context["widget"]["attrs"].get("aria-label")
        if label:
            for subwidget, part in zip(context["widget"]["subwidgets"], (_("jour"), _("heure")), strict=True):
                subwidget["attrs"]["aria-label"] = format_lazy("{} — {}", label, part)
        return context


class LabelledInlineFormSet(BaseInlineFormSet):
    """A tabular inline's inputs sit under column headers with no <label>: each gets a name of
    its own, the column's and the row's ("Ordre — citation 2"; "Supprimer — citation 2")."""

    def add_fields(self, form, index):
        super().add_fields(form, index)  # the DELETE and ORDER boxes are added here, after the form's fields
        verbose_name = self.model._meta.verbose_name
        # The empty form is copied in the browser for "Ajouter …": its number would be wrong.
        row = format_lazy("{} {}", verbose_name, index + 1) if index is not None else format_lazy(
            "{}, {}", verbose_name, _("nouvelle ligne"))
        for field in form.fields.values():
            # The admin's "+"/"✎" wrapper shares the attrs of the class's widget, not of this form's copy.
            widget = field.widget.widget if isinstance(field.widget, widgets.RelatedFieldWidgetWrapper) else field.widget
            if not widget.is_hidden:
                widget.attrs["aria-label"] = format_lazy("{} — {}", field.label, row)


class SpellcheckedTextMixin:
    """Spell-check on in every field people write prose in (titles, captions, quotes…), in the
    language of what they write: browsers leave it off in single-line inputs, and an English
    release is checked against an English dictionary. Addresses, slugs and numbers are not prose."""

    not_prose = ("slug", "email", "phone", "url", "username", "password")

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        formfield = super().formfield_for_dbfield(db_field, request, **kwargs)
        if formfield is None or not isinstance(db_field, (models.CharField, models.TextField)):
            return formfield
        if db_field.choices or isinstance(db_field, (models.SlugField, models.EmailField, models.URLField)):
            return formfield
        if any(word in db_field.name for word in self.not_prose):
            return formfield
        widget = formfield.widget.widget if isinstance(formfield.widget, widgets.RelatedFieldWidgetWrapper) else formfield.widget
        widget.attrs["spellcheck"] = "true"
        return formfield
