from django.http import Http404, HttpResponseRedirect

from . import services


def follow(request, code):
    """/r/<code>: to the page, counted. An unknown code is a plain 404 (never a redirect)."""
    target = services.resolve(code)
    if target is None:
        raise Http404
    services.record_click(request, target)
    response = HttpResponseRedirect(target.path)
    response["Cache-Control"] = "no-store"
    response["Referrer-Policy"] = "strict-origin-when-cross-origin"
    return response


def bare_redirect(request):
    """The baseline of bench/ambassadors.py: a Django view returning a redirect."""
    return HttpResponseRedirect("/")
