"""Pages of organisations: the directory with its map, an organisation's page, creating and
editing one, its members, following it. Views parse input, call one service or selector and
shape the reply; domain errors are mapped once, in `run_action`: missing → 404, forbidden
→ 403, too fast → 429, anything else → a message on the page it came from."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from content.models import Area
from core.errors import FORM_ERRORS
from core.sanitizer import clean_text
from network.forms.organisations import (
    EDITABLE_FIELDS,
    ROLE_CHOICES,
    MemberAddForm,
    MemberRoleForm,
    OrganisationFilterForm,
    OrganisationForm,
)
from network.models import Organisation, Sector, User
from network.permissions import can_edit_organisation, can_verify_organisation, can_write
from network.selectors import directory as selectors
from network.services import follows as follow_services
from network.services import organisations as services
from network.views.actions import run_action

DIRECTORY_PAGE_SIZE = 24


def _organisation(slug: str) -> Organisation:
    return selectors.get_organisation(slug)


def _editable_organisation(request, slug: str) -> Organisation:
    organisation = _organisation(slug)
    if not can_edit_organisation(request.user, organisation):
        raise PermissionDenied(_("Only the organisation's owners can change it."))
    return organisation


# Directory -------------------------------------------------------------------------------


@require_safe
def organisations_index(request):
    form = OrganisationFilterForm(request.GET)
    filters = form.filters()
    organisations = selectors.list_organisations(
        request.user,
        q=filters.get("q") or "",
        sector=filters.get("sector") or None,
        area=filters.get("area"),
        tag=filters.get("tag") or None,
    )
    page = Paginator(organisations, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    for organisation in page:
        # The description is stored as sanitised HTML; cards show a few words of its text.
        organisation.summary = clean_text(organisation.description)[:300]
    return render(
        request,
        "network/organisations/index.html",
        {
            "filters": filters,
            "results": page,
            "markers": selectors.map_markers(organisations),
            "member_markers": selectors.member_town_markers(request.user),
            "areas": Area.objects.all(),
            "tag_options": selectors.organisation_tag_options(),
            "sectors": Sector.choices,
            "can_create": can_write(request.user),
        },
    )


# Creating and editing --------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def organisation_create(request):
    if not can_write(request.user):
        raise PermissionDenied(_("Your account cannot create organisations at the moment."))
    form = OrganisationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        fields = {field: form.cleaned_data[field] for field in EDITABLE_FIELDS}
        try:
            organisation = services.create_organisation(actor=request.user, **fields)
        except FORM_ERRORS as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your organisation's page is ready."))
            return redirect(organisation)
    return render(request, "network/organisations/form.html", {"form": form})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def organisation_edit(request, slug):
    organisation = _editable_organisation(request, slug)
    can_verify = can_verify_organisation(request.user)
    form = OrganisationForm(
        request.POST or None,
        request.FILES or None,
        initial=OrganisationForm.initial_for(organisation),
        can_verify=can_verify,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_organisation(
                actor=request.user, organisation=organisation, **form.changed_fields()
            )
            if can_verify and "verified" in form.changed_data:
                services.set_verified(
                    actor=request.user,
                    organisation=organisation,
                    verified=form.cleaned_data["verified"],
                )
        except FORM_ERRORS as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The organisation's page has been saved."))
            return redirect(organisation)
    return render(
        request,
        "network/organisations/form.html",
        {
            "form": form,
            "organisation": organisation,
            "memberships": selectors.organisation_members(organisation),
            "member_form": MemberAddForm(),
            "roles": ROLE_CHOICES,
        },
    )


# Members -----------------------------------------------------------------------------------


def _edit_url(organisation: Organisation) -> str:
    return reverse("network:organisation_edit", args=[organisation.slug])


@login_required
@require_POST
def organisation_member_add(request, slug):
    organisation = _organisation(slug)
    form = MemberAddForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter the username of the member to add."))
        return redirect(_edit_url(organisation))
    return run_action(
        request,
        lambda: services.add_organisation_member(
            actor=request.user, organisation=organisation, **form.cleaned_data
        ),
        success=_("%(username)s has been added.") % {"username": form.cleaned_data["username"]},
        back=_edit_url(organisation),
    )


@login_required
@require_POST
def organisation_member_role(request, slug, user_id):
    organisation = _organisation(slug)
    member = get_object_or_404(User, pk=user_id)
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a role from the list."))
        return redirect(_edit_url(organisation))
    return run_action(
        request,
        lambda: services.set_organisation_member_role(
            actor=request.user,
            organisation=organisation,
            user=member,
            role=form.cleaned_data["role"],
        ),
        success=_("The role of %(name)s has been changed.") % {"name": member},
        back=_edit_url(organisation),
    )


@login_required
@require_POST
def organisation_member_remove(request, slug, user_id):
    organisation = _organisation(slug)
    member = get_object_or_404(User, pk=user_id)
    leaving = member.pk == request.user.pk
    return run_action(
        request,
        lambda: services.remove_organisation_member(
            actor=request.user, organisation=organisation, user=member
        ),
        success=(
            _("You have left %(organisation)s.") % {"organisation": organisation.name}
            if leaving
            else _("%(name)s is no longer a member.") % {"name": member}
        ),
        back=organisation.get_absolute_url() if leaving else _edit_url(organisation),
    )


# The organisation's page and following it --------------------------------------------------


@require_safe
def organisation_detail(request, slug):
    organisation = _organisation(slug)
    user = request.user
    memberships = list(selectors.organisation_members(organisation))
    my_membership = next((m for m in memberships if m.user_id == user.pk), None)
    return render(
        request,
        "network/organisations/detail.html",
        {
            "organisation": organisation,
            "memberships": memberships,
            "my_membership": my_membership,
            "follower_count": selectors.organisation_follower_count(organisation),
            "is_following": selectors.is_following(user, organisation=organisation),
            "can_follow": can_write(user),
            "can_edit": can_edit_organisation(user, organisation),
            "recent_posts": list(selectors.organisation_recent_posts(user, organisation)),
            # Member pages are for signed-in members: visitors see names without links.
            "link_people": user.is_authenticated,
        },
    )


@login_required
@require_POST
def organisation_follow(request, slug):
    organisation = _organisation(slug)
    return run_action(
        request,
        lambda: follow_services.follow_organisation(actor=request.user, organisation=organisation),
        success=_("You follow %(name)s: its news will appear in your feed.")
        % {"name": organisation.name},
        back=organisation.get_absolute_url(),
    )


@login_required
@require_POST
def organisation_unfollow(request, slug):
    organisation = _organisation(slug)
    return run_action(
        request,
        lambda: follow_services.unfollow_organisation(
            actor=request.user, organisation=organisation
        ),
        success=_("You no longer follow %(name)s.") % {"name": organisation.name},
        back=organisation.get_absolute_url(),
    )


urlpatterns = [
    path("organisations/", organisations_index, name="organisations"),
    path("organisations/new/", organisation_create, name="organisation_create"),
    path("organisations/<slug:slug>/", organisation_detail, name="organisation"),
    path("organisations/<slug:slug>/edit/", organisation_edit, name="organisation_edit"),
    path("organisations/<slug:slug>/follow/", organisation_follow, name="organisation_follow"),
    path(
        "organisations/<slug:slug>/unfollow/", organisation_unfollow, name="organisation_unfollow"
    ),
    path(
        "organisations/<slug:slug>/members/add/",
        organisation_member_add,
        name="organisation_member_add",
    ),
    path(
        "organisations/<slug:slug>/members/<int:user_id>/role/",
        organisation_member_role,
        name="organisation_member_role",
    ),
    path(
        "organisations/<slug:slug>/members/<int:user_id>/remove/",
        organisation_member_remove,
        name="organisation_member_remove",
    ),
]
