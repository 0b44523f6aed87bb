from django.conf import settings


def territory(request):
    return {"territory_name": settings.TERRITORY_NAME}
