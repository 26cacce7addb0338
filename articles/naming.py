"""Other libraries' apps and models named in the editors' words on the admin's pages (set once by
ArticlesConfig.ready(); names only, so no migration)."""


def name_taggit_in_french() -> None:
    """django-taggit's app and model in the editors' words: "Mots-clés", not "TAGGIT / Tags".
    Names only (no field, no migration): set once at start-up by ArticlesConfig.ready()."""
    from django.apps import apps
    from django.utils.translation import gettext_lazy as _
    from taggit.models import Tag

    apps.get_app_config("taggit").verbose_name = _("Mots-clés")
    Tag._meta.verbose_name = _("mot-clé")
    Tag._meta.verbose_name_plural = _("mots-clés")


# Other libraries' apps on the admin's index, in the words of the people who use it. Names only:
# no field, no migration. Each is looked up by its label and skipped when not installed.
THIRD_PARTY_NAMES = {
    "axes": ("Sécurité des connexions", {}),
    "otp_totp": ("Double authentification : applications", {"totpdevice": ("application TOTP", "applications TOTP")}),
    "otp_static": ("Double authentification : codes de secours", {"staticdevice": ("liste de codes de secours", "listes de codes de secours")}),
    "django_tasks_database": ("Tâches de fond", {"dbtaskresult": ("résultat de tâche", "résultats des tâches")}),
}


def name_third_party_apps_in_french() -> None:
    """"Otp_Totp / TOTP devices", "Tasks Database Backend / Task Results": said in French instead."""
    from django.apps import apps
    from django.utils.translation import gettext_lazy as _

    for label, (app_name, models) in THIRD_PARTY_NAMES.items():
        if label not in apps.app_configs:
            continue
        config = apps.get_app_config(label)
        config.verbose_name = _(app_name)
        for model_name, (singular, plural) in models.items():
            try:
                model = config.get_model(model_name)
            except LookupError:
                continue
            model._meta.verbose_name, model._meta.verbose_name_plural = _(singular), _(plural)
