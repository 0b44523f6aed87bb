"""The project's URLs plus two views that exist only for bench/http.py.

`/bench/bare/` measures the server and Django's middleware alone; `/bench/template/` adds one
small template render. Neither touches the database.
"""

from django.http import HttpResponse
from django.template import engines
from django.urls import path

from ambassadors.links.views import bare_redirect
from config.urls import urlpatterns as project_urlpatterns

ITEMS = [{"number": n, "name": f"Item {n}"} for n in range(1, 21)]

TEMPLATE = engines["django"].from_string(
    """<!doctype html>
<html lang="fr">
<head><meta charset="utf-8"><title>{{ title }}</title></head>
<body>
<h1>{{ title|upper }}</h1>
<ul>
{% for item in items %}
  <li class="{% cycle 'odd' 'even' %}">
    {{ forloop.counter }}. {{ item.name }} ({{ item.number|add:100 }})
  </li>
{% endfor %}</ul>
</body>
</html>
"""
)


def bare(request):
    return HttpResponse("ok")


def template(request):
    return HttpResponse(TEMPLATE.render({"title": "Bench", "items": ITEMS}, request))


urlpatterns = [
    path("bench/bare/", bare, name="bench_bare"),
    path("bench/template/", template, name="bench_template"),
    # The baseline of bench/ambassadors.py: a bare view answering with a redirect.
    path("bench/redirect/", bare_redirect, name="bench_redirect"),
    *project_urlpatterns,
]
