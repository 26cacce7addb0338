"""The release form: role checks, the publication time in Paris and optimistic locking on `version`.

Who may do what, and what a withdrawal needs, are decided by the workflow
(articles/publishing/workflow.py `check_edit`); this form only asks it and puts each answer
beside its field, whatever the page showed.
"""

from datetime import datetime

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from ..models import Article
from ..publishing import workflow
from .common import conflict_error, missing_version_error
from .widgets import AdminSplitDateTime

S = Article.Status


class ParisDateTimeField(forms.SplitDateTimeField):
    """A date and time in Paris that must exist once: the spring-forward gap (e.g.
    29/03/2026 02:30) does not exist and the autumn hour (25/10/2026 02:30) exists
    twice. Django refuses both; this says why, in words an editor understands."""

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if self.label:
            # Django's one <label> points at neither input: our AdminSplitDateTime names each after it.
            attrs["aria-label"] = self.label
        return attrs

    def compress(self, data_list):
        try:
            return super().compress(data_list)
        except ValidationError as error:
            if getattr(error, "code", None) != "ambiguous_timezone" or not data_list:
                raise
            day, time = data_list
            naive = datetime.combine(day, time)
            zone = timezone.get_current_timezone()
            earlier, later = naive.replace(fold=0).astimezone(zone), naive.replace(fold=1).astimezone(zone)
            gap = earlier.utcoffset() < later.utcoffset() or earlier.replace(tzinfo=None) != naive
            label = f"{day:%d/%m/%Y} à {time:%H:%M}"
            if gap:
                message = _("L'heure %(when)s n'existe pas à Paris : ce jour-là, les horloges passent directement de 02:00 à 03:00 (heure d'été). Choisissez une autre heure.")
            else:
                message = _("L'heure %(when)s existe deux fois à Paris : ce jour-là, les horloges reviennent de 03:00 à 02:00 (heure d'hiver). Choisissez une heure hors de 02:00–03:00.")
            raise ValidationError(message, code="nonexistent_time", params={"when": label}) from error


class ArticleAdminForm(forms.ModelForm):
    """The release form: role checks, the publication time in Paris and optimistic locking on `version`."""

    request = None  # set per request by ArticleAdmin.get_form
    # Not the model field itself (it is not editable): the version the editor opened.
    edit_version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    publish_at = ParisDateTimeField(
        label=_("Date de publication"), required=False, widget=AdminSplitDateTime,
        help_text=Article._meta.get_field("publish_at").help_text,
    )

    class Meta:
        model = Article
        # The admin passes the fields of its fieldsets; these are the same, for use outside it.
        fields = ["title", "standfirst", "body", "location", "status", "publish_at", "change_note",
                  "withdrawal_reason", "tags", "press_contacts", "slug", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.opened_version = self.instance.version
        self.fields["edit_version"].initial = self.opened_version
        self.previous = None
        # Spell-checked in the release's own language (the admin is French; a release may not be).
        for name in ("title", "standfirst", "body", "location", "change_note", "withdrawal_reason"):
            if name in self.fields:
                self.fields[name].widget.attrs["lang"] = self.instance.language or "fr"
        if "status" in self.fields and not workflow.can_publish(self.user):
            # Only the choices a writer may make are offered; clean_status refuses the others anyway.
            self.fields["status"].widget.choices = [(s.value, s.label) for s in (S.DRAFT, S.REVIEW)]
        elif "status" in self.fields:
            # "Publié" alone read as "online" for a scheduled release: say what the date decides.
            self.fields["status"].widget.choices = [
                (value, gettext("Publié (en ligne à la date de publication)") if value == S.PUBLISHED else label)
                for value, label in self.fields["status"].widget.choices
            ]

    @property
    def user(self):
        return getattr(self.request, "user", None)

    def clean(self):
        cleaned = super().clean()
        # The row is locked until the admin's transaction ends: no one can save in between.
        current = None
        if self.instance.pk:
            current = Article.objects.select_for_update(of=("self",)).select_related("updated_by").get(pk=self.instance.pk)
            self.previous = current
        # Who may save what, and what a withdrawal needs, are the workflow's rules (publishing/workflow.py).
        try:
            workflow.check_edit(user=self.user, current=current, status=cleaned.get("status", self.instance.status),
                                withdrawal_reason=cleaned.get("withdrawal_reason", self.instance.withdrawal_reason))
        except ValidationError as refusal:
            for field, errors in refusal.error_dict.items():
                self.add_error(field if field in self.fields else None, errors)
            if NON_FIELD_ERRORS in refusal.error_dict:
                return cleaned  # not theirs to save: the version is beside the point
        if current is not None:
            self._check_version(current)
        return cleaned

    def _check_version(self, current):
        posted = self.cleaned_data.get("edit_version")
        current_version = current.version
        if posted is None:
            # A change form always carries the version it showed; without it, saving could
            # silently overwrite someone else's text. Refused, with the current version
            # put in the form so that a deliberate second save goes through.
            self.data = self.data.copy()
            self.data[self.add_prefix("edit_version")] = str(current_version)
            raise missing_version_error(noun=gettext("ce communiqué"))
        if posted != current_version:
            # The editor's text stays in the form; the next save, made knowingly, replaces the other version.
            self.data = self.data.copy()
            self.data[self.add_prefix("edit_version")] = str(current_version)
            # The same message as for photos, credits, speakers, tags and contacts (admin/common.py).
            raise conflict_error(noun=gettext("ce communiqué"), who=current.updated_by, when=current.updated_at)
