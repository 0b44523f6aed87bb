import functools

from network.services.notifications import unread_count


def notifications(request):
    """The header's unread count: a callable, so that the template computes it only where it
    shows it, once per page (and the count itself is cached between pages)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": functools.cache(lambda: unread_count(user))}
