import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()

# As in config/asgi.py: what is loaded by now, out of the garbage collector's reach.
gc.freeze()
