"""The photo library and the credits."""

from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from ..forms import PhotoAdminForm
from ..models import Credit, Photo
from .common import thumb_renditions, thumbnail


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


