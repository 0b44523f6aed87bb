"""A group's members and their moderation; join requests."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from network.forms.groups import (
    BanForm,
    DecisionForm,
    RoleForm,
)
from network.models import Group, GroupMembership, JoinRequest, User
from network.permissions import (
    can_manage_group,
    can_moderate_group,
)
from network.selectors import groups as selectors
from network.services import groups as services
from network.views.groups.common import (
    MEMBERS_PAGE_SIZE,
    _group_context,
    _moderated_group,
    _readable_group,
    _run,
    _visible_group,
)

# Members and moderation ----------------------------------------------------------------------


@require_safe
def group_members(request, slug):
    group = _readable_group(request, slug)
    context = _group_context(request, group, tab="members")
    page = Paginator(selectors.group_members(group), MEMBERS_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context.update(
        {
            "results": page,
            "roles": GroupMembership.Role.choices,
            "bans": list(selectors.group_bans(group)) if context["can_moderate"] else [],
        }
    )
    return render(request, "network/groups/members.html", context)


def _member(user_id: int) -> User:
    return get_object_or_404(User, pk=user_id)


def _members_url(group: Group) -> str:
    return reverse("network:group_members", args=[group.slug])


def _event_url(event) -> str:
    return reverse("network:group_event", args=[event.group.slug, event.pk])


@login_required
@require_POST
def group_member_remove(request, slug, user_id):
    group = _visible_group(request, slug)
    member = _member(user_id)
    return _run(
        request,
        lambda: services.remove_member(actor=request.user, group=group, user=member),
        success=_("%(name)s is no longer a member.") % {"name": member},
        back=_members_url(group),
    )


@login_required
@require_POST
def group_member_ban(request, slug, user_id):
    group = _visible_group(request, slug)
    member = _member(user_id)
    form = BanForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _run(
        request,
        lambda: services.ban_member(actor=request.user, group=group, user=member, reason=reason),
        success=_("%(name)s is banned from the group.") % {"name": member},
        back=_members_url(group),
    )


@login_required
@require_POST
def group_member_unban(request, slug, user_id):
    group = _visible_group(request, slug)
    member = _member(user_id)
    return _run(
        request,
        lambda: services.unban_member(actor=request.user, group=group, user=member),
        success=_("The ban of %(name)s is lifted.") % {"name": member},
        back=_members_url(group),
    )


@login_required
@require_POST
def group_member_role(request, slug, user_id):
    group = _visible_group(request, slug)
    member = _member(user_id)
    form = RoleForm(request.POST)
    if not form.is_valid():
        if not can_manage_group(request.user, group):
            raise PermissionDenied()
        messages.error(request, _("Choose a role."))
        return redirect(_members_url(group))
    return _run(
        request,
        lambda: services.set_member_role(
            actor=request.user, group=group, user=member, role=form.cleaned_data["role"]
        ),
        success=_("The role of %(name)s has been changed.") % {"name": member},
        back=_members_url(group),
    )


@login_required
@require_safe
def group_requests(request, slug):
    group = _moderated_group(request, slug)
    context = _group_context(request, group, tab="requests")
    context["join_requests"] = list(selectors.pending_join_requests(group))
    return render(request, "network/groups/requests.html", context)


@login_required
@require_POST
def group_request_decide(request, slug, request_id):
    group = _visible_group(request, slug)
    join_request = get_object_or_404(JoinRequest, pk=request_id, group=group)
    form = DecisionForm(request.POST)
    if not form.is_valid():
        if not can_moderate_group(request.user, group):
            raise PermissionDenied()
        messages.error(request, _("Choose whether to approve or decline."))
        return redirect("network:group_requests", slug=group.slug)
    approve = form.cleaned_data["decision"] == "approve"
    name = join_request.user.get_display_name()
    return _run(
        request,
        lambda: services.decide_join_request(
            actor=request.user,
            join_request=join_request,
            approve=approve,
            reason=form.cleaned_data["reason"],
        ),
        success=(
            _("%(name)s is now a member.") if approve else _("The request of %(name)s is declined.")
        )
        % {"name": name},
        back=reverse("network:group_requests", args=[group.slug]),
    )
