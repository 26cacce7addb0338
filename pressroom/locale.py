"""The language of each request: the public site's from its address, the admin's from the browser.

With i18n_patterns(prefix_default_language=False) (pressroom/urls.py), Django's LocaleMiddleware
gives every unprefixed address the default language, the admin's included. The admin is for the
press office's own people: it keeps following their browser (Accept-Language, then French).
"""

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class SiteLocaleMiddleware(LocaleMiddleware):
    def process_request(self, request):
        if not request.path_info.startswith("/admin/"):
            return super().process_request(request)
        language = translation.get_language_from_request(request, check_path=False) or settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()
