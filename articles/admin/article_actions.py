"""The workflow actions of the release list (and "Traduire"), from one table.

Each action is one row of `WORKFLOW_ACTIONS`: the workflow service it calls, who may call
it, and what the confirmation page and the message say. The service decides everything
(articles/workflow.py); the action only asks for confirmation and reports each refusal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from ..publishing import workflow
from ..translations.services import start_translation
from .article_forms import ParisDateTimeField
from .widgets import AdminSplitDateTime


class LeaveOutForm(forms.Form):
    leave_out_drafts = forms.BooleanField(
        label=_("Laisser de côté les traductions encore en brouillon"), required=False,
        help_text=_("Sinon, une traduction en brouillon bloque la publication : un communiqué et ses traductions "
                    "sont publiés ensemble."),
    )


class ScheduleForm(LeaveOutForm):
    publish_at = ParisDateTimeField(label=_("Publier le"), widget=AdminSplitDateTime,
                                    help_text=_("Heure de Paris. Le communiqué restera invisible jusqu'à ce moment."))

    def clean_publish_at(self):
        value = self.cleaned_data["publish_at"]
        if value <= timezone.now():
            raise ValidationError(_("Choisissez une date future ; pour publier tout de suite, utilisez « Publier maintenant »."))
        return value


class TranslateForm(forms.Form):
    language = forms.ChoiceField(label=_("Langue de la traduction"),
                                 choices=[(c, n) for c, n in settings.LANGUAGES if c != settings.LANGUAGE_CODE])


def _left_out(article, data) -> list[int]:
    """The translations the publisher chose to leave out: those still in draft, if they said so."""
    if not data.get("leave_out_drafts"):
        return []
    return list(article.translations.filter(status=article.Status.DRAFT).values_list("pk", flat=True))


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif public du retrait"), widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Affiché à l'adresse du communiqué à la place de son contenu, avec la date du retrait."),
    )


@dataclass(frozen=True)
class WorkflowAction:
    name: str
    description: str
    permission: str  # "change" (Rédaction and Publication) or "publish" (Publication)
    title: str
    question: str
    button: str
    run: Callable  # (article, user, form data) -> the workflow's answer
    done: str  # ngettext_lazy with a "count" placeholder
    form_class: type[forms.Form] | None = None


WORKFLOW_ACTIONS = [
    WorkflowAction(
        "submit_for_review", _("Envoyer en relecture"), "change", _("Envoyer en relecture"),
        _("Ces brouillons seront proposés à l'équipe Publication :"), _("Oui, envoyer en relecture"),
        lambda a, user, data: workflow.submit_for_review(article=a, user=user),
        ngettext_lazy("%(count)d communiqué envoyé en relecture.", "%(count)d communiqués envoyés en relecture.", "count"),
    ),
    WorkflowAction(
        "publish_now", _("Publier maintenant"), "publish", _("Publier maintenant"),
        _("Ces communiqués seront visibles de tous, dès maintenant, partout (site, flux, recherche) :"),
        _("Oui, publier maintenant"),
        lambda a, user, data: workflow.publish(article=a, user=user, leave_out=_left_out(a, data)),
        ngettext_lazy("%(count)d communiqué publié.", "%(count)d communiqués publiés.", "count"),
        form_class=LeaveOutForm,
    ),
    WorkflowAction(
        "schedule", _("Programmer la publication"), "publish", _("Programmer la publication"),
        _("Ces communiqués resteront invisibles jusqu'à la date choisie, puis apparaîtront partout à la minute près :"),
        _("Programmer"),
        lambda a, user, data: workflow.publish(article=a, user=user, publish_at=data["publish_at"],
                                               leave_out=_left_out(a, data)),
        ngettext_lazy("%(count)d communiqué programmé.", "%(count)d communiqués programmés.", "count"),
        form_class=ScheduleForm,
    ),
    WorkflowAction(
        "send_back_to_review", _("Renvoyer en relecture (retire du programme)"), "publish", _("Renvoyer en relecture"),
        _("Ces communiqués quitteront le site ou le programme et redeviendront modifiables par la Rédaction :"),
        _("Oui, renvoyer en relecture"),
        lambda a, user, data: workflow.send_back_to_review(article=a, user=user),
        ngettext_lazy("%(count)d communiqué renvoyé en relecture.", "%(count)d communiqués renvoyés en relecture.", "count"),
    ),
    WorkflowAction(
        "withdraw", _("Retirer du site (avec un motif public)"), "publish", _("Retirer du site"),
        _("Ces communiqués disparaîtront des listes, flux, recherche et plan du site ; leur adresse n'affichera plus que la date du retrait et ce motif :"),
        _("Retirer"),
        lambda a, user, data: workflow.withdraw(article=a, user=user, reason=data["reason"]),
        ngettext_lazy("%(count)d communiqué retiré du site.", "%(count)d communiqués retirés du site.", "count"),
        form_class=WithdrawForm,
    ),
    WorkflowAction(
        "translate", _("Traduire"), "change", _("Traduire"),
        _("Un brouillon de traduction, prérempli avec le texte de l'original et partageant ses photos, sera créé "
          "pour chacun de ces communiqués ; il sera publié avec son original :"),
        _("Créer les traductions"),
        lambda a, user, data: start_translation(original=a, language=data["language"], user=user),
        ngettext_lazy("%(count)d traduction créée (brouillon).", "%(count)d traductions créées (brouillons).", "count"),
        form_class=TranslateForm,
    ),
    WorkflowAction(
        "remove", _("Supprimer : publié par erreur (410)"), "publish", _("Supprimer un communiqué publié par erreur"),
        _("L'adresse de ces communiqués répondra « supprimé » (410), sans aucun contenu :"),
        _("Oui, supprimer"),
        lambda a, user, data: workflow.remove(article=a, user=user),
        ngettext_lazy("%(count)d communiqué supprimé.", "%(count)d communiqués supprimés.", "count"),
    ),
]


def confirm_and_run(modeladmin, request, queryset, spec: WorkflowAction):
    """The confirmation page, then the service on each selected release, each refusal reported."""
    confirmed = request.POST.get("confirm") == "yes"
    form = spec.form_class(request.POST if confirmed else None) if spec.form_class else None
    if confirmed and (form is None or form.is_valid()):
        done = 0
        for article in queryset:
            try:
                spec.run(article, request.user, form.cleaned_data if form else {})
                done += 1
            except (ValidationError, PermissionDenied) as error:
                text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
                modeladmin.message_user(request, f"« {article.title} » : {text}", messages.ERROR)
        if done:
            modeladmin.message_user(request, spec.done % {"count": done}, messages.SUCCESS)
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "opts": modeladmin.model._meta, "title": spec.title, "question": spec.question, "button": spec.button,
        "articles": queryset, "action": spec.name, "form": form,
        "media": modeladmin.media + (form.media if form else forms.Media()),
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "admin/articles/article/workflow_confirmation.html", context)


def admin_action(spec: WorkflowAction):
    """A ModelAdmin action (named after the row) that runs `spec`."""

    def action(modeladmin, request, queryset):
        return confirm_and_run(modeladmin, request, queryset, spec)

    action.__name__ = spec.name
    return admin.action(description=spec.description, permissions=[spec.permission])(action)
