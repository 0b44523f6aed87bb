from django.contrib.auth import get_user_model

# The ambassador role is a Django group until the ambassadors issue gives it its own model.
AMBASSADORS_GROUP = "Ambassadors"


def list_ambassadors():
    return (
        get_user_model()
        .objects.filter(groups__name=AMBASSADORS_GROUP, is_active=True)
        .order_by("display_name", "username")
    )


def is_ambassador(user) -> bool:
    return user.is_authenticated and user.groups.filter(name=AMBASSADORS_GROUP).exists()
