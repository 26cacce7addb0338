"""The press room's vocabulary: articles (releases), photos and their credits,
speakers and their quotes, press contacts, tags."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from .images import validate_photo
from .querysets import ArticleQuerySet, QuoteQuerySet
from .sanitize import sanitize_html
from .slugs import unique_slug


class Credit(models.Model):
    """A photographer or agency, spelled once and reused by every photo it took."""

    name = models.CharField(_("nom"), max_length=200, unique=True)
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    url = models.URLField(_("lien"), blank=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("crédit photo")
        verbose_name_plural = _("crédits photo")

    def __str__(self):
        return f"{self.name} ({self.organisation})" if self.organisation else self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Credit, self.name, exclude_pk=self.pk)
        super().save(*args, **kwargs)


def photo_upload_to(instance, filename: str) -> str:
    """A random name: an embargoed photo's URL cannot be guessed from its original file name."""
    ext = PurePath(filename).suffix.lower().lstrip(".")
    ext = {"jpeg": "jpg"}.get(ext, ext)
    if ext not in {"jpg", "png", "webp"}:
        ext = "img"
    return f"photos/{uuid.uuid4().hex}.{ext}"


class Photo(models.Model):
    """A photo of the library; one photo can illustrate several articles."""

    image = models.ImageField(
        _("image"),
        upload_to=photo_upload_to,
        width_field="width",
        height_field="height",
        validators=[validate_photo],
        help_text=_("JPEG, PNG ou WebP ; 25 Mo et 40 mégapixels au plus."),
    )
    width = models.PositiveIntegerField(_("largeur"), editable=False, null=True)
    height = models.PositiveIntegerField(_("hauteur"), editable=False, null=True)
    caption = models.CharField(_("légende"), max_length=300, blank=True)
    alt_text = models.CharField(
        _("texte alternatif"),
        max_length=250,
        help_text=_("Décrit l'image pour qui ne la voit pas (lecteurs d'écran)."),
    )
    credit = models.ForeignKey(
        Credit,
        verbose_name=_("crédit"),
        on_delete=models.PROTECT,
        related_name="photos",
        help_text=_("Obligatoire : le photographe ou l'agence, affiché avec chaque image."),
    )
    created_at = models.DateTimeField(_("ajoutée le"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.caption or self.alt_text


class Speaker(models.Model):
    """A person quoted in releases: name and role as they appear under a quote."""

    name = models.CharField(_("nom"), max_length=200)
    role = models.CharField(
        _("fonction"),
        max_length=300,
        blank=True,
        help_text=_("Par exemple : présidente de la Région Occitanie / Pyrénées-Méditerranée."),
    )
    organisation = models.CharField(_("organisation"), max_length=200, blank=True)
    slug = models.SlugField(_("slug"), max_length=200, unique=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("intervenant")
        verbose_name_plural = _("intervenants")

    def __str__(self):
        return f"{self.name}, {self.role}" if self.role else self.name

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Speaker, self.name, exclude_pk=self.pk)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:speaker-detail", args=[self.slug])


class PressContact(models.Model):
    name = models.CharField(_("nom"), max_length=200)
    role = models.CharField(_("fonction"), max_length=200, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("contact presse")
        verbose_name_plural = _("contacts presse")

    def __str__(self):
        return f"{self.name} ({self.role})" if self.role else self.name


class TaggedArticle(TaggedItemBase):
    """Tags through a real foreign key, so tag pages can join on public articles."""

    content_object = models.ForeignKey("Article", on_delete=models.CASCADE)

    class Meta:
        verbose_name = _("mot-clé d'article")
        verbose_name_plural = _("mots-clés d'articles")


class Article(models.Model):
    """A press release (communiqué de presse)."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        REVIEW = "review", _("En relecture")
        PUBLISHED = "published", _("Publié")
        WITHDRAWN = "withdrawn", _("Retiré")

    title = models.CharField(_("titre"), max_length=255)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        blank=True,
        help_text=_("L'adresse de la page ; laissé vide, il est tiré du titre (« Économie à Kyoto » → economie-a-kyoto)."),
        error_messages={"unique": _("Un autre communiqué utilise déjà ce slug : choisissez-en un autre.")},
    )
    standfirst = models.TextField(_("chapô"), blank=True, help_text=_("Le résumé affiché sous le titre et dans les listes."))
    body = ProseEditorField(
        _("texte"),
        blank=True,
        extensions={
            "Bold": True,
            "Italic": True,
            "Underline": True,
            "Strike": True,
            "Subscript": True,
            "Superscript": True,
            "Heading": {"levels": [2, 3, 4]},
            "BulletList": True,
            "OrderedList": True,
            "ListItem": True,
            "Blockquote": True,
            "HardBreak": True,
            "HorizontalRule": True,
            "Link": {"enableTarget": False},
        },
        sanitize=sanitize_html,
    )
    location = models.CharField(_("lieu"), max_length=120, blank=True, help_text=_("Le lieu de la dépêche, par exemple Tokyo."))
    language = models.CharField(_("langue"), max_length=8, choices=settings.LANGUAGES, default="fr")
    status = models.CharField(_("état"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        _("date de publication"),
        null=True,
        blank=True,
        help_text=_("Heure de Paris. Le communiqué publié n'apparaît qu'à partir de ce moment (embargo)."),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("créé par"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", editable=False,
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("modifié par"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+", editable=False,
    )
    tags = TaggableManager(_("mots-clés"), through=TaggedArticle, blank=True)
    photos = models.ManyToManyField(Photo, through="ArticlePhoto", related_name="articles", blank=True)
    press_contacts = models.ManyToManyField(PressContact, verbose_name=_("contacts presse"), related_name="articles", blank=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-id"]
        verbose_name = _("communiqué")
        verbose_name_plural = _("communiqués")
        indexes = [models.Index(fields=["status", "-publish_at", "-id"], name="article_public_list")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Article, self.title, exclude_pk=self.pk)
        # The body is stored sanitised whatever path wrote it (admin, importer, shell):
        # templates mark it safe, so this line is what makes that true.
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("articles:article-detail", args=[self.slug])

    def is_public(self, now=None) -> bool:
        """The visibility rule for one article; agrees with `Article.objects.public()`."""
        now = now or timezone.now()
        return self.status == self.Status.PUBLISHED and self.publish_at is not None and self.publish_at <= now

    @property
    def lead_photo(self):
        """The first photo in the article's order, or None (uses the prefetch when present)."""
        items = list(self.article_photos.all())
        return items[0].photo if items else None


class ArticlePhoto(models.Model):
    """A photo's place in an article; the first one is the lead photo."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="article_photos")
    photo = models.ForeignKey(Photo, verbose_name=_("photo"), on_delete=models.PROTECT, related_name="placements")
    position = models.PositiveIntegerField(_("ordre"), default=0)

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("photo de l'article")
        verbose_name_plural = _("photos de l'article (la première est la photo principale)")
        constraints = [models.UniqueConstraint(fields=["article", "photo"], name="unique_photo_per_article")]

    def __str__(self):
        return str(self.photo)


class Quote(models.Model):
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="quotes")
    speaker = models.ForeignKey(Speaker, verbose_name=_("intervenant"), on_delete=models.PROTECT, related_name="quotes")
    text = models.TextField(_("citation"))
    position = models.PositiveIntegerField(_("ordre"), default=0)

    objects = QuoteQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("citation")
        verbose_name_plural = _("citations")

    def __str__(self):
        return f"« {self.text[:60]}… » — {self.speaker.name}"
