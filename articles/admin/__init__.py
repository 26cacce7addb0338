"""The editors' admin, in French: releases with their photos and quotes, the photo library, people."""

from ..alerts import admin as alerts_admin  # noqa: F401  (subscribers, press lists, deliveries)
from . import (
    api_tokens,  # noqa: F401  (each module registers its ModelAdmins)
    article,  # noqa: F401  (each module registers its ModelAdmins)
    audit,  # noqa: F401  (each module registers its ModelAdmins)
    embargo,  # noqa: F401  (each module registers its ModelAdmins)
    people,  # noqa: F401  (each module registers its ModelAdmins)
    photo,  # noqa: F401  (each module registers its ModelAdmins)
    webhooks,  # noqa: F401  (each module registers its ModelAdmins)
)
