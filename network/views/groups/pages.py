"""A group's page and feed; joining, leaving, following closely, withdrawing a request."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.errors import FORM_ERRORS, InvalidInput
from network.forms.groups import (
    JoinForm,
)
from network.models import Group, JoinRequest
from network.selectors import groups as selectors
from network.selectors.feed import group_feed
from network.services import groups as services
from network.views.groups.common import _group_context, _run, _visible_group

# A group's page and membership ---------------------------------------------------------------


@require_safe
def group_detail(request, slug):
    group = _visible_group(request, slug)
    context = _group_context(request, group, tab="posts")
    feed = None
    if context["can_read"]:
        try:
            feed = group_feed(request.user, group, cursor=request.GET.get("cursor") or None)
        except InvalidInput as error:
            return render(request, "network/posts/400.html", {"message": error.message}, status=400)
    context.update(
        {
            "feed": feed,
            "join_form": JoinForm(),
            "upcoming_events": (
                list(selectors.group_events(request.user, group)[:3]) if context["can_read"] else []
            ),
        }
    )
    return render(request, "network/groups/detail.html", context)


def _group_by_slug(slug: str) -> Group:
    """For actions: the service decides whether the actor may see the group (an invited
    member may join a secret group)."""
    return get_object_or_404(Group, slug=slug)


@login_required
@require_POST
def group_join(request, slug):
    group = _group_by_slug(slug)
    form = JoinForm(request.POST)
    message = form.cleaned_data["message"] if form.is_valid() else ""

    def join():
        return services.join_group(actor=request.user, group=group, message=message)

    try:
        result = join()
    except FORM_ERRORS as error:
        messages.error(request, error.message)
    else:
        if isinstance(result, JoinRequest):
            messages.success(request, _("Your request has been sent to the group's moderators."))
        else:
            messages.success(request, _("Welcome to %(group)s!") % {"group": group.name})
    return redirect(group)


@login_required
@require_POST
def group_leave(request, slug):
    group = _group_by_slug(slug)
    return _run(
        request,
        lambda: services.leave_group(actor=request.user, group=group),
        success=_("You have left the group."),
        back=group.get_absolute_url(),
    )


@login_required
@require_POST
def group_follow_closely(request, slug):
    group = _group_by_slug(slug)
    on = request.POST.get("on") == "1"
    return _run(
        request,
        lambda: services.set_follows_closely(actor=request.user, group=group, on=on),
        success=(
            _("You will be told of every new post in this group.")
            if on
            else _("You will no longer be told of every new post in this group.")
        ),
        back=group.get_absolute_url(),
    )


@login_required
@require_POST
def group_withdraw_request(request, slug):
    group = _group_by_slug(slug)
    return _run(
        request,
        lambda: services.withdraw_join_request(actor=request.user, group=group),
        success=_("Your request has been withdrawn."),
        back=group.get_absolute_url(),
    )
