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
    # allauth's own views, which answer with a message when e-mail cannot be sent.
    path("accounts/login/", accounts.LoginView.as_view(), name="account_login"),
    path("accounts/signup/", accounts.SignupView.as_view(), name="account_signup"),
    path(
        "accounts/password/reset/",
        accounts.PasswordResetView.as_view(),
        name="account_reset_password",
    ),
    path("accounts/profile/", accounts.account_profile, name="account_profile"),
    path("", include((network_patterns, "network"))),
]
