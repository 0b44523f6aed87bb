"""Pages of the networking groups: the directory, a group's page and feed, its members,
join requests, invitations, settings and events. Views parse input, call one service or
selector and shape the reply; domain errors are mapped once, in `_run`: missing → 404,
forbidden → 403, too fast → 429, anything else → a message on the page it came from."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from content.models import Area
from core.errors import FORM_ERRORS, DomainError, InvalidInput, NotAllowed, NotFound
from core.sanitizer import clean_text
from network.forms.groups import (
    BanForm,
    DecisionForm,
    GroupEventForm,
    GroupFilterForm,
    GroupForm,
    InviteForm,
    JoinForm,
    RoleForm,
    RSVPForm,
)
from network.models import Group, GroupMembership, JoinRequest, Sector, User
from network.permissions import (
    can_create_group,
    can_manage_group,
    can_moderate_group,
    can_post_in_group,
    can_read_group,
    can_rsvp_group_event,
    can_write,
)
from network.selectors import groups as selectors
from network.selectors.feed import group_feed
from network.services import group_events as event_services
from network.services import groups as services

DIRECTORY_PAGE_SIZE = 24
MEMBERS_PAGE_SIZE = 50



def _run(request, action, *, success: str = "", back: str):
    """Call a service for a POSTed action and answer with a redirect to `back`: its
    success message, or its error as a message. Missing/forbidden raise 404/403; a rate
    limit answers 429 so that scripts see it."""
    try:
        action()
    except FORM_ERRORS as error:
        messages.error(request, error.message)
    else:
        if success:
            messages.success(request, success)
    return redirect(back)


def _visible_group(request, slug: str) -> Group:
    return selectors.get_group_for(request.user, slug)


def _readable_group(request, slug: str) -> Group:
    """The group, if the viewer may read its content (members pages, events): a private
    group's pages answer 403 to non-members, a secret one's 404."""
    group = _visible_group(request, slug)
    if not can_read_group(request.user, group):
        raise PermissionDenied(_("This group's content is for its members."))
    return group


def _moderated_group(request, slug: str) -> Group:
    group = _visible_group(request, slug)
    if not can_moderate_group(request.user, group):
        raise PermissionDenied(_("Only the group's moderators can see this page."))
    return group


def _group_context(request, group: Group, *, tab: str) -> dict:
    """What every page of a group needs for its header and tabs."""
    user = request.user
    state = selectors.viewer_state(user, group)
    can_moderate = can_moderate_group(user, group)
    return {
        "group": group,
        "state": state,
        "tab": tab,
        "can_read": can_read_group(user, group),
        "can_write": can_write(user),
        "can_post": can_post_in_group(user, group),
        "can_moderate": can_moderate,
        "can_manage": can_manage_group(user, group),
        "pending_count": selectors.pending_request_count(group) if can_moderate else 0,
    }


# Directory and creation --------------------------------------------------------------------


@require_safe
def groups_index(request):
    user = request.user
    form = GroupFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    groups = selectors.list_groups(
        user,
        q=filters.get("q") or "",
        area=filters.get("area"),
        tag=filters.get("tag") or None,
        sector=filters.get("sector") or None,
    )
    page = Paginator(groups, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    for group in page:
        group.summary = clean_text(group.description)
    return render(
        request,
        "network/groups/index.html",
        {
            "form": form,
            "filters": filters,
            "results": page,
            "my_group_ids": selectors.member_group_ids(user),
            "areas": Area.objects.all(),
            "tag_options": selectors.group_tag_options(user),
            "sectors": Sector.choices,
            "can_create": can_create_group(user),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def group_create(request):
    if not can_write(request.user):
        raise PermissionDenied(_("Your account cannot create groups at the moment."))
    if not can_create_group(request.user):
        raise PermissionDenied(
            _("Creating groups unlocks at a higher trust level: see your account page.")
        )
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.create_group(actor=request.user, **form.cleaned_data)
        except FORM_ERRORS as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your group is ready. Invite the first members!"))
            return redirect(group)
    return render(request, "network/groups/create.html", {"form": form})


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


# Events --------------------------------------------------------------------------------------


@require_safe
def group_events(request, slug):
    group = _readable_group(request, slug)
    context = _group_context(request, group, tab="events")
    upcoming = list(selectors.group_events(request.user, group))
    past = list(selectors.group_events(request.user, group, past=True)[:20])
    mine = selectors.rsvps_of(request.user, upcoming + past)
    for event in upcoming + past:
        event.my_rsvp = mine.get(event.pk)
    context.update({"upcoming": upcoming, "past": past})
    return render(request, "network/groups/events.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def group_event_create(request, slug):
    group = _moderated_group(request, slug)
    form = GroupEventForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = event_services.create_group_event(
                actor=request.user,
                group=group,
                title=data["title"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                description=data["description"],
                location=data["location"],
                capacity=data["capacity"],
                guests_allowed=data["guests_allowed"],
                content_event=data["content_event"],
            )
        except FORM_ERRORS as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The event is on the group's calendar."))
            return redirect("network:group_event", slug=group.slug, event_id=event.pk)
    context = _group_context(request, group, tab="events")
    context["form"] = form
    return render(request, "network/groups/event_form.html", context)


@require_safe
def group_event_detail(request, slug, event_id):
    group = _readable_group(request, slug)
    event = selectors.get_group_event_for(request.user, group, event_id)
    going, waiting = selectors.event_rsvps(event)
    mine = next((r for r in going + waiting if r.user_id == request.user.pk), None)
    context = _group_context(request, group, tab="events")
    context.update(
        {
            "event": event,
            "going": going,
            "waiting": waiting,
            "my_rsvp": mine,
            "my_position": waiting.index(mine) + 1 if mine in waiting else None,
            "seats_left": (
                max(event.capacity - event.seats_taken, 0) if event.capacity is not None else None
            ),
            "can_rsvp": can_rsvp_group_event(request.user, group),
            "started": event.starts_at <= timezone.now(),
            "rsvp_form": RSVPForm(event=event),
            "guest_range": range(event.guests_allowed + 1),
        }
    )
    return render(request, "network/groups/event_detail.html", context)


def _event_for_action(request, slug, event_id):
    group = _readable_group(request, slug)
    return selectors.get_group_event_for(request.user, group, event_id)


@login_required
@require_POST
def group_event_rsvp(request, slug, event_id):
    event = _event_for_action(request, slug, event_id)
    back = _event_url(event)
    form = RSVPForm(request.POST, event=event)
    if not form.is_valid():
        if not can_rsvp_group_event(request.user, event.group):
            raise PermissionDenied()
        messages.error(request, _("Say how many guests come with you (a number)."))
        return redirect(back)

    def reply():
        return event_services.rsvp(
            actor=request.user, event=event, guests=form.cleaned_data["guests"]
        )

    try:
        result = reply()
    except FORM_ERRORS as error:
        messages.error(request, error.message)
    else:
        if result.status == result.Status.GOING:
            messages.success(request, _("You are going. See you there!"))
        else:
            messages.success(
                request,
                _("The event is full: you are on the waiting list and will move up by yourself."),
            )
    return redirect(back)


@login_required
@require_POST
def group_event_cancel(request, slug, event_id):
    event = _event_for_action(request, slug, event_id)
    return _run(
        request,
        lambda: event_services.cancel_rsvp(actor=request.user, event=event),
        success=_("Your reply is cancelled."),
        back=_event_url(event),
    )


urlpatterns = [
    path("groups/", groups_index, name="groups"),
    path("groups/new/", group_create, name="group_create"),
    path("groups/invitations/<str:token>/", group_invitation, name="group_invitation"),
    path("groups/<slug:slug>/", group_detail, name="group"),
    path("groups/<slug:slug>/join/", group_join, name="group_join"),
    path("groups/<slug:slug>/leave/", group_leave, name="group_leave"),
    path("groups/<slug:slug>/follow-closely/", group_follow_closely, name="group_follow_closely"),
    path("groups/<slug:slug>/withdraw/", group_withdraw_request, name="group_withdraw_request"),
    path("groups/<slug:slug>/members/", group_members, name="group_members"),
    path(
        "groups/<slug:slug>/members/<int:user_id>/remove/",
        group_member_remove,
        name="group_member_remove",
    ),
    path(
        "groups/<slug:slug>/members/<int:user_id>/ban/", group_member_ban, name="group_member_ban"
    ),
    path(
        "groups/<slug:slug>/members/<int:user_id>/unban/",
        group_member_unban,
        name="group_member_unban",
    ),
    path(
        "groups/<slug:slug>/members/<int:user_id>/role/",
        group_member_role,
        name="group_member_role",
    ),
    path("groups/<slug:slug>/requests/", group_requests, name="group_requests"),
    path(
        "groups/<slug:slug>/requests/<int:request_id>/",
        group_request_decide,
        name="group_request_decide",
    ),
    path("groups/<slug:slug>/invite/", group_invite, name="group_invite"),
    path("groups/<slug:slug>/settings/", group_settings, name="group_settings"),
    path("groups/<slug:slug>/events/", group_events, name="group_events"),
    path("groups/<slug:slug>/events/new/", group_event_create, name="group_event_create"),
    path("groups/<slug:slug>/events/<int:event_id>/", group_event_detail, name="group_event"),
    path(
        "groups/<slug:slug>/events/<int:event_id>/rsvp/",
        group_event_rsvp,
        name="group_event_rsvp",
    ),
    path(
        "groups/<slug:slug>/events/<int:event_id>/cancel/",
        group_event_cancel,
        name="group_event_cancel",
    ),
]
