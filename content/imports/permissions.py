"""Who may manage open-data imports (checked again by the services)."""

from core.roles import in_group

# The agency staff who publish pages (Wagtail's group; see content/migrations/0004).
MODERATORS_GROUP = "Moderators"


def can_manage_imports(user) -> bool:
    """Adding sources, running them and resolving conflicts publishes pages: the agency's
    moderators and superusers."""
    if not (user and user.is_authenticated and user.is_active):
        return False
    return user.is_superuser or in_group(user, MODERATORS_GROUP)
