"""The press room's vocabulary: articles (releases), photos and their credits,
speakers and their quotes, press contacts, tags."""

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager
from taggit.models import TaggedItemBase

from .photos.validation import PhotoImageField, validate_photo
from .querysets import ArticleQuerySet, PhotoQuerySet, QuoteQuerySet
from .sanitize import sanitize_html
from .slugs import unique_slug
from .tagging import FrenchTaggableManager


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

    def credit_line(self) -> str:
        """The credit as every public page, feed, press kit and file's metadata prints it:
        "Nicolas Datiche / Région Occitanie", or the name alone without an organisation."""
        return f"{self.name} / {self.organisation}" if self.organisation else self.name


def photo_upload_to(instance, filename: str) -> str:
    """A random name: an embargoed photo's URL cannot be guessed from its original file name."""
    ext = PurePath(filename).suffix.lower().lstrip(".")
    ext = {"jpeg": "jpg"}.get(ext, ext)
    if ext not in {"jpg", "png", "webp"}:
        ext = "img"
    return f"photos/{uuid.uuid4().hex}.{ext}"


class Photo(models.Model):
    """A photo of the library; one photo can illustrate several articles."""

    image = PhotoImageField(
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
    licence = models.CharField(
        _("licence"), max_length=200, blank=True, help_text=_("Par exemple : CC BY 4.0, ou « Usage presse uniquement ».")
    )
    rights_expire_on = models.DateField(
        _("fin des droits"),
        null=True,
        blank=True,
        help_text=_("Après cette date, un communiqué utilisant la photo ne peut plus être publié."),
    )
    focal_x = models.FloatField(
        _("point focal (x)"), default=0.5, validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("De 0 (bord gauche) à 1 (bord droit) : le centre des recadrages."),
    )
    focal_y = models.FloatField(
        _("point focal (y)"), default=0.5, validators=[MinValueValidator(0), MaxValueValidator(1)],
        help_text=_("De 0 (haut) à 1 (bas)."),
    )
    created_at = models.DateTimeField(_("ajoutée le"), auto_now_add=True)
    # The photo's derived files (renditions, and the master's metadata after a caption or credit
    # change) are made by a background job (articles/tasks.py): `files_version` counts the inputs
    # they must reflect, `files_ready_version` is the last version the job finished.
    files_version = models.PositiveIntegerField(default=1, editable=False)
    files_ready_version = models.PositiveIntegerField(default=0, editable=False)
    files_error = models.TextField(_("erreur de préparation"), blank=True, editable=False)

    objects = PhotoQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.caption or self.alt_text

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Reading deferred fields here would cost a query per photo; such instances never refresh files.
        self._files_source = None if self.get_deferred_fields() else self._file_inputs()

    def save(self, *args, **kwargs):
        # Derived files are made after the save, never on a visitor's request. A new upload is
        # cleaned here, before it is stored (upright, camera metadata such as GPS removed, credit
        # written in): the master is what /media/ serves, so an uncleaned file must never sit
        # there, not even until a job runs. Renditions, and the master's metadata after a caption
        # or credit change, are a background job queued in this save's transaction by a receiver
        # (photos/receivers.py, photos/services.schedule_photo_files); until it has run the photo
        # is "en cours".
        from .photos.files import clean_master

        new_upload = bool(self.image) and not self.image._committed
        if new_upload:
            cleaned, _decoded = clean_master(self.image.file, self)
            del _decoded  # the job decodes the stored master again; do not hold 100 MB of pixels meanwhile
            self.image = cleaned
        inputs_changed = self._files_source is not None and self._file_inputs() != self._files_source
        if new_upload or inputs_changed:
            self.files_version = (self.files_version or 0) + 1
        # Read by the receiver that queues the job (photos/receivers.py), after the row is saved.
        self._files_job = {"rewrite_master": not new_upload} if new_upload or inputs_changed else None
        super().save(*args, **kwargs)
        if new_upload or inputs_changed:
            self._files_source = self._file_inputs()

    class FilesState(models.TextChoices):
        PENDING = "pending", _("En cours")
        READY = "ready", _("Prête")
        FAILED = "failed", _("Échec")

    @property
    def files_state(self) -> str:
        """Are the renditions made for the photo's current inputs? Derived, never stored."""
        if self.files_ready_version == self.files_version:
            return self.FilesState.READY
        return self.FilesState.FAILED if self.files_error else self.FilesState.PENDING

    def get_files_state_display(self) -> str:
        return str(self.FilesState(self.files_state).label)

    def _file_inputs(self) -> tuple:
        """What the stored files are derived from: a change to any of these rewrites them."""
        return (self.caption, self.credit_id, self.licence, self.focal_x, self.focal_y)

    def rights_expired(self, on=None) -> bool:
        on = on or timezone.localdate()
        return self.rights_expire_on is not None and self.rights_expire_on < on

    def publication_problem(self, on=None) -> str | None:
        """Why a release showing this photo may not be published on `on` (French), or None.

        One photo at a time, so that the admin can check the photos of a form
        before they are saved (articles/admin/article.py).
        """
        on = on or timezone.localdate()
        label = self.caption or self.alt_text or self.image.name
        if not self.credit_id or not self.credit.name.strip():
            return _("La photo « %(photo)s » n'a pas de crédit.") % {"photo": label}
        if self.rights_expired(on):
            return _("Les droits de la photo « %(photo)s » ont expiré le %(date)s.") % {
                "photo": label, "date": self.rights_expire_on.strftime("%d/%m/%Y"),
            }
        state = self.files_state
        if state == self.FilesState.PENDING:
            return _("Les déclinaisons de la photo « %(photo)s » sont en cours de préparation : "
                     "réessayez dans quelques instants.") % {"photo": label}
        if state == self.FilesState.FAILED:
            return _("La préparation de la photo « %(photo)s » a échoué : remplacez son fichier ou "
                     "prévenez l'équipe technique.") % {"photo": label}
        return None

    def rendition(self, spec: str):
        """A rendition by spec name, from the prefetched renditions when present."""
        for item in self.renditions.all():
            if item.spec == spec:
                return item
        return None

    def srcset(self, fmt: str = "jpeg", url_for=None) -> str:
        """ "a.webp 480w, b.webp 960w"; `url_for(rendition)` gives each address (default: its file's URL)."""
        # A photo narrower than a rendition width is not upscaled, so several renditions can
        # share a width; HTML forbids two srcset candidates with the same width: keep one.
        # The narrowest spec wins a tie, whatever order the renditions were loaded in.
        by_width = {}
        candidates = (r for r in self.renditions.all() if r.spec.startswith("w") and r.spec.endswith(fmt))
        for r in sorted(candidates, key=lambda r: int(r.spec[1:].split("-")[0])):
            by_width.setdefault(r.width, r)
        url_for = url_for or (lambda rendition: rendition.file.url)
        return ", ".join(f"{url_for(r)} {width}w" for width, r in sorted(by_width.items()))


def rendition_upload_to(instance, filename: str) -> str:
    return f"renditions/{uuid.uuid4().hex}{PurePath(filename).suffix}"


class Rendition(models.Model):
    """A resized copy of a photo, made once per (photo, spec) when the photo is saved."""

    photo = models.ForeignKey(Photo, on_delete=models.CASCADE, related_name="renditions")
    spec = models.CharField(max_length=32)
    file = models.FileField(upload_to=rendition_upload_to)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["photo", "spec"], name="unique_rendition_per_spec")]
        verbose_name = _("déclinaison")
        verbose_name_plural = _("déclinaisons")

    def __str__(self):
        return f"{self.photo_id} {self.spec}"


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


