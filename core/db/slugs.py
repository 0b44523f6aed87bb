"""Slugs made from a name, unique within a model's table."""

from django.utils.text import slugify


def unique_slug(model, name: str, *, fallback: str, reserved=frozenset()) -> str:
    """`name` as a slug (`fallback` when nothing is left of it), suffixed with `-<fallback>`
    when it is a reserved path segment and with -2, -3... when taken."""
    base = slugify(name)[:100] or fallback
    if base in reserved:
        base = f"{base}-{fallback}"
    taken = set(model.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug
