"""What a release form holds besides its own fields: photos, quotes and embargo links."""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from ..models import MAX_QUOTES_PER_ARTICLE, Article, ArticlePhoto, EmbargoLink, Quote, too_many_quotes_message
from ..publishing import embargo, workflow
from .article_forms import ParisDateTimeField
from .article_photo_upload import UPLOAD_FIELDS, ArticlePhotoForm
from .common import local_datetime, thumb_renditions, thumbnail
from .embargo import CheckedLinkForm, embargo_form_for
from .widgets import AdminSplitDateTime, LabelledInlineFormSet, SpellcheckedTextMixin

S = Article.Status


class ArticlePhotoFormSet(LabelledInlineFormSet):
    """A release published with these photos must be allowed to show them (credit, rights)."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # The credit an import read without a photo is proposed for the next photo added here.
        pending = getattr(self.instance, "pending_credit", None)
        if pending is not None and "upload_credit" in form.fields:
            form.fields["upload_credit"].initial = pending.name

    def clean(self):
        super().clean()
        article = self.instance
        if article.status != S.PUBLISHED:
            return
        on = workflow.publication_day(article.publish_at)
        problems = []
        for form in self.forms:
            photo = form.cleaned_data.get("photo") if hasattr(form, "cleaned_data") else None
            if photo and not form.cleaned_data.get("DELETE"):
                problem = photo.publication_problem(on)
                if problem:
                    problems.append(problem)
        if problems:
            raise ValidationError([gettext("Ce communiqué ne peut pas être publié :")] + problems)


class QuoteFormSet(LabelledInlineFormSet):
    """At most MAX_QUOTES_PER_ARTICLE quotes (the domain's rule), said in the editor's words."""

    def clean(self):
        super().clean()
        kept = [f for f in self.forms if f.has_changed() or f.instance.pk]
        kept = [f for f in kept if not (hasattr(f, "cleaned_data") and f.cleaned_data.get("DELETE"))]
        if len(kept) > MAX_QUOTES_PER_ARTICLE:
            raise ValidationError(too_many_quotes_message(len(kept)), code="too_many_quotes")


class QuoteInline(SpellcheckedTextMixin, admin.TabularInline):
    model = Quote
    formset = QuoteFormSet
    fields = ["position", "speaker", "text"]
    autocomplete_fields = ["speaker"]
    ordering = ["position", "id"]
    extra = 1
    # The "add another" link stops at the cap; QuoteFormSet.clean refuses a post past it.
    max_num = MAX_QUOTES_PER_ARTICLE

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("help_texts", {"position": _("Les citations s'affichent dans cet ordre, la plus petite d'abord.")})
        return super().get_formset(request, obj, **kwargs)


class ArticlePhotoInline(admin.StackedInline):
    model = ArticlePhoto
    form = ArticlePhotoForm
    formset = ArticlePhotoFormSet
    # A photo of the library, or a new one with its texts typed in place (article_photo_upload.py).
    fieldsets = [
        (None, {"fields": ["position", "photo", "preview"]}),
        (_("Ou une nouvelle photo"), {"fields": UPLOAD_FIELDS, "classes": ["new-photo"]}),
    ]
    readonly_fields = ["preview", "original_texts"]
    autocomplete_fields = ["photo"]
    ordering = ["position", "id"]
    extra = 1

    # A translation writes its own caption and alt text under each shared photo (issue #14),
    # with the original's beside them; an original's are the photo's own (the photo library).
    translation_fieldset = (_("Légende et texte alternatif de la traduction"),
                            {"fields": ["original_texts", "caption", "alt_text"]})

    def get_fieldsets(self, request, obj=None):
        if obj is not None and obj.translation_of_id:
            return [*self.fieldsets, self.translation_fieldset]
        return self.fieldsets

    def get_queryset(self, request):
        return (super().get_queryset(request).select_related("photo", "article")
                .prefetch_related(thumb_renditions("photo__")))

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault(
            "help_texts",
            {"position": _("La photo de plus petit ordre est la photo principale (en tête du communiqué et dans les listes).")},
        )
        return super().get_formset(request, obj, **kwargs)

    @admin.display(description=_("aperçu"))
    def preview(self, placement):
        return thumbnail(placement.photo) if placement.pk else ""

    @admin.display(description=_("l'original"))
    def original_texts(self, placement):
        """The photo's caption and alt text (French) beside the fields, and what the public sees meanwhile."""
        if not placement.pk:
            return _("La légende originale apparaît après l'enregistrement.")
        photo = placement.photo
        missing = [label for label, fallback in ((gettext("légende"), placement.caption_fallback),
                                                 (gettext("texte alternatif"), placement.alt_text_fallback)) if fallback]
        warning = (format_html('<br><strong class="untranslated">{}</strong>',
                               gettext("Non traduit (%(what)s) : le public voit l'original en français.")
                               % {"what": ", ".join(missing)}) if missing else "")
        return format_html('<span lang="fr">{} : « {} »<br>{} : « {} »</span>{}',
                           gettext("Légende"), photo.caption or "—", gettext("Texte alternatif"), photo.alt_text or "—",
                           warning)


class EmbargoLinkForm(CheckedLinkForm):
    revoke = forms.BooleanField(label=_("révoquer"), required=False)
    expires_at = ParisDateTimeField(label=_("Expire le"), widget=AdminSplitDateTime)

    class Meta:
        model = EmbargoLink
        fields = ["recipient_name", "recipient_email", "expires_at"]


class EmbargoLinkInline(admin.TabularInline):
    """Links for named journalists; only Publication holds the embargo-link permissions."""

    model = EmbargoLink
    form = EmbargoLinkForm
    formset = LabelledInlineFormSet
    fields = ["recipient_name", "recipient_email", "expires_at", "copyable_url", "visit_summary", "revoked_at", "revoke"]
    readonly_fields = ["copyable_url", "visit_summary", "revoked_at"]
    extra = 0
    can_delete = False  # revoke instead: the visit log stays

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("article").prefetch_related("visits")

    def get_formset(self, request, obj=None, **kwargs):
        kwargs["form"] = embargo_form_for(self.form, request)
        return super().get_formset(request, obj, **kwargs)

    @admin.display(description=_("lien à envoyer"))
    def copyable_url(self, link):
        if not link.pk:
            return _("Le lien apparaît après l'enregistrement.")
        if not embargo.is_active(link):
            return _("Lien inactif (expiré ou révoqué).")
        return format_html('<input type="text" readonly value="{}" size="50" data-select-on-click aria-label="{}">',
                           embargo.link_url(link), gettext("Lien sous embargo à copier"))

    @admin.display(description=_("consultations"))
    def visit_summary(self, link):
        if not link.pk:
            return ""
        visits = list(link.visits.all())
        if not visits:
            return _("Jamais ouvert")
        return ngettext("%(count)d consultation, la dernière le %(when)s", "%(count)d consultations, la dernière le %(when)s", len(visits)) % {
            "count": len(visits), "when": local_datetime(visits[0].visited_at),
        }
