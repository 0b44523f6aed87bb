"""Chat pages: the rooms list and a room. The room is rendered with its latest messages
(readable without JavaScript); realtime/static/realtime/chat.js then opens the room's socket
with ?after=<the last seq shown> and takes over. Domain errors map as in network's views:
missing → 404, forbidden → 403, anything else → a message on the page it came from."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.errors import DomainError, NotAllowed, NotFound
from network.models import User

from . import permissions, selectors, services
from .models import Room


def refuse(error: DomainError):
    """Missing and forbidden become the site's 404 and 403 pages."""
    if isinstance(error, NotFound):
        raise Http404(str(error.message)) from error
    raise PermissionDenied(str(error.message)) from error


@require_safe
@login_required
def chat_index(request):
    rooms = selectors.rooms_for(request.user)
    return render(
        request,
        "realtime/chat_index.html",
        {"rooms": rooms, "can_start": permissions.can_create_private_room(request.user)},
    )


@require_safe
@login_required
def chat_room(request, room_id):
    try:
        room = services.get_room_for(request.user, room_id)
    except NotFound as error:
        refuse(error)
    rooms = selectors.rooms_for(request.user)
    current = next((r for r in rooms if r.pk == room.pk), room)
    history = selectors.history(room)
    members = selectors.read_marks(room)
    show_receipts = len(members) <= permissions.MAX_RECEIPT_MEMBERS
    return render(
        request,
        "realtime/chat_room.html",
        {
            "room": current,
            "rooms": rooms,
            "history": history,
            "last_seq": history[-1].seq if history else 0,
            "read_seq": getattr(current, "read_seq", 0),
            "members": members,
            "show_receipts": show_receipts,
            "member_count": len(members),
            "read_marks": [[m.user.username, m.last_read_seq] for m in members],
        },
    )


@require_POST
@login_required
def open_direct(request, username):
    other = get_object_or_404(User, username=username, is_active=True)
    try:
        room = services.open_direct_room(actor=request.user, other=other)
    except (NotFound, NotAllowed) as error:
        refuse(error)
    return redirect(room)


@require_safe
@login_required
def open_group_room(request, slug):
    """The group's room, for its members ("Discuter" on the group's page)."""
    room = Room.objects.filter(group__slug=slug).first()
    if room is None or not permissions.can_read_room(request.user, room):
        refuse(NotFound())
    return redirect(room)


@require_POST
@login_required
def start_conversation(request):
    names = [
        name.strip().lstrip("@")
        for name in request.POST.get("members", "").replace(";", ",").split(",")
        if name.strip()
    ]
    people = list(User.objects.filter(username__in=names[:50], is_active=True))
    try:
        room = services.create_private_room(
            actor=request.user, name=request.POST.get("name", ""), members=people
        )
    except (NotFound, NotAllowed) as error:
        refuse(error)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("chat_index")
    missing = {name.lower() for name in names} - {p.username.lower() for p in people}
    if missing:
        messages.warning(
            request,
            _("Not found, so not added: %(names)s") % {"names": ", ".join(sorted(missing))},
        )
    return redirect(room)
