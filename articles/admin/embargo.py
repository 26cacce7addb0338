"""Embargo links and their visits: who received a release early, who opened it and when."""

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from .. import embargo
from ..models import EmbargoLink, EmbargoVisit
from .common import local_datetime


class EmbargoVisitInline(admin.TabularInline):
    model = EmbargoVisit
    fields = ["visited_at", "ip_address", "user_agent"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # visits are logged by the link itself, never typed in


@admin.register(EmbargoLink)
class EmbargoLinkAdmin(admin.ModelAdmin):
    list_display = ["recipient_name", "article", "expires", "is_active", "visit_count", "copyable_url"]
    list_filter = ["revoked_at"]
    list_select_related = ["article"]
    search_fields = ["recipient_name", "recipient_email", "article__title"]
    autocomplete_fields = ["article"]
    readonly_fields = ["copyable_url", "revoked_at", "created_by", "created_at"]
    fields = ["article", "recipient_name", "recipient_email", "expires_at", "copyable_url", "revoked_at", "created_by", "created_at"]
    inlines = [EmbargoVisitInline]
    actions = ["revoke"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("expire le"), ordering="expires_at")
    def expires(self, link):
        return local_datetime(link.expires_at)

    @admin.display(description=_("actif"), boolean=True)
    def is_active(self, link):
        return embargo.is_active(link)

    @admin.display(description=_("consultations"))
    def visit_count(self, link):
        return link.visits.count()

    @admin.display(description=_("lien à envoyer"))
    def copyable_url(self, link):
        if not link.pk:
            return _("Le lien apparaît après l'enregistrement.")
        return format_html('<input type="text" readonly value="{}" size="60" onclick="this.select()" aria-label="{}">',
                           embargo.link_url(link), gettext("Lien sous embargo à copier"))

    @admin.action(description=_("Révoquer les liens sélectionnés"), permissions=["change"])
    def revoke(self, request, queryset):
        count = queryset.filter(revoked_at__isnull=True).update(revoked_at=timezone.now())
        self.message_user(request, ngettext("%(count)d lien révoqué : il ne s'ouvre plus.",
                                            "%(count)d liens révoqués : ils ne s'ouvrent plus.", count) % {"count": count})
