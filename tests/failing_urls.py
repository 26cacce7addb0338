"""The project's URLs plus one address that fails, to see what a server error does."""

from django.urls import path

from pressroom.urls import handler500  # noqa: F401 (handler500: Django reads it here)
from pressroom.urls import urlpatterns as project_urlpatterns


def broken_view(request):
    raise RuntimeError("Panne simulée pour le test")


urlpatterns = [path("panne/", broken_view), *project_urlpatterns]
