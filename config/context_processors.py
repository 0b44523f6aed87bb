import uuid

from django.conf import settings

# Shared page fragments (the site's navigation and footer) are cached under this too: a
# process started on new code or assets never serves the fragments of the previous one
# from a cache that outlives it (Redis).
FRAGMENTS_VERSION = uuid.uuid4().hex[:8]


def territory(request):
    return {"territory_name": settings.TERRITORY_NAME, "fragments_version": FRAGMENTS_VERSION}
