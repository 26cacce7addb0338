"""Subscribers, press lists and the messages sent to them (imported by articles/models.py)."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def new_secret() -> str:
    return secrets.token_urlsafe(16)


class Subscriber(models.Model):
    """An e-mail address that asked for releases; no account, no password.

    Nothing is sent to it but the confirmation before `confirmed_at` (double opt-in).
    `secret` is part of every signed link (manage, unsubscribe): drawing a new one
    makes every link already sent stop working.
    """

    class Frequency(models.TextChoices):
        IMMEDIATE = "immediate", _("À chaque communiqué")
        DAILY = "daily", _("Un résumé par jour")

    email = models.EmailField(_("courriel"), max_length=254, unique=True)
    all_releases = models.BooleanField(_("tous les communiqués"), default=False)
    tags = models.ManyToManyField("taggit.Tag", verbose_name=_("mots-clés"), blank=True, related_name="+")
    speakers = models.ManyToManyField("articles.Speaker", verbose_name=_("intervenants"), blank=True, related_name="+")
    language = models.CharField(
        _("langue"), max_length=8, blank=True, choices=settings.LANGUAGES,
        help_text=_("Vide : les communiqués dans toutes les langues."),
    )
    frequency = models.CharField(_("fréquence"), max_length=12, choices=Frequency.choices, default=Frequency.IMMEDIATE)
    secret = models.CharField(max_length=32, default=new_secret, editable=False)
    created_at = models.DateTimeField(_("inscrit le"), default=timezone.now)
    # RGPD: the consent, when, from which address, to which text (alerts/consent.py).
    consent_at = models.DateTimeField(_("consentement donné le"), null=True, blank=True)
    consent_ip = models.GenericIPAddressField(_("adresse IP du consentement"), null=True, blank=True)
    consent_version = models.CharField(_("version du texte de consentement"), max_length=20, blank=True)
    confirmation_sent_at = models.DateTimeField(_("confirmation envoyée le"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmé le"), null=True, blank=True)
    confirmed_ip = models.GenericIPAddressField(_("adresse IP de la confirmation"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("désinscrit le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("abonné")
        verbose_name_plural = _("abonnés")
        indexes = [models.Index(fields=["confirmed_at", "unsubscribed_at"], name="subscriber_active")]

    def __str__(self):
        return self.email

    @property
    def is_active(self) -> bool:
        return self.confirmed_at is not None and self.unsubscribed_at is None


class PressList(models.Model):
    """A publisher's list of journalists (for example "Presse économique régionale")."""

    name = models.CharField(_("nom"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("liste de presse")
        verbose_name_plural = _("listes de presse")

    def __str__(self):
        return self.name


class Journalist(models.Model):
    name = models.CharField(_("nom"), max_length=200)
    outlet = models.CharField(_("média"), max_length=200, blank=True)
    email = models.EmailField(_("courriel"), unique=True)
    language = models.CharField(_("langue"), max_length=8, choices=settings.LANGUAGES, default="fr")
    beats = models.ManyToManyField("taggit.Tag", verbose_name=_("rubriques"), blank=True, related_name="+",
                                   help_text=_("Les mots-clés des sujets qu'il ou elle suit."))
    lists = models.ManyToManyField(PressList, verbose_name=_("listes"), blank=True, related_name="journalists")

    class Meta:
        ordering = ["name"]
        verbose_name = _("journaliste")
        verbose_name_plural = _("journalistes")

    def __str__(self):
        return f"{self.name} ({self.outlet})" if self.outlet else self.name


class EmbargoNotice(models.Model):
    """One send of a scheduled release to press lists, before its time: who sent it, to which lists."""

    article = models.ForeignKey("articles.Article", verbose_name=_("communiqué"), on_delete=models.CASCADE,
                                related_name="embargo_notices")
    lists = models.ManyToManyField(PressList, verbose_name=_("listes"), related_name="notices")
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("envoyé par"), null=True,
                                on_delete=models.SET_NULL, related_name="+")
    sent_at = models.DateTimeField(_("envoyé le"), default=timezone.now)
    expires_at = models.DateTimeField(_("les liens expirent le"))

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("envoi sous embargo")
        verbose_name_plural = _("envois sous embargo")

    def __str__(self):
        return f"{self.article} — {self.sent_at:%Y-%m-%d %H:%M}"


class Delivery(models.Model):
    """One e-mail to one recipient: planned once (unique `key`), sent at most once by one claimer.

    The row is written before anything is sent; a sender claims it with a conditional
    UPDATE (pending → sending, with its worker id), sends, then marks it sent. Two
    workers cannot claim one row; a row left "sending" by a worker that died is
    claimed again (articles/alerts/sending.py says what that costs).
    """

    class Kind(models.TextChoices):
        ALERT = "alert", _("Alerte")
        CORRECTION = "correction", _("Avis de correction")
        DIGEST = "digest", _("Résumé du jour")
        EMBARGO = "embargo", _("Envoi sous embargo")

    class Status(models.TextChoices):
        PENDING = "pending", _("À envoyer")
        SENDING = "sending", _("En cours d'envoi")
        SENT = "sent", _("Envoyé")
        FAILED = "failed", _("Échec")
        BOUNCED = "bounced", _("Refusé par le serveur du destinataire")
        CANCELLED = "cancelled", _("Annulé")

    key = models.CharField(max_length=120, unique=True, editable=False)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    article = models.ForeignKey("articles.Article", verbose_name=_("communiqué"), null=True, blank=True,
                                on_delete=models.CASCADE, related_name="deliveries")
    publication = models.PositiveIntegerField(_("publication"), default=0)
    subscriber = models.ForeignKey(Subscriber, verbose_name=_("abonné"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="deliveries")
    journalist = models.ForeignKey(Journalist, verbose_name=_("journaliste"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="deliveries")
    notice = models.ForeignKey(EmbargoNotice, null=True, blank=True, on_delete=models.CASCADE, related_name="deliveries")
    embargo_link = models.ForeignKey("articles.EmbargoLink", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="deliveries")
    recipient = models.EmailField(_("destinataire"), max_length=254)
    # The day of a digest (Paris time), or the correction's number.
    detail = models.CharField(_("détail"), max_length=40, blank=True)
    status = models.CharField(_("état"), max_length=12, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    claimed_by = models.CharField(max_length=100, blank=True, editable=False)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("prévu le"), default=timezone.now)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)
    error = models.TextField(_("erreur"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("envoi de courriel")
        verbose_name_plural = _("envois de courriels")
        indexes = [
            models.Index(fields=["status", "article", "kind"], name="delivery_to_send"),
            models.Index(fields=["article", "kind", "status"], name="delivery_by_article"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient} ({self.get_status_display()})"
