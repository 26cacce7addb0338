"""The audit log, read-only: Publication reads it, nobody (superusers included) adds, changes or deletes a line.

Entries are written by articles/audit.py alone. Filters: by action, by person (the
staff users: a few dozen) and by release. A release filter listing every release
would load 100,000 titles on each page, so releases are picked from the list
itself (each title filters on its release) or found with the search box, and the
filter shows only the release chosen.
"""

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.html import format_html
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from ..models import AuditEntry
from .common import local_datetime


class ReleaseFilter(admin.SimpleListFilter):
    """Filter by release, without listing every release: it offers only the one chosen."""

    title = _("communiqué")
    parameter_name = "article"

    def article_id(self) -> int | None:
        value = self.value() or ""
        # ASCII digits only: "²".isdigit() is true, and int("²") would be a 500.
        return int(value) if value.isascii() and value.isdigit() else None

    def lookups(self, request, model_admin):
        article_id = self.article_id()
        if article_id is None:
            return []
        entry = AuditEntry.objects.filter(article_id=article_id).only("article_title").first()
        return [(self.value(), entry.article_title if entry else self.value())]

    def has_output(self):
        return True  # the heading stays, with "Tous" to leave the filter

    def queryset(self, request, queryset):
        if self.value() is None:
            return queryset
        article_id = self.article_id()
        return queryset.none() if article_id is None else queryset.filter(article_id=article_id)


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["when", "action", "person", "release", "detail", "ip_address"]
    list_filter = ["action", ("actor", admin.RelatedOnlyFieldListFilter), ReleaseFilter]
    search_fields = ["article_title", "actor_username", "detail"]
    search_help_text = _("Cherche dans le titre du communiqué, l'identifiant de la personne et le détail.")
    ordering = ["-at", "-id"]
    list_select_related = False  # every column is a copy in the row itself
    list_per_page = 100
    show_full_result_count = False  # no COUNT(*) over the whole log on each page
    actions = None
    fields = ["when", "action", "person", "release", "detail", "ip_address"]
    readonly_fields = fields

    # --- Read-only for everyone ----------------------------------------------------------------

    def has_view_permission(self, request, obj=None):
        # The view permission only: a "change" permission given by mistake must not open it.
        return request.user.is_active and request.user.has_perm("articles.view_auditentry")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def changelist_view(self, request, extra_context=None):
        if request.method == "POST":
            raise PermissionDenied  # no action, no list editing: a POST here can only be crafted
        return super().changelist_view(request, extra_context)

    # --- Columns --------------------------------------------------------------------------------

    @admin.display(description=_("date (heure de Paris)"), ordering="at")
    def when(self, entry):
        return local_datetime(entry.at)

    @admin.display(description=_("personne"), ordering="actor_username")
    def person(self, entry):
        return entry.actor_username or "—"

    @admin.display(description=_("communiqué"), ordering="article_title")
    def release(self, entry):
        if entry.article_id is None:
            return entry.article_title or "—"
        url = reverse("admin:articles_auditentry_changelist") + "?" + urlencode({"article": entry.article_id})
        return format_html('<a href="{}" title="{}">{}</a>', url, _("Filtrer le journal sur ce communiqué"),
                           entry.article_title)
