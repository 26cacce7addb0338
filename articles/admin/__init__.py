"""The editors' admin, in French: releases with their photos and quotes, the photo library, people."""

from . import article, audit, embargo, people, photo  # noqa: F401  (each module registers its ModelAdmins)
