"""Refuse an oversized request body before anything reads it: 413, in French.

Django's own limits do not cover uploads: DATA_UPLOAD_MAX_MEMORY_SIZE excludes file
data from its count, and FILE_UPLOAD_MAX_MEMORY_SIZE only decides when an upload is
streamed to a temporary file. A 2 GB "photo" was therefore written to disk in full
before the form could say it was too big. nginx refuses it first in production
(client_max_body_size, deploy/nginx.conf); this is the same rule in the application,
for any other front server, for `runserver` and for gunicorn reached directly.

The declared Content-Length is enough: Django's WSGI request never reads past it (a
body without one is read as empty), so a client cannot send more than it announced.
"""

from django.conf import settings
from django.shortcuts import render
from django.utils.translation import gettext as _

from articles.images import megabytes, size_pair


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django reads an unparsable length as an empty body too
        limit = settings.REQUEST_MAX_BYTES
        if length > limit:
            size, shown_limit = size_pair(length, limit)
            message = _(
                "Cet envoi pèse %(size)s ; la limite est de %(limit)s. Une photo ne peut dépasser %(photo)s : "
                "réduisez-la (ou enregistrez-la en JPEG) puis réessayez."
            ) % {"size": size, "limit": shown_limit, "photo": megabytes(settings.PHOTO_MAX_BYTES)}
            response = render(request, "413.html", {"message": message}, status=413)
            # The client is still sending the body we will not read: tell it to stop.
            response["Connection"] = "close"
            return response
        return self.get_response(request)
