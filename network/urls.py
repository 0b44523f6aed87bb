from django.urls import include, path

from network.views import (
    accounts,
    groups,
    moderation,
    notifications,
    organisations,
    people,
    personal_data,
    posts,
    tokens,
)

# Each page module keeps its own routes; all of them share the "network" namespace.
network_patterns = (
    groups.urlpatterns
    + organisations.urlpatterns
    + people.urlpatterns
    + posts.urlpatterns
    + tokens.urlpatterns
    + notifications.urlpatterns
    + moderation.urlpatterns
    + personal_data.urlpatterns
)

urlpatterns = [
    path("accounts/profile/", accounts.account_profile, name="account_profile"),
    path("", include((network_patterns, "network"))),
]
