"""E-mail in the admin, for Publication: subscribers (export, erase), press lists and journalists,
embargo notices, and every message's status per recipient, filtered by release.

The admin holds no rule: erasing, sending under embargo and correction notices are
articles/alerts/ services, with the user as a parameter.
"""

import json

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import HttpResponse
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from ..admin.common import local_datetime
from . import press, subscriptions
from .models import Delivery, EmbargoNotice, Journalist, PressList, Subscriber


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Subscriber)
class SubscriberAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["email", "is_active", "frequency", "confirmed_at", "unsubscribed_at", "created_at"]
    list_filter = ["frequency", "all_releases", ("confirmed_at", admin.EmptyFieldListFilter),
                   ("unsubscribed_at", admin.EmptyFieldListFilter)]
    search_fields = ["email"]
    fields = ["email", "all_releases", "tags", "speakers", "language", "frequency", "created_at", "consent_at",
              "consent_ip", "consent_version", "confirmation_sent_at", "confirmed_at", "confirmed_ip", "unsubscribed_at"]
    readonly_fields = fields
    actions = ["export", "erase"]

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # erasing goes through subscriptions.erase
        return actions

    def delete_model(self, request, obj):
        # The object's own "Supprimer" page erases as the action does: the address leaves the deliveries too.
        subscriptions.erase(subscriber=obj, user=request.user)

    def delete_queryset(self, request, queryset):
        for subscriber in queryset:
            subscriptions.erase(subscriber=subscriber, user=request.user)

    @admin.display(description=_("actif"), boolean=True)
    def is_active(self, subscriber):
        return subscriber.is_active

    @admin.action(description=_("Exporter les données des abonnés sélectionnés (RGPD, JSON)"), permissions=["view"])
    def export(self, request, queryset):
        data = [subscriptions.export(s) for s in queryset.prefetch_related("tags", "speakers")]
        response = HttpResponse(json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="abonnes.json"'
        return response

    @admin.action(description=_("Effacer les abonnés sélectionnés (RGPD)"), permissions=["delete"])
    def erase(self, request, queryset):
        count = 0
        for subscriber in queryset:
            subscriptions.erase(subscriber=subscriber, user=request.user)
            count += 1
        self.message_user(request, ngettext("%(count)d abonné effacé.", "%(count)d abonnés effacés.", count) % {"count": count})


@admin.register(PressList)
class PressListAdmin(admin.ModelAdmin):
    list_display = ["name", "journalist_count"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(journalist_total=Count("journalists"))

    @admin.display(description=_("journalistes"), ordering="journalist_total")
    def journalist_count(self, press_list):
        return press_list.journalist_total


@admin.register(Journalist)
class JournalistAdmin(admin.ModelAdmin):
    list_display = ["name", "outlet", "email", "language"]
    list_filter = ["lists", "language"]
    search_fields = ["name", "outlet", "email"]
    filter_horizontal = ["lists", "beats"]


class DeliveryInline(admin.TabularInline):
    model = Delivery
    fields = ["journalist", "recipient", "status", "sent_at", "opened"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    @admin.display(description=_("lien ouvert"))
    def opened(self, delivery):
        if delivery.embargo_link_id is None:
            return "—"
        visits = list(delivery.embargo_link.visits.values_list("visited_at", flat=True)[:5])
        if not visits:
            return gettext("jamais")
        return format_html_join(", ", "{}", ((local_datetime(v),) for v in visits))


@admin.register(EmbargoNotice)
class EmbargoNoticeAdmin(admin.ModelAdmin):
    """Sending a scheduled release to press lists: the add form calls press.send_notice."""

    list_display = ["article", "sent_at", "sent_by", "recipient_count"]
    list_select_related = ["article", "sent_by"]
    autocomplete_fields = ["article"]
    filter_horizontal = ["lists"]
    fields = ["article", "lists", "expires_at"]
    inlines = [DeliveryInline]

    def has_change_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return self.fields if obj is not None else []

    @admin.display(description=_("destinataires"))
    def recipient_count(self, notice):
        return notice.deliveries.count()

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        user = request.user

        class CheckedNoticeForm(form):
            def clean(self):
                cleaned = super().clean()
                article = cleaned.get("article")
                if article is not None:
                    try:
                        press.check_notice(article=article, user=user, expires_at=cleaned.get("expires_at"))
                    except ValidationError as exc:
                        self.add_error(None, exc)
                    except PermissionDenied:
                        self.add_error(None, gettext("Seule l'équipe Publication envoie un communiqué sous embargo."))
                return cleaned

        return CheckedNoticeForm

    def save_model(self, request, obj, form, change):
        notice = press.send_notice(article=obj.article, lists=list(form.cleaned_data["lists"]), user=request.user,
                                   expires_at=obj.expires_at)
        obj.pk, obj._state = notice.pk, notice._state
        obj.sent_at, obj.sent_by = notice.sent_at, notice.sent_by

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else []  # the deliveries exist once the notice is sent


@admin.register(Delivery)
class DeliveryAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Every message and its status per recipient; the release's page links here, filtered."""

    list_display = ["recipient", "kind", "article", "status", "sent_at", "attempts", "short_error"]
    list_filter = ["status", "kind"]
    list_select_related = ["article"]
    search_fields = ["recipient", "article__title"]
    fields = ["kind", "article", "publication", "recipient", "detail", "status", "attempts", "created_at", "sent_at",
              "error"]
    readonly_fields = fields

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("erreur"))
    def short_error(self, delivery):
        return delivery.error[:80]


def delivery_summary(article) -> str:
    """The release page's line: messages per status, linking to the per-recipient list."""
    if article is None or article.pk is None:
        return "—"
    counts = Delivery.objects.filter(article=article).aggregate(
        **{status: Count("pk", filter=Q(status=status)) for status in Delivery.Status.values}
    )
    if not any(counts.values()):
        return gettext("Aucun courriel envoyé pour ce communiqué.")
    url = reverse("admin:articles_delivery_changelist") + f"?article__id__exact={article.pk}"
    labels = dict(Delivery.Status.choices)
    summary = ", ".join(f"{labels[s]} : {n}" for s, n in counts.items() if n)
    return format_html('{} — <a href="{}">{}</a>', summary, url, gettext("voir chaque destinataire"))


def correction_action():
    @admin.action(description=_("Envoyer un avis de correction aux abonnés qui l'ont reçu"), permissions=["publish"])
    def send_correction(modeladmin, request, queryset):
        from .planning import plan_correction

        total = 0
        for article in queryset:
            try:
                total += plan_correction(article=article, user=request.user)
            except PermissionDenied:
                modeladmin.message_user(request, gettext("Seule l'équipe Publication envoie un avis de correction."),
                                        messages.ERROR)
                return
        modeladmin.message_user(request, ngettext(
            "Avis de correction prévu pour %(count)d abonné.", "Avis de correction prévu pour %(count)d abonnés.", total,
        ) % {"count": total})

    return send_correction
