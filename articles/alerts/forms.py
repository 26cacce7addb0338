"""The public forms: subscribe, and change one's choices from the signed manage page.

Tags and speakers offered are only those the public may already see (`public_tags`,
`quoted_speakers`): a tag known only from an embargoed release would reveal its subject.
They are chosen by slug, so no id typed in a crafted POST reaches the database.
"""

import re

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ..querysets import public_tags, quoted_speakers
from .consent import CONSENT_TEXT
from .models import Subscriber
from .subscriptions import Choices

ALL, SOME = "tous", "choix"
SLUG = re.compile(r"^[-a-zA-Z0-9_]{1,200}$")


class SlugChoices(forms.ModelMultipleChoiceField):
    """Chosen by slug; anything that is not a slug (a NUL byte, markup, 10,000 characters) is
    refused before it reaches the database, with the field's own French message."""

    def _check_values(self, value):
        values = [value] if isinstance(value, str) else list(value or [])
        for item in values:
            if not isinstance(item, str) or not SLUG.match(item):
                raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                            params={"value": ""})
        return super()._check_values(values)


class ChoicesForm(forms.Form):
    what = forms.ChoiceField(
        label=_("Je veux recevoir"), widget=forms.RadioSelect, initial=ALL,
        choices=[(ALL, _("tous les communiqués")), (SOME, _("les communiqués des mots-clés ou intervenants cochés"))],
    )
    tags = SlugChoices(
        label=_("Mots-clés"), queryset=None, to_field_name="slug", required=False, widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Ce mot-clé n'existe pas (ou plus) : choisissez dans la liste.")},
    )
    speakers = SlugChoices(
        label=_("Intervenants"), queryset=None, to_field_name="slug", required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Cet intervenant n'existe pas (ou plus) : choisissez dans la liste.")},
    )
    language = forms.ChoiceField(
        label=_("Langue des communiqués"), required=False,
        choices=[("", _("Toutes les langues")), *settings.LANGUAGES],
    )
    frequency = forms.ChoiceField(
        label=_("Fréquence"), widget=forms.RadioSelect, choices=Subscriber.Frequency.choices,
        initial=Subscriber.Frequency.IMMEDIATE,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["tags"].queryset = public_tags().order_by("name")
        self.fields["speakers"].queryset = quoted_speakers().order_by("name")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("what") == SOME and not cleaned.get("tags") and not cleaned.get("speakers"):
            raise forms.ValidationError(_("Cochez au moins un mot-clé ou un intervenant, ou choisissez « tous les communiqués »."))
        return cleaned

    def choices(self) -> Choices:
        data = self.cleaned_data
        some = data["what"] == SOME
        return Choices(
            all_releases=not some, tags=list(data["tags"]) if some else [], speakers=list(data["speakers"]) if some else [],
            language=data.get("language") or "", frequency=data["frequency"],
        )

    @staticmethod
    def initial_for(subscriber: Subscriber) -> dict:
        return {
            "what": ALL if subscriber.all_releases else SOME,
            "tags": [t.slug for t in subscriber.tags.all()],
            "speakers": [s.slug for s in subscriber.speakers.all()],
            "language": subscriber.language, "frequency": subscriber.frequency,
        }


class SubscribeForm(ChoicesForm):
    email = forms.EmailField(
        label=_("Votre adresse électronique"), max_length=254,
        error_messages={"invalid": _("Saisissez une adresse électronique valide, par exemple nom@exemple.fr.")},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    consent = forms.BooleanField(
        label=CONSENT_TEXT,
        error_messages={"required": _("Cochez la case de consentement pour vous abonner.")},
    )
    field_order = ["email", "what", "tags", "speakers", "language", "frequency", "consent"]
