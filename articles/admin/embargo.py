"""Embargo links and their visits: who received a release early, who opened it and when.

Links are created and revoked by articles/embargo.py alone (create_link, revoke), from
this page as from the release's own page: the publisher check, the expiry in the
future, the recipient's name and the audit log are the same whichever way was used.
"""

from django import forms
from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from ..models import EmbargoLink, EmbargoVisit
from ..publishing import embargo
from .common import local_datetime


class EmbargoVisitInline(admin.TabularInline):
    model = EmbargoVisit
    fields = ["visited_at", "ip_address", "user_agent"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False  # visits are logged by the link itself, never typed in


class CheckedLinkForm(forms.ModelForm):
    """A link form that says, beside its fields, why embargo.create_link would refuse it.

    `user` is set per request (embargo_form_for). The expiry must be in the future
    when it is set or changed; an expired link can still get a new e-mail address.
    """

    user = None

    def clean(self):
        cleaned = super().clean()
        if self.has_error("recipient_name") or self.has_error("expires_at"):
            return cleaned  # the field's own error ("required", a bad date) says it already
        new = self.instance.pk is None
        if new or {"recipient_name", "expires_at"} & set(self.changed_data):
            embargo.check_link(
                user=self.user,
                recipient_name=cleaned.get("recipient_name", ""),
                expires_at=cleaned.get("expires_at") if new or "expires_at" in self.changed_data else None,
            )
        return cleaned


def embargo_form_for(form_class, request):
    """`form_class` bound to the user of this request, for CheckedLinkForm.clean."""
    return type(form_class.__name__, (form_class,), {"user": request.user})


def adopt(obj: EmbargoLink, link: EmbargoLink) -> None:
    """Make the admin's unsaved `obj` the row embargo.create_link saved (for its log and redirect)."""
    for field in EmbargoLink._meta.concrete_fields:
        setattr(obj, field.attname, getattr(link, field.attname))
    obj._state = link._state


@admin.register(EmbargoLink)
class EmbargoLinkAdmin(admin.ModelAdmin):
    list_display = ["recipient_name", "article", "expires", "is_active", "visit_count", "copyable_url"]
    list_filter = ["revoked_at"]
    list_select_related = ["article"]
    search_fields = ["recipient_name", "recipient_email", "article__title"]
    autocomplete_fields = ["article"]
    readonly_fields = ["copyable_url", "revoked_at", "revoked_by", "revocation_reason", "created_by", "created_at"]
    fields = ["article", "recipient_name", "recipient_email", "expires_at", "copyable_url",
              "revoked_at", "revoked_by", "revocation_reason", "created_by", "created_at"]
    inlines = [EmbargoVisitInline]
    actions = ["revoke"]
    form = CheckedLinkForm

    def get_form(self, request, obj=None, change=False, **kwargs):
        return embargo_form_for(super().get_form(request, obj, change=change, **kwargs), request)

    def get_readonly_fields(self, request, obj=None):
        # A link is signed for its release: it is never moved to another one.
        return [*super().get_readonly_fields(request, obj), *(["article"] if obj is not None else [])]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        adopt(obj, embargo.create_link(
            article=obj.article, user=request.user, recipient_name=obj.recipient_name,
            recipient_email=obj.recipient_email, expires_at=obj.expires_at,
        ))

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
        return format_html('<input type="text" readonly value="{}" size="60" data-select-on-click aria-label="{}">',
                           embargo.link_url(link), gettext("Lien sous embargo à copier"))

    @admin.action(description=_("Révoquer les liens sélectionnés"), permissions=["change"])
    def revoke(self, request, queryset):
        count = sum(embargo.revoke(link=link, user=request.user) for link in queryset.filter(revoked_at__isnull=True))
        self.message_user(request, ngettext("%(count)d lien révoqué : il ne s'ouvre plus.",
                                            "%(count)d liens révoqués : ils ne s'ouvrent plus.", count) % {"count": count})