class PressContactQuerySet(models.QuerySet):
    def with_roles(self):
        """Each contact with its role in every other language as a column (`role_en`, `role_ja`):
        a page of releases in several languages (the API) reads each contact's role in its
        release's language with no query of its own."""
        own = PressContactRole.objects.filter(contact=models.OuterRef("pk"))
        return self.annotate(**{
            f"role_{code}": models.Subquery(own.filter(language=code).values("role")[:1])
            for code, _label in settings.LANGUAGES if code != settings.LANGUAGE_CODE
        })


class PressContact(models.Model):
    name = models.CharField(_("nom"), max_length=200)
    role = models.CharField(_("fonction"), max_length=200, blank=True)
    email = models.EmailField(_("courriel"), blank=True)
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)

    objects = PressContactQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("contact presse")
        verbose_name_plural = _("contacts presse")

    def __str__(self):
        return f"{self.name} ({self.role})" if self.role else self.name

    def role_in(self, language: str | None) -> tuple[str, str]:
        """(the contact's role in `language`, the language it is written in): its own role (French)
        when it has none there. Read from PressContactQuerySet.with_roles()'s columns when the
        contact was loaded through it (no query), else looked up (a vCard, an e-mail)."""
        if not language or language == settings.LANGUAGE_CODE:
            return self.role, settings.LANGUAGE_CODE
        attribute = f"role_{language}"
        if hasattr(self, attribute):
            translated = getattr(self, attribute)
        else:
            translated = self.roles.filter(language=language).values_list("role", flat=True).first()
        return (translated, language) if translated else (self.role, settings.LANGUAGE_CODE)


