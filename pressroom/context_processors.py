from django.conf import settings
from django.utils.translation import gettext_lazy as _

# The three statuses the RGAA defines, as its footer mention writes them ("Accessibilité : …").
RGAA_STATUS_LABELS = {
    "non": _("non conforme"),
    "partiellement": _("partiellement conforme"),
    "totalement": _("totalement conforme"),
}


def site(request):
    """Name and address of the press room, for the header, footer and metadata; its declared accessibility."""
    return {
        "SITE_NAME": settings.SITE_NAME,
        "SITE_URL": settings.SITE_URL,
        "RGAA_STATUS": settings.RGAA_STATUS,
        "RGAA_AUDIT": settings.RGAA_AUDIT,
    }
