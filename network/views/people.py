"""Member pages and the member directory, for signed-in members only (private persons are
not shown to the whole web), and following members. The network search's route lives in
network.views.search and is listed here, since network.urls gathers pages by module."""

from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from content.models import Area
from core.errors import InvalidInput
from network.forms.accounts import PeopleFilterForm
from network.models import User
from network.permissions import can_see_member_directory, can_write
from network.selectors import directory as selectors
from network.services import follows as follow_services
from network.views import search
from network.views.actions import run_action

try:  # The profile feed comes from the posts part of the network; the page works without it.
    from network.selectors.feed import profile_feed
except ImportError:  # pragma: no cover - only while the posts part is missing
    profile_feed = None

DIRECTORY_PAGE_SIZE = 30


@require_safe
def people_index(request):
    if not can_see_member_directory(request.user):
        return redirect_to_login(request.get_full_path())
    form = PeopleFilterForm(request.GET)
    filters = form.filters()
    people = selectors.list_people(
        request.user,
        q=filters.get("q") or "",
        area=filters.get("area"),
        tag=filters.get("tag") or None,
    )
    page = Paginator(people, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "network/people/index.html",
        {
            "filters": filters,
            "results": page,
            "areas": Area.objects.all(),
            "tag_options": selectors.interest_options(request.user),
        },
    )


def _person(request, username: str) -> User:
    return selectors.get_person_for(request.user, username)


@require_safe
def person_detail(request, username):
    if not can_see_member_directory(request.user):
        return redirect_to_login(request.get_full_path())
    person = _person(request, username)
    feed = None
    if profile_feed is not None:
        try:
            feed = profile_feed(request.user, person, cursor=request.GET.get("cursor"))
        except InvalidInput as error:
            return HttpResponseBadRequest(str(error.message))
    return render(
        request,
        "network/people/detail.html",
        {
            "person": person,
            "is_me": person.pk == request.user.pk,
            "memberships": list(selectors.organisations_of(person)),
            "counts": selectors.follow_counts(person),
            "is_following": selectors.is_following(request.user, user=person),
            "can_follow": can_write(request.user) and person.pk != request.user.pk,
            "can_post": can_write(request.user),
            "feed": feed,
            "posts_ready": profile_feed is not None,
        },
    )


@login_required
@require_POST
def person_follow(request, username):
    person = _person(request, username)
    return run_action(
        request,
        lambda: follow_services.follow_user(actor=request.user, user=person),
        success=_("You follow %(name)s: their posts will appear in your feed.")
        % {"name": person.get_display_name()},
        back=person_url(person),
    )


@login_required
@require_POST
def person_unfollow(request, username):
    person = _person(request, username)
    return run_action(
        request,
        lambda: follow_services.unfollow_user(actor=request.user, user=person),
        success=_("You no longer follow %(name)s.") % {"name": person.get_display_name()},
        back=person_url(person),
    )


def person_url(person: User) -> str:
    return reverse("network:person", args=[person.username])


urlpatterns = [
    path("people/", people_index, name="people"),
    path("people/<str:username>/", person_detail, name="person"),
    path("people/<str:username>/follow/", person_follow, name="person_follow"),
    path("people/<str:username>/unfollow/", person_unfollow, name="person_unfollow"),
    *search.urlpatterns,
]
