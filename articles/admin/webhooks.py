"""Webhooks: Publication registers endpoints (secret shown once), reads the delivery log and resends.

The rules (SSRF guard, retries, disabling after repeated failures) live in articles/webhooks/;
this page only shows them and calls them.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from ..models import ReleaseEvent
from ..publishing.roles import can_publish
from ..webhooks import services
from ..webhooks.addresses import UnsafeAddress, resolve
from ..webhooks.models import WebhookDelivery, WebhookEndpoint
from .common import local_datetime


class PublicationOnly:
    """Webhooks send releases out of the house: Publication's business, not Rédaction's."""

    def has_module_permission(self, request):
        return can_publish(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return can_publish(request.user) and super().has_view_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return can_publish(request.user) and super().has_change_permission(request, obj)


class EndpointForm(forms.ModelForm):
    url = forms.URLField(label=_("adresse"), max_length=500, assume_scheme="https",
                         help_text=_("HTTPS de préférence ; reçoit un POST JSON signé."))
    events = forms.MultipleChoiceField(
        label=_("événements"), choices=ReleaseEvent.Kind.choices, widget=forms.CheckboxSelectMultiple,
        help_text=_("Les événements envoyés à cette adresse."),
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["url", "description", "events", "is_active"]

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            resolve(url)
        except UnsafeAddress as exc:
            raise forms.ValidationError(str(exc)) from None
        return url


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(PublicationOnly, admin.ModelAdmin):
    form = EndpointForm
    list_display = ["url", "description", "is_active", "state", "consecutive_failures", "log"]
    list_filter = ["is_active"]
    search_fields = ["url", "description"]
    readonly_fields = ["state", "consecutive_failures", "created_by", "created_at", "log"]
    fields = ["url", "description", "events", "is_active", "state", "consecutive_failures", "created_by", "created_at", "log"]

    def has_add_permission(self, request):
        return can_publish(request.user) and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return can_publish(request.user) and super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    def response_add(self, request, obj, post_url_continue=None):
        return TemplateResponse(request, "admin/articles/shown_once.html", {
            **self.admin_site.each_context(request), "opts": self.opts, "object": obj, "title": str(obj),
            "heading": gettext("Webhook enregistré pour %(url)s.") % {"url": obj.url},
            "explanation": gettext("Voici son secret de signature (Standard Webhooks) : donnez-le au destinataire, "
                                   "qui vérifie avec lui l'en-tête webhook-signature. Il ne sera plus affiché."),
            "label": gettext("Secret de signature"), "secret": obj.secret,
        })

    def changelist_view(self, request, extra_context=None):
        disabled = WebhookEndpoint.objects.filter(is_active=False, disabled_at__isnull=False)
        for endpoint in disabled[:5]:
            self.message_user(request, gettext("Le webhook %(url)s est désactivé : %(reason)s Corrigez le destinataire, "
                                               "puis cochez « actif » pour le réactiver.")
                              % {"url": endpoint.url, "reason": endpoint.disabled_reason}, messages.WARNING)
        return super().changelist_view(request, extra_context)

    @admin.display(description=_("état"))
    def state(self, endpoint):
        if endpoint.is_active:
            return gettext("Actif")
        if endpoint.disabled_at:
            return gettext("Désactivé le %(when)s : %(reason)s") % {
                "when": local_datetime(endpoint.disabled_at), "reason": endpoint.disabled_reason}
        return gettext("Désactivé")

    @admin.display(description=_("journal"))
    def log(self, endpoint):
        if not endpoint.pk:
            return "—"
        url = reverse("admin:articles_webhookdelivery_changelist") + "?" + urlencode({"endpoint__id__exact": endpoint.pk})
        return format_html('<a href="{}">{}</a>', url, gettext("Envois"))


class DeliveryReleaseFilter(admin.SimpleListFilter):
    """By release, without listing 100,000 titles: only the one chosen from the list (as the audit log)."""

    title = _("communiqué")
    parameter_name = "article"

    def article_id(self):
        value = self.value() or ""
        return int(value) if value.isascii() and value.isdigit() and len(value) < 19 else None

    def lookups(self, request, model_admin):
        article_id = self.article_id()
        if article_id is None:
            return []
        delivery = WebhookDelivery.objects.filter(article_id=article_id).select_related("article").first()
        return [(self.value(), delivery.article.title if delivery and delivery.article else self.value())]

    def has_output(self):
        return True

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        article_id = self.article_id()
        return queryset.none() if article_id is None else queryset.filter(article_id=article_id)


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(PublicationOnly, admin.ModelAdmin):
    list_display = ["created", "endpoint", "event_type", "release", "state", "attempts", "response_code",
                    "duration_ms", "excerpt"]
    list_filter = ["state", "event_type", ("endpoint", admin.RelatedOnlyFieldListFilter), DeliveryReleaseFilter]
    list_select_related = ["endpoint", "article"]
    search_fields = ["article__title", "message_id", "endpoint__url"]
    show_full_result_count = False
    actions = ["resend"]
    fields = ["endpoint", "event_type", "article", "message_id", "state", "attempts", "last_attempt_at",
              "next_attempt_at", "response_code", "duration_ms", "response_excerpt", "error", "body"]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False  # deliveries come from release events only

    def has_delete_permission(self, request, obj=None):
        return False  # the log is a record

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        if request.method == "POST":
            raise PermissionDenied  # every field is read-only: a POST here can only be crafted
        return super().changeform_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("créé le"), ordering="created_at")
    def created(self, delivery):
        return local_datetime(delivery.created_at)

    @admin.display(description=_("communiqué"))
    def release(self, delivery):
        if delivery.article_id is None:
            return "—"
        url = reverse("admin:articles_webhookdelivery_changelist") + "?" + urlencode({"article": delivery.article_id})
        return format_html('<a href="{}" title="{}">{}</a>', url, gettext("Les envois de ce communiqué"),
                           delivery.article.title)

    @admin.display(description=_("extrait de la réponse"))
    def excerpt(self, delivery):
        return (delivery.error or delivery.response_excerpt)[:80] or "—"

    @admin.action(description=_("Renvoyer les envois sélectionnés"), permissions=["change"])
    def resend(self, request, queryset):
        sent = refused = 0
        for delivery in queryset.select_related("endpoint"):
            if services.resend(delivery):
                sent += 1
            else:
                refused += 1
        if sent:
            self.message_user(request, ngettext("%(count)d envoi relancé.", "%(count)d envois relancés.", sent)
                              % {"count": sent})
        if refused:
            self.message_user(request, ngettext(
                "%(count)d envoi non relancé : son webhook est désactivé.",
                "%(count)d envois non relancés : leur webhook est désactivé.", refused) % {"count": refused},
                messages.WARNING)
