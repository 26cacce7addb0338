"""The release form: role checks, the publication time in Paris and optimistic locking on `version`.

Who may do what is decided by the workflow (articles/workflow.py); this form only asks it
and says the answer in the editor's words, whatever the page showed.
"""

from datetime import datetime

from django import forms
from django.core.exceptions import ValidationError
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
        if "status" in self.fields and not workflow.can_publish(self.user):
            # Only the choices a writer may make are offered; clean_status refuses the others anyway.
            self.fields["status"].widget.choices = [(s.value, s.label) for s in (S.DRAFT, S.REVIEW)]

    @property
    def user(self):
        return getattr(self.request, "user", None)

    def clean_status(self):
        status = self.cleaned_data.get("status")
        if status not in (S.DRAFT, S.REVIEW) and not workflow.can_publish(self.user):
            raise ValidationError(
                _("Seule l'équipe Publication peut publier, programmer, retirer ou supprimer un communiqué : choisissez « Brouillon » ou « En relecture »."),
                code="role",
            )
        return status

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if status == S.WITHDRAWN and not (cleaned.get("withdrawal_reason") or "").strip():
            self.add_error("withdrawal_reason", _("Le motif du retrait est obligatoire : il est affiché publiquement."))
        if self.instance.pk:
            self._check_current_state()
        return cleaned

    def _check_current_state(self):
        # The row is locked until the admin's transaction ends: no one can save in between.
        current = Article.objects.select_for_update(of=("self",)).select_related("updated_by").get(pk=self.instance.pk)
        self.previous = current
        if not workflow.can_edit(self.user, current):
            raise ValidationError(
                _("Ce communiqué est publié ou programmé : seule l'équipe Publication peut le modifier. Demandez-lui de le renvoyer en relecture."),
                code="role",
            )
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
