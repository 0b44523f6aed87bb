"""Inviting members, accepting an invitation, and the group's settings."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.errors import FORM_ERRORS, DomainError, NotAllowed, NotFound
from network.forms.groups import (
    GroupForm,
    InviteForm,
)
from network.permissions import (
    can_manage_group,
)
from network.selectors import groups as selectors
from network.services import groups as services
from network.views.groups.common import _group_context, _moderated_group, _visible_group


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def group_invite(request, slug):
    group = _moderated_group(request, slug)
    form = InviteForm(request.POST or None)
    invitation_link = None
    if request.method == "POST" and form.is_valid():
        try:
            invitation, raw_token = services.invite_to_group(
                actor=request.user,
                group=group,
                username=form.cleaned_data["username"] or None,
                email=form.cleaned_data["email"] or None,
            )
        except (*FORM_ERRORS, NotFound) as error:  # an unknown member is a form error
            form.add_error(None, error.message)
        else:
            invitation_link = request.build_absolute_uri(services.invitation_url(raw_token))
            messages.success(
                request,
                _("Invitation sent to %(who)s.") % {"who": invitation.invitee or invitation.email},
            )
            form = InviteForm()
    context = _group_context(request, group, tab="invite")
    context.update(
        {
            "form": form,
            "invitation_link": invitation_link,
            "invitations": list(selectors.open_invitations(group)[:50]),
        }
    )
    return render(request, "network/groups/invite.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
def group_invitation(request, token):
    """The page an invitation link opens: who invites to what, and a button to accept."""
    try:
        invitation = services.get_invitation_for_token(token)
    except NotFound as error:
        return render(
            request, "network/groups/invitation.html", {"error": error.message}, status=404
        )
    try:
        services.check_invitation_usable(invitation)
    except DomainError as error:
        return render(
            request,
            "network/groups/invitation.html",
            {"error": error.message, "invitation": invitation},
            status=410,
        )
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        try:
            services.accept_invitation(actor=request.user, raw_token=token)
        except NotAllowed as error:
            return render(
                request,
                "network/groups/invitation.html",
                {"error": error.message, "invitation": invitation},
                status=403,
            )
        except (*FORM_ERRORS, NotFound) as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Welcome to %(group)s!") % {"group": invitation.group.name})
            return redirect(invitation.group)
    return render(request, "network/groups/invitation.html", {"invitation": invitation})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def group_settings(request, slug):
    group = _visible_group(request, slug)
    if not can_manage_group(request.user, group):
        raise PermissionDenied(_("Only the group's owners can change its settings."))
    form = GroupForm(request.POST or None, initial=GroupForm.initial_for(group))
    if request.method == "POST" and form.is_valid():
        changes = {field: form.cleaned_data[field] for field in form.changed_data}
        try:
            services.update_group(actor=request.user, group=group, **changes)
        except FORM_ERRORS as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The group's settings have been saved."))
            return redirect(group)
    context = _group_context(request, group, tab="settings")
    context["form"] = form
    return render(request, "network/groups/settings.html", context)
