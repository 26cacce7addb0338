from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ArticlesConfig(AppConfig):
    name = "articles"
    verbose_name = _("Communiqués de presse")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # The project's own deployment checks (manage.py check --deploy).
        from pressroom import checks  # noqa: F401

        from .alerts import receivers as alert_receivers  # noqa: F401  (alerts when a release goes live)
        from .caching import generation, page_cache  # noqa: F401

        # Connect the cache invalidation signals in every process (web, shell, importer),
        # not only where the middleware or the admin happens to be imported; and the
        # audit log's receivers for logins, failed logins and logouts (publishing/audit_receivers.py).
        from .caching import policy as cache_policy  # noqa: F401
        from .caching import receivers as cache_receivers
        from .discovery import receivers as search_receivers  # noqa: F401
        from .photos import receivers as photo_receivers  # noqa: F401
        from .publishing import audit_receivers as receivers  # noqa: F401
        from .publishing import history  # noqa: F401
        from .publishing import receivers as release_receivers  # noqa: F401
        from .storage import receivers as storage_receivers
        from .webhooks import receivers as webhook_receivers  # noqa: F401  (release events → signed deliveries)

        # History is recorded for every writer (admin, workflow, importer, shell), not only
        # where the admin module happens to be imported.
        history.register()
        history.connect_receivers()
        # Which cached pages a save retires (by dependency), whoever saves.
        cache_receivers.connect()
        # The search text is derived on every write path, not in the admin's save hooks.
        search_receivers.connect()
        # A renamed credit is written into its photos' files, whoever renamed it.
        photo_receivers.connect()
        # Publication and writers hear of each other's workflow steps by e-mail.
        from .publishing import notification_receivers

        notification_receivers.connect()
        # The admin's sidebar and pages said "TAGGIT / Tags": the words editors use instead.
        from .naming import name_taggit_in_french, name_third_party_apps_in_french

        name_taggit_in_french()
        name_third_party_apps_in_french()
        # Renditions move in or out of the bucket's public/ as releases go live or leave (storage/).
        storage_receivers.connect()
        # Tags named in a script with no Latin letter (Japanese) get an address too.
        from . import tagging

        tagging.connect_receivers()
        # The frame of the public pages is rendered once per process (templatetags/rendered_once.py),
        # and the other languages' addresses of a page worked out once (translations/alternates.py):
        # forgotten when the tests change a setting they show (SITE_NAME, the RGAA status, LANGUAGES).
        from django.core.signals import setting_changed

        from .templatetags import rendered_once
        from .translations import alternates

        setting_changed.connect(rendered_once.forget)
        setting_changed.connect(alternates.forget)
