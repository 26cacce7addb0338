import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings")
django_application = get_wsgi_application()

# Page-cache hits are answered before Django's handler (articles/caching/hits.py, issue #17):
# the same rules as PageCacheMiddleware, without the signals, the middleware chain and an HttpResponse.
from articles.caching.hits import serve_hits_first  # noqa: E402  (after Django is set up)

application = serve_hits_first(django_application)
