from django.contrib.auth import get_user_model

from core.roles import in_group

# The ambassador role is a Django group until the ambassadors issue gives it its own model.
AMBASSADORS_GROUP = "Ambassadors"


def list_ambassadors():
    return (
        get_user_model()
        .objects.filter(groups__name=AMBASSADORS_GROUP, is_active=True)
        .order_by("display_name", "username")
    )


def is_ambassador(user) -> bool:
    return in_group(user, AMBASSADORS_GROUP)
