from django.conf import settings

from core.pages import FRAGMENTS_VERSION


def territory(request):
    return {"territory_name": settings.TERRITORY_NAME, "fragments_version": FRAGMENTS_VERSION}
