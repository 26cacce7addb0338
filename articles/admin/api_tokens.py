"""Partner API tokens: Publication issues them (shown once) and revokes them; the database keeps a hash."""

from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from ..api.models import ApiToken
from ..publishing.roles import can_publish
from .common import local_datetime


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix_shown", "created", "last_used", "is_active"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "prefix"]
    fields = ["name", "prefix_shown", "created_by", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["prefix_shown", "created_by", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    # Only Publication issues or revokes a partner's access.
    def has_module_permission(self, request):
        return can_publish(request.user) and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None):
        return can_publish(request.user) and super().has_view_permission(request, obj)

    def has_add_permission(self, request):
        return can_publish(request.user) and super().has_add_permission(request)

    def has_change_permission(self, request, obj=None):
        return can_publish(request.user) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, never deleted: who had access stays on record

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        token, raw = ApiToken.issue(name=obj.name, user=request.user)
        obj.pk, obj._state, obj._raw = token.pk, token._state, raw
        for field in ApiToken._meta.concrete_fields:
            setattr(obj, field.attname, getattr(token, field.attname))

    def response_add(self, request, obj, post_url_continue=None):
        return TemplateResponse(request, "admin/articles/shown_once.html", {
            **self.admin_site.each_context(request), "opts": self.opts, "object": obj, "title": str(obj),
            "heading": gettext("Jeton créé pour « %(name)s ».") % {"name": obj.name},
            "explanation": gettext("Copiez-le maintenant et transmettez-le au partenaire par un canal sûr : "
                                   "il ne sera plus jamais affiché (seule son empreinte est conservée)."),
            "label": gettext("Jeton d'API"), "secret": obj._raw,
        })

    @admin.display(description=_("début du jeton"))
    def prefix_shown(self, token):
        return f"{token.prefix}…" if token.prefix else "—"

    @admin.display(description=_("créé le"), ordering="created_at")
    def created(self, token):
        return local_datetime(token.created_at)

    @admin.display(description=_("dernière utilisation"), ordering="last_used_at")
    def last_used(self, token):
        return local_datetime(token.last_used_at) if token.last_used_at else "—"

    @admin.display(description=_("actif"), boolean=True)
    def is_active(self, token):
        return token.revoked_at is None

    @admin.action(description=_("Révoquer les jetons sélectionnés"), permissions=["change"])
    def revoke(self, request, queryset):
        tokens = list(queryset.filter(revoked_at__isnull=True))
        for token in tokens:
            token.revoke()
        self.message_user(request, ngettext("%(count)d jeton révoqué.", "%(count)d jetons révoqués.", len(tokens))
                          % {"count": len(tokens)})
