from django import template

register = template.Library()


@register.simple_tag
def imported_record(page):
    """The import record behind `page`, with its source and photo, or None (one query)."""
    from content.imports.models import ImportedRecord

    return (
        ImportedRecord.objects.filter(page_id=page.pk)
        .select_related("source", "image")
        .only("page_id", "producer", "updated_on", "source_uri", "source__kind", "image__credit")
        .first()
    )