class PressContactRole(models.Model):
    """A press contact's role in another language (issue #14): "Relations presse" is "Press
    relations" on /en/. One per contact and language, whatever the release: a person's position
    does not change with the release they answer for, and the contact stays one row (one vCard UID)."""

    contact = models.ForeignKey(PressContact, verbose_name=_("contact presse"), on_delete=models.CASCADE,
                                related_name="roles")
    language = models.CharField(_("langue"), max_length=8, choices=settings.LANGUAGES)
    role = models.CharField(_("fonction traduite"), max_length=200)

    class Meta:
        ordering = ["language"]
        verbose_name = _("fonction traduite")
        verbose_name_plural = _("fonctions traduites")
        constraints = [models.UniqueConstraint(fields=["contact", "language"], name="one_contact_role_per_language")]

    def __str__(self):
        return f"{self.role} ({self.language})"

    def save(self, *args, **kwargs):
        # The rules hold for every writer (admin, importer, shell, API), not only for the admin's form.
        self.full_clean()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.language == settings.LANGUAGE_CODE:
            raise ValidationError({"language": _("La fonction du contact elle-même est déjà en français : choisissez une autre langue.")})


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
        REMOVED = "removed", _("Supprimé (publié par erreur)")

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
    # A translation belongs to its original's group, and the group goes live as one: the public
    # rule (querysets.visible_now) reads the *original's* state and time for a translation, so a
    # translation can never be seen before, or after, its original (see README, "Translations").
    translation_of = models.ForeignKey(
        "self", verbose_name=_("traduction de"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="translations", limit_choices_to={"translation_of__isnull": True},
        help_text=_("Le communiqué original : une traduction est publiée, programmée, retirée et supprimée avec lui."),
    )
    status = models.CharField(_("état"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    publish_at = models.DateTimeField(
        _("date de publication"),
        null=True,
        blank=True,
        help_text=_("Heure de Paris. Le communiqué publié n'apparaît qu'à partir de ce moment (embargo)."),
    )
    pending_credit = models.ForeignKey(
        Credit, verbose_name=_("crédit photo en attente"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", editable=False,
        help_text=_("Lu dans le texte importé, sans photo à créditer : proposé pour la prochaine photo ajoutée."),
    )
    first_published_at = models.DateTimeField(
        _("première publication"), null=True, blank=True, editable=False,
        help_text=_("Gardée quand le communiqué est mis à jour après publication."),
    )
    change_note = models.CharField(
        _("note de mise à jour"), max_length=300, blank=True,
        help_text=_("Publique, par exemple : « Mis à jour le 4 mars : correction du nom de l'entreprise »."),
    )
    withdrawn_at = models.DateTimeField(_("retiré le"), null=True, blank=True, editable=False)
    # When the current publication was announced ("went live" event, articles/events.py). Set only
    # by one conditional UPDATE, so exactly one claimer wins; cleared when the release leaves the
    # site, so that its next going live is a new publication. Never written by save() (see there).
    went_live_at = models.DateTimeField(_("mise en ligne annoncée le"), null=True, blank=True, editable=False)
    withdrawal_reason = models.TextField(
        _("motif du retrait"), blank=True, help_text=_("Public et obligatoire pour retirer un communiqué."),
    )
    version = models.PositiveIntegerField(
        _("version"), default=1, editable=False,
        help_text=_("Augmente à chaque enregistrement ; sert à détecter deux modifications simultanées."),
    )
    # Accent-folded text of everything a journalist may search for (title, texts, quotes,
    # speakers, tags, credits); derived on save of the article and of what it shows.
    search_document = models.TextField(editable=False, blank=True, default="")
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
    tags = TaggableManager(_("mots-clés"), through=TaggedArticle, blank=True, manager=FrenchTaggableManager)
    photos = models.ManyToManyField(Photo, through="ArticlePhoto", related_name="articles", blank=True)
    press_contacts = models.ManyToManyField(PressContact, verbose_name=_("contacts presse"), related_name="articles", blank=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-publish_at", "-id"]
        verbose_name = _("communiqué")
        verbose_name_plural = _("communiqués")
        indexes = [
            models.Index(fields=["status", "-publish_at", "-id"], name="article_public_list"),
            # The went-live sweep's question, every few seconds: published, not yet announced.
            models.Index(
                fields=["publish_at"], condition=models.Q(status="published", went_live_at__isnull=True),
                name="article_to_announce",
            ),
        ]
        constraints = [
            # One translation per language in a group; a translation of a translation is refused by clean().
            models.UniqueConstraint(fields=["translation_of", "language"], name="one_translation_per_language"),
        ]
        permissions = [
            ("publish_article", _("Peut publier, programmer, retirer et modifier un communiqué publié")),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = unique_slug(Article, self.title, exclude_pk=self.pk)
        # The body is stored sanitised whatever path wrote it (admin, importer, shell):
        # templates mark it safe, so this line is what makes that true.
        self.body = sanitize_html(self.body)
        if not self._state.adding and self.pk and kwargs.get("update_fields") is None and not kwargs.get("force_insert"):
            # went_live_at belongs to the atomic claim (events.claim_went_live): an editor's form,
            # loaded before a worker claimed the release, must not write its stale value back,
            # or the release would be announced twice.
            kwargs["update_fields"] = [
                f.name for f in self._meta.concrete_fields if not f.primary_key and f.name != "went_live_at"
            ]
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        # Each language at its own address: French unprefixed, the others under /en/, /ja/.
        with translation.override(self.language):
            return reverse("articles:article-detail", args=[self.slug])

    def is_public(self, now=None) -> bool:
        """The visibility rule for one article; agrees with `Article.objects.public()`.

        A translation is public when it is itself approved (published) and its group's
        original is public: the original's time is the group's time.
        """
        now = now or timezone.now()
        if self.status != self.Status.PUBLISHED:
            return False
        group = self.translation_of if self.translation_of_id else self
        return group.status == self.Status.PUBLISHED and group.publish_at is not None and group.publish_at <= now

    @property
    def original(self) -> "Article":
        """The group's original: the article itself, or the one it translates."""
        return self.translation_of if self.translation_of_id else self

    def clean(self):
        super().clean()
        if self.translation_of_id:
            original = self.translation_of
            if original.translation_of_id:
                raise ValidationError({"translation_of": _("Choisissez le communiqué original, pas une de ses traductions.")})
            if original.pk == self.pk:
                raise ValidationError({"translation_of": _("Un communiqué ne peut pas être sa propre traduction.")})
            if original.language == self.language:
                raise ValidationError({"language": _("Une traduction doit être dans une autre langue que l'original.")})

    def publication_problems(self, on=None) -> list[str]:
        """Why this article may not be published now (French, for editors); empty when it may."""
        on = on or timezone.localdate()
        placements = self.article_photos.select_related("photo__credit")
        return [p for p in (placement.photo.publication_problem(on) for placement in placements) if p]

    @property
    def lead_photo(self):
        """The first photo in the article's order, or None (uses the prefetch when present)."""
        placement = self.lead_placement
        return placement.photo if placement else None

    @property
    def lead_placement(self):
        """The lead photo's placement, with the caption and alt text in the release's language."""
        items = list(self.article_photos.all())
        return items[0] if items else None


class SlugRedirect(models.Model):
    """An old address of a published article, kept working with a 301 after its slug changed."""

    old_slug = models.SlugField(max_length=200, unique=True)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="slug_redirects")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("ancienne adresse")
        verbose_name_plural = _("anciennes adresses")

    def __str__(self):
        return self.old_slug


class EmbargoLink(models.Model):
    """A signed link that lets one named journalist read a release before its embargo."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="embargo_links")
    recipient_name = models.CharField(_("destinataire"), max_length=200)
    recipient_email = models.EmailField(_("courriel du destinataire"), blank=True)
    expires_at = models.DateTimeField(_("expire le"))
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("révoqué par"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    revocation_reason = models.CharField(_("motif de la révocation"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("lien sous embargo")
        verbose_name_plural = _("liens sous embargo")

    def __str__(self):
        return f"{self.recipient_name} — {self.article}"


class EmbargoVisit(models.Model):
    link = models.ForeignKey(EmbargoLink, on_delete=models.CASCADE, related_name="visits")
    visited_at = models.DateTimeField(auto_now_add=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-visited_at"]
        verbose_name = _("consultation sous embargo")
        verbose_name_plural = _("consultations sous embargo")

    def __str__(self):
        return f"{self.link} — {self.visited_at:%Y-%m-%d %H:%M}"


class ArticlePhoto(models.Model):
    """A photo's place in an article; the first one is the lead photo.

    A translation (issue #14) shares its original's photos, files and credits, but speaks its
    own language under them: its placements carry the caption and alternative text in the
    translation's language. They sit on the placement, not on the photo, because they are part
    of the translation's text (written, reviewed, approved and restored with it, like its title),
    and because reading them then costs no query: every page already loads its placements.
    Blank means "not translated": the photo's own texts are shown, marked as French (the
    photo library's language, settings.LANGUAGE_CODE), and the editor is told (admin, preview).
    """

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="article_photos")
    photo = models.ForeignKey(Photo, verbose_name=_("photo"), on_delete=models.PROTECT, related_name="placements")
    position = models.PositiveIntegerField(_("ordre"), default=0)
    caption = models.CharField(
        _("légende traduite"), max_length=300, blank=True,
        help_text=_("Dans la langue de la traduction. Laissée vide, la légende originale est affichée."),
    )
    alt_text = models.CharField(
        _("texte alternatif traduit"), max_length=250, blank=True,
        help_text=_("Dans la langue de la traduction. Laissé vide, le texte alternatif original est utilisé."),
    )

    class Meta:
        ordering = ["position", "id"]
        verbose_name = _("photo de l'article")
        verbose_name_plural = _("photos de l'article (la première est la photo principale)")
        constraints = [models.UniqueConstraint(fields=["article", "photo"], name="unique_photo_per_article")]

    def __str__(self):
        return str(self.photo)

    def _untranslated(self, own: str, original: str) -> bool:
        # `article` is the release whose placements these are: Django sets it from the parent
        # when they are read through `article.article_photos` (prefetched or not), so no query.
        return not own and bool(original) and self.article.language != settings.LANGUAGE_CODE

    @property
    def shown_caption(self) -> str:
        """The caption in the release's language, or the photo's own when it is not translated."""
        return self.caption or self.photo.caption

    @property
    def shown_alt_text(self) -> str:
        return self.alt_text or self.photo.alt_text

    @property
    def caption_fallback(self) -> str:
        """The language of the caption shown when it is the untranslated original's ("fr"), else ""."""
        return settings.LANGUAGE_CODE if self._untranslated(self.caption, self.photo.caption) else ""

    @property
    def alt_text_fallback(self) -> str:
        return settings.LANGUAGE_CODE if self._untranslated(self.alt_text, self.photo.alt_text) else ""


class TagTranslation(models.Model):
    """A tag's name in another language (issue #14): "Économie" is "Economy" on /en/ and "経済" on /ja/.

    The tag stays one: a release and its translations carry the same tags, and a tag's page in
    each language lists that language's releases under the name and address of that language.
    """

    tag = models.ForeignKey("taggit.Tag", verbose_name=_("mot-clé"), on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("langue"), max_length=8, choices=settings.LANGUAGES)
    name = models.CharField(_("nom traduit"), max_length=100)
    slug = models.SlugField(
        _("slug"), max_length=100, blank=True, allow_unicode=False,
        help_text=_("L'adresse de la page du mot-clé dans cette langue ; laissé vide, il est tiré du nom "
                    "(ou, pour une écriture sans lettres latines, du slug du mot-clé)."),
    )

    class Meta:
        ordering = ["language", "name"]
        verbose_name = _("traduction de mot-clé")
        verbose_name_plural = _("traductions de mots-clés")
        constraints = [
            models.UniqueConstraint(fields=["tag", "language"], name="one_tag_name_per_language"),
            models.UniqueConstraint(fields=["language", "slug"], name="unique_tag_slug_per_language"),
        ]

    def __str__(self):
        return f"{self.name} ({self.language})"

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self.derived_slug()
        # The rules hold for every writer (admin, importer, shell), not only for the admin's form:
        # a slug taken from another tag's address is refused whoever writes it.
        self.full_clean()
        super().save(*args, **kwargs)

    def clean(self):
        super().clean()
        if self.language == settings.LANGUAGE_CODE:
            raise ValidationError({"language": _("Le nom du mot-clé lui-même est déjà en français : choisissez une autre langue.")})
        if self.slug and self._slug_of_another_tag(self.slug):
            # /en/tags/<slug>/ looks for a translated slug first: this one would take over the page
            # that another tag without a name in this language has at its own (French) slug.
            raise ValidationError({"slug": _("Un autre mot-clé a déjà cette adresse : choisissez-en une autre.")})

    def _slug_of_another_tag(self, slug: str) -> bool:
        from taggit.models import Tag

        return Tag.objects.filter(slug=slug).exclude(pk=self.tag_id).exists()

    def derived_slug(self) -> str:
        """From the name ("Economy" → economy); for a name without Latin letters (経済), the tag's own
        slug, so a Japanese tag page keeps an ASCII address. Unique within the language."""
        from django.utils.html import strip_tags
        from django.utils.text import slugify

        base = (slugify(strip_tags(self.name)) or self.tag.slug)[:90].strip("-") or "mot-cle"
        others = TagTranslation.objects.filter(language=self.language).exclude(pk=self.pk)
        candidate, n = base, 1
        while others.filter(slug=candidate).exists() or self._slug_of_another_tag(candidate):
            n += 1
            candidate = f"{base}-{n}"
        return candidate


# A release quotes a handful of people; past this many, something went wrong (an import that
# took every guillemet for a quote). It also keeps the admin usable: a release with 10,000
# quotes took 39 s to open and could not be saved (too many form fields). The admin's inline
# (max_num) and the importer use this same number.
MAX_QUOTES_PER_ARTICLE = 50


def too_many_quotes_message(count: int) -> str:
    """The editor's sentence when a release would hold `count` quotes, over the cap."""
    return _("Ce communiqué aurait %(count)d citations : %(max)d au plus. Gardez les plus importantes.") % {
        "count": count, "max": MAX_QUOTES_PER_ARTICLE,
    }


class Quote(models.Model):
    """A speaker's words in a release: MAX_QUOTES_PER_ARTICLE at most per release, whoever writes them."""

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

    def save(self, *args, **kwargs):
        # The last guard, for every writer (admin, importer, shell): the admin and the importer
        # check the whole release first and say so in their own words; this refuses a new
        # quote past the cap however it came.
        if self._state.adding and self.article_id is not None:
            count = Quote.objects.filter(article_id=self.article_id).count() + 1
            if count > MAX_QUOTES_PER_ARTICLE:
                raise ValidationError(too_many_quotes_message(count), code="too_many_quotes")
        super().save(*args, **kwargs)


class AuditEntry(models.Model):
    """One line of the audit log: who did what, to which release, when, from where.

    Written by articles/audit.py alone, from the domain (workflow, embargo links, the
    auth signals), never by the admin, which shows it read-only. The actor's username
    and the release's title are copied in, so an entry still says who and what after
    the user or the release is deleted.
    """

    class Action(models.TextChoices):
        LOGIN = "login", _("Connexion")
        LOGIN_FAILED = "login_failed", _("Connexion refusée")
        LOGOUT = "logout", _("Déconnexion")
        SUBMITTED = "submitted", _("Envoyé en relecture")
        PUBLISHED = "published", _("Publié")
        SCHEDULED = "scheduled", _("Programmé")
        SENT_BACK = "sent_back", _("Renvoyé en relecture")
        WITHDRAWN = "withdrawn", _("Retiré")
        REMOVED = "removed", _("Supprimé (publié par erreur)")
        RESTORED = "restored", _("Version restaurée")
        EMBARGO_LINK_CREATED = "embargo_link_created", _("Lien sous embargo créé")
        EMBARGO_LINK_REVOKED = "embargo_link_revoked", _("Lien sous embargo révoqué")
        EMBARGO_LINK_VISITED = "embargo_link_visited", _("Lien sous embargo consulté")

    at = models.DateTimeField(_("date"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("personne"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    actor_username = models.CharField(_("identifiant"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    article = models.ForeignKey(
        Article, verbose_name=_("communiqué"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
    )
    article_title = models.CharField(_("titre du communiqué"), max_length=255, blank=True)
    detail = models.TextField(_("détail"), blank=True)
    ip_address = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("entrée du journal d'audit")
        verbose_name_plural = _("journal d'audit")
        # The admin lists newest first, filtered by release or by person.
        indexes = [
            models.Index(fields=["article", "-at"], name="audit_by_article"),
            models.Index(fields=["actor", "-at"], name="audit_by_actor"),
        ]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.actor_username}".strip()


class ReleaseEvent(models.Model):
    """Something that happened to a release, recorded in the transaction that made it happen.

    The hook for alerts, webhooks and purging a CDN: each event is dispatched by a background
    job (articles/tasks.py) that sends its signal (articles/events.py) once it is committed.
    """

    class Kind(models.TextChoices):
        WENT_LIVE = "went_live", _("Mis en ligne")
        UPDATED = "updated", _("Mis à jour")
        WITHDRAWN = "withdrawn", _("Retiré")
        REMOVED = "removed", _("Supprimé")

    article = models.ForeignKey(Article, verbose_name=_("communiqué"), on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("événement"), max_length=16, choices=Kind.choices)
    # The how-manieth publication of the release this event belongs to (1 for the first going live;
    # a release withdrawn then published again is publication 2).
    publication = models.PositiveIntegerField(_("publication"), default=0)
    at = models.DateTimeField(_("le"), default=timezone.now)
    payload = models.JSONField(_("détails"), default=dict, blank=True)
    dispatched_at = models.DateTimeField(_("transmis le"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("événement de communiqué")
        verbose_name_plural = _("événements de communiqués")
        constraints = [
            # The database itself refuses a second "went live" for one publication.
            models.UniqueConstraint(
                fields=["article", "publication"], condition=models.Q(kind="went_live"), name="one_went_live_per_publication"
            )
        ]
        indexes = [models.Index(fields=["dispatched_at", "at"], name="release_event_to_dispatch")]

    def __str__(self):
        return f"{self.get_kind_display()} — {self.article_id} ({self.at:%Y-%m-%d %H:%M:%S})"


class WorkerHeartbeat(models.Model):
    """A background worker says it is alive; the jobs of a silent one are queued again."""

    worker_id = models.CharField(max_length=64, primary_key=True)
    seen_at = models.DateTimeField()
    hostname = models.CharField(max_length=200, blank=True)
    pid = models.PositiveIntegerField(null=True)

    class Meta:
        verbose_name = _("processus de travail")
        verbose_name_plural = _("processus de travail")

    def __str__(self):
        return self.worker_id


# E-mail for journalists (articles/alerts/): subscribers, press lists, embargo notices, deliveries.
from .alerts.models import Delivery, EmbargoNotice, Journalist, PressList, Subscriber  # noqa: E402,F401

# Models of the domain sub-packages, registered with this app (one migration history).
from .api.models import ApiToken  # noqa: E402,F401
from .webhooks.models import WebhookDelivery, WebhookEndpoint  # noqa: E402,F401
