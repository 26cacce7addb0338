from django.utils.text import slugify


def unique_slug(model, text: str, *, max_length: int = 200, exclude_pk=None, field: str = "slug") -> str:
    """An ASCII slug for `text` ("Économie à Kyoto" → "economie-a-kyoto"), made unique with -2, -3…"""
    base = slugify(text)[:max_length].strip("-") or "communique"
    candidate, n = base, 1
    others = model._default_manager.all()
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    while others.filter(**{field: candidate}).exists():
        n += 1
        suffix = f"-{n}"
        candidate = base[: max_length - len(suffix)].rstrip("-") + suffix
    return candidate
