"""Releases in the admin: list, form, quote and photo inlines."""

from django.contrib import admin
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ..models import Article, ArticlePhoto, Quote
from .common import local_datetime, thumb_renditions, thumbnail


class QuoteInline(admin.TabularInline):
    model = Quote
    fields = ["position", "speaker", "text"]
    autocomplete_fields = ["speaker"]
    ordering = ["position", "id"]
    extra = 1

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault("help_texts", {"position": _("Les citations s'affichent dans cet ordre, la plus petite d'abord.")})
        return super().get_formset(request, obj, **kwargs)


class ArticlePhotoInline(admin.TabularInline):
    model = ArticlePhoto
    fields = ["position", "photo", "preview"]
    readonly_fields = ["preview"]
    autocomplete_fields = ["photo"]
    ordering = ["position", "id"]
    extra = 1

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("photo").prefetch_related(thumb_renditions("photo__"))

    def get_formset(self, request, obj=None, **kwargs):
        kwargs.setdefault(
            "help_texts",
            {"position": _("La photo de plus petit ordre est la photo principale (en tête du communiqué et dans les listes).")},
        )
        return super().get_formset(request, obj, **kwargs)

    @admin.display(description=_("aperçu"))
    def preview(self, placement):
        return thumbnail(placement.photo) if placement.pk else ""


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "is_online", "publication", "tag_list", "lead_thumbnail", "updated_at"]
    list_filter = ["status", "tags", "publish_at", "language"]
    date_hierarchy = "publish_at"
    search_fields = ["title", "standfirst", "body", "quotes__speaker__name"]
    search_help_text = _("Cherche dans le titre, le chapô, le texte et le nom des personnes citées.")
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["press_contacts"]
    readonly_fields = ["public_link", "created_at", "created_by", "updated_at", "updated_by"]
    fieldsets = [
        (None, {"fields": ["title", "standfirst", "body", "location"]}),
        (_("Publication"), {
            "fields": ["status", "publish_at", "public_link"],
            "description": _("Un communiqué est visible du public quand il est « Publié » et que sa date est passée."),
        }),
        (_("Classement et contacts"), {"fields": ["tags", "press_contacts"]}),
        (_("Avancé"), {
            "classes": ["collapse"],
            "fields": ["slug", "language", "created_at", "created_by", "updated_at", "updated_by"],
        }),
    ]
    inlines = [ArticlePhotoInline, QuoteInline]
    actions = ["withdraw"]

    def get_queryset(self, request):
        # Tags, lead photo and its thumbnail come from a fixed number of queries, whatever the page size.
        return super().get_queryset(request).with_cards().prefetch_related("tags")

    def view_on_site(self, obj):
        # The public page of a draft or embargoed release is a 404: offer the link only once it is live.
        return obj.get_absolute_url() if obj.is_public() else None

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)

    @admin.display(description=_("en ligne"), boolean=True)
    def is_online(self, obj):
        return obj.is_public()

    @admin.display(description=_("date de publication"), ordering="publish_at", empty_value=_("non programmée"))
    def publication(self, obj):
        return local_datetime(obj.publish_at)

    @admin.display(description=_("mots-clés"))
    def tag_list(self, obj):
        # By slug, so that "Économie" sorts with the E's rather than after Z.
        return ", ".join(tag.name for tag in sorted(obj.tags.all(), key=lambda tag: tag.slug))

    @admin.display(description=_("photo principale"))
    def lead_thumbnail(self, obj):
        return thumbnail(obj.lead_photo)

    @admin.display(description=_("page publique"))
    def public_link(self, obj):
        if obj.pk and obj.is_public():
            return format_html('<a href="{}" target="_blank" rel="noopener">{}</a>', obj.get_absolute_url(), _("Ouvrir la page publique"))
        if obj.pk and obj.status == Article.Status.PUBLISHED and obj.publish_at:
            return _("Pas encore public : sous embargo jusqu'au %(date)s.") % {"date": local_datetime(obj.publish_at)}
        return _("Pas encore public.")

    @admin.action(description=_("Retirer les communiqués sélectionnés du site"), permissions=["change"])
    def withdraw(self, request, queryset):
        # update() skips save() and its auto_now: set the audit fields here.
        count = queryset.exclude(status=Article.Status.WITHDRAWN).update(
            status=Article.Status.WITHDRAWN, updated_at=timezone.now(), updated_by=request.user
        )
        self.message_user(
            request,
            ngettext("%(count)d communiqué retiré du site.", "%(count)d communiqués retirés du site.", count)
            % {"count": count},
        )


