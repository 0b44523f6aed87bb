"""The network search at /community/search/?q=&type=: people (signed-in members only),
organisations, groups and posts, each through its permission filter
(network.selectors.search). Without a type, the first few results of each kind; with one,
its results page by page. Every piece of text is escaped before the query terms are marked."""

from dataclasses import dataclass

from django import forms
from django.core.paginator import Paginator
from django.template.response import TemplateResponse
from django.urls import NoReverseMatch, path, reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from content.views.search import excerpt_around_match, highlight, query_terms
from core.sanitizer import clean_text
from network.models import Group, Organisation, Post, User
from network.permissions import can_see_member_directory
from network.selectors.directory import MAX_QUERY_LENGTH
from network.selectors.search import SEARCH_TYPES, SEARCHES

PREVIEW_SIZE = 5  # results of each kind when searching everything
PAGE_SIZE = 20
EXCERPT_LENGTH = 200
TYPE_LABELS = {
    "people": _("People"),
    "organisations": _("Organisations"),
    "groups": _("Groups"),
    "posts": _("Posts"),
}

GROUP_VISIBILITY = {
    Group.Visibility.PUBLIC: _("Public group"),
    Group.Visibility.PRIVATE: _("Private group"),
    Group.Visibility.SECRET: _("Secret group"),
}


class NetworkSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={
            "max_length": _("Your search is too long: use at most %(limit_value)d characters.")
        },
    )
    type = forms.ChoiceField(
        label=_("Search in"),
        required=False,
        choices=[("", _("Everything")), *TYPE_LABELS.items()],
    )


@dataclass(frozen=True)
class NetworkHit:
    url: str
    title: SafeString
    meta: str
    excerpt: SafeString
    person: User | None = None  # for the avatar of people and posts' authors


def _excerpt(text: str, terms: list[str]) -> SafeString:
    return highlight(excerpt_around_match(text, terms, EXCERPT_LENGTH), terms)


def _post_url(post: Post) -> str:
    try:
        return post.get_absolute_url()
    except NoReverseMatch:  # the post pages are not installed yet
        return ""


def to_hit(kind: str, item, terms: list[str]) -> NetworkHit:
    if kind == "people":
        return NetworkHit(
            url=reverse("network:person", args=[item.username]),
            title=highlight(item.get_display_name(), terms),
            meta=" · ".join(filter(None, [f"@{item.username}", item.area and item.area.name])),
            excerpt=_excerpt(clean_text(item.bio), terms),
            person=item,
        )
    if kind == "organisations":
        organisation: Organisation = item
        return NetworkHit(
            url=organisation.get_absolute_url(),
            title=highlight(organisation.name, terms),
            meta=" · ".join(
                filter(
                    None,
                    [
                        str(organisation.get_sector_display()),
                        organisation.area and organisation.area.name,
                    ],
                )
            ),
            excerpt=_excerpt(clean_text(organisation.description), terms),
        )
    if kind == "groups":
        group: Group = item
        return NetworkHit(
            url=group.get_absolute_url(),
            title=highlight(group.name, terms),
            meta=" · ".join(
                filter(
                    None, [str(GROUP_VISIBILITY[group.visibility]), group.area and group.area.name]
                )
            ),
            excerpt=_excerpt(clean_text(group.description), terms),
        )
    post: Post = item
    return NetworkHit(
        url=_post_url(post),
        title=highlight(post.author.get_display_name(), terms),
        meta=post.group.name if post.group_id else "",
        excerpt=_excerpt(post.body_text, terms),
        person=post.author,
    )


@require_safe
def network_search(request):
    form = NetworkSearchForm(request.GET)
    status = 200 if form.is_valid() else 400
    data = form.cleaned_data if status == 200 else {}
    query, kind = data.get("q") or "", data.get("type") or ""
    # People are for signed-in members only, as the member directory.
    people_allowed = can_see_member_directory(request.user)
    kinds = [k for k in SEARCH_TYPES if k != "people" or people_allowed]
    terms = query_terms(query)
    sections, results = [], None
    if query and kind:
        found = SEARCHES[kind](request.user, query)
        results = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
        if results.object_list:
            sections.append(
                {
                    "kind": kind,
                    "label": TYPE_LABELS[kind],
                    "hits": [to_hit(kind, item, terms) for item in results],
                    "more": False,
                }
            )
    elif query:
        for each in kinds:
            items = list(SEARCHES[each](request.user, query)[: PREVIEW_SIZE + 1])
            if items:
                sections.append(
                    {
                        "kind": each,
                        "label": TYPE_LABELS[each],
                        "hits": [to_hit(each, item, terms) for item in items[:PREVIEW_SIZE]],
                        "more": len(items) > PREVIEW_SIZE,
                    }
                )
    context = {
        "form": form,
        "query": query,
        "kind": kind,
        "kinds": [(k, TYPE_LABELS[k]) for k in kinds],
        "sections": sections,
        "results": results,
        "people_hidden": not people_allowed and kind in ("", "people"),
        "max_query_length": MAX_QUERY_LENGTH,
    }
    return TemplateResponse(request, "network/search/index.html", context, status=status)


urlpatterns = [
    path("community/search/", network_search, name="search"),
]
