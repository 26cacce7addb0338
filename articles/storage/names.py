"""Names of stored files in a bucket: private ones, and public copies under `public/` (no boto3 import)."""

PUBLIC_PREFIX = "public/"


def is_public_name(name: str) -> bool:
    return (name or "").startswith(PUBLIC_PREFIX)


def twin_names(name: str) -> tuple[str, str]:
    """A rendition's private and public names (`renditions/x.jpg`, `public/renditions/x.jpg`)."""
    private = name.removeprefix(PUBLIC_PREFIX)
    return private, PUBLIC_PREFIX + private
