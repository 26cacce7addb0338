from django.conf import settings


def site(request):
    """Name and address of the press room, for the header, footer and metadata."""
    return {"SITE_NAME": settings.SITE_NAME, "SITE_URL": settings.SITE_URL}
