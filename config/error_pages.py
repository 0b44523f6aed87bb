"""The site's 500 page, in the visitor's language.

Django's default handler renders 500.html with an empty context and no request, so the page
could not know its language or the home page's address. This one gives it both and nothing
else: no context processor, no database query, since what failed may be the database.
"""

from django.conf import settings
from django.http import HttpResponseServerError
from django.template import loader
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.views.decorators.csrf import requires_csrf_token


@requires_csrf_token
def server_error(request, template_name="500.html"):
    language = translation.get_language() or settings.LANGUAGE_CODE
    try:
        home_url = reverse("wagtail_serve", args=[""])
    except NoReverseMatch:
        home_url = "/"
    context = {
        "LANGUAGE_CODE": language,
        "home_url": home_url,
        "territory_name": settings.TERRITORY_NAME,
    }
    return HttpResponseServerError(loader.get_template(template_name).render(context))
