"""The editors' admin, in French: releases with their photos and quotes, the photo library, people."""

from django.contrib import admin
from django.db import models
from django.db.models import Count, Prefetch
from django.utils import formats, timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .forms import PhotoAdminForm
from .models import Article, ArticlePhoto, Credit, Photo, PressContact, Quote, Rendition, Speaker

THUMB_SPEC = "thumb-jpeg"
THUMB_SIZE = 64


def thumb_renditions(photo_path: str = "") -> Prefetch:
    """Prefetch only the small square rendition: a list never loads a master or the other renditions."""
    return Prefetch(f"{photo_path}renditions", queryset=Rendition.objects.filter(spec=THUMB_SPEC))


def thumbnail(photo, size: int = THUMB_SIZE):
    """An <img> of `photo` for admin lists; uses the prefetched thumbnail rendition when present."""
    if photo is None:
        return None
    rendition = photo.rendition(THUMB_SPEC)
    if rendition is not None:
        url, width, height = rendition.file.url, size, size
    elif photo.image and photo.width and photo.height:
        # A photo saved before renditions existed: the master, scaled down by the browser.
        url, width, height = photo.image.url, size, max(1, round(photo.height * size / photo.width))
    else:
        return None
    return format_html(
        '<img src="{}" alt="{}" width="{}" height="{}" loading="lazy" style="object-fit: cover">',
        url, photo.alt_text, width, height,
    )


def local_datetime(value):
    """ "3 mars 2026 10:00 (Europe/Paris)": stored in UTC, shown in the site's zone, named."""
    if value is None:
        return None
    local = timezone.localtime(value)
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({timezone.get_current_timezone_name()})"


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


@admin.register(Photo)
class PhotoAdmin(admin.ModelAdmin):
    form = PhotoAdminForm
    list_display = ["list_thumbnail", "caption", "alt_text", "credit", "dimensions", "rights_expire_on", "created_at"]
    list_display_links = ["list_thumbnail", "caption"]
    list_filter = ["credit"]
    list_select_related = ["credit"]
    search_fields = ["caption", "alt_text", "credit__name"]
    autocomplete_fields = ["credit"]
    readonly_fields = ["preview", "dimensions", "created_at"]
    fieldsets = [
        (None, {"fields": ["image", "preview", "caption", "alt_text", "credit"]}),
        (_("Droits"), {"fields": ["licence", "rights_expire_on"]}),
        (_("Avancé"), {
            "classes": ["collapse"],
            "fields": ["focal_x", "focal_y", "dimensions", "created_at"],
            "description": _("Le point focal reste visible dans les recadrages (vignettes, carte de partage)."),
        }),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related(thumb_renditions())

    @admin.display(description=_("vignette"))
    def list_thumbnail(self, photo):
        return thumbnail(photo)

    @admin.display(description=_("aperçu"))
    def preview(self, photo):
        return thumbnail(photo, size=240) if photo.pk else _("L'aperçu apparaît après l'enregistrement.")

    @admin.display(description=_("dimensions (px)"))
    def dimensions(self, photo):
        return f"{photo.width} × {photo.height}" if photo.width and photo.height else None


@admin.register(Credit)
class CreditAdmin(admin.ModelAdmin):
    list_display = ["name", "organisation", "photo_count"]
    search_fields = ["name", "organisation"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}  # Django 6's default, today
    fieldsets = [
        (None, {"fields": ["name", "organisation", "url"]}),
        (_("Avancé"), {"classes": ["collapse"], "fields": ["slug"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(photo_count=Count("photos"))

    @admin.display(description=_("photos"), ordering="photo_count")
    def photo_count(self, credit):
        return credit.photo_count


@admin.register(Speaker)
class SpeakerAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "organisation"]
    search_fields = ["name", "role", "organisation"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(PressContact)
class PressContactAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "email", "phone"]
    search_fields = ["name", "role", "email"]
