from django.urls import path

from . import directory_views, greeter_views, views

app_name = "ambassadors"

urlpatterns = [
    path("ambassadors/", directory_views.directory, name="directory"),
    path("ambassadors/map.json", directory_views.map_markers, name="map_markers"),
    path("ambassadors/apply/", views.apply, name="apply"),
    path("ambassadors/charter/", views.charter, name="charter"),
    path("ambassadors/me/", views.me, name="me"),
    path("ambassadors/me/profile/", views.edit_profile, name="edit_profile"),
    path("ambassadors/applications/", views.applications, name="applications"),
    path("ambassadors/applications/<int:pk>/", views.application_detail, name="application"),
    path("ambassadors/briefings/", views.briefing_list, name="briefings"),
    path("ambassadors/briefings/<int:pk>/", views.briefing_detail, name="briefing"),
    path("ambassadors/briefings/<int:pk>/read/", views.briefing_read, name="briefing_read"),
    path("ambassadors/briefings/<int:pk>/send/", views.briefing_send, name="briefing_send"),
    path("ambassadors/leaderboard/", directory_views.leaderboard, name="leaderboard"),
    path("ambassadors/missions/", views.mission_list, name="missions"),
    path("ambassadors/missions/<int:pk>/", views.mission_detail, name="mission"),
    path("ambassadors/missions/<int:pk>/take/", views.take, name="take"),
    path("ambassadors/missions/<int:pk>/proof/", views.submit, name="submit"),
    path("ambassadors/proofs/<int:pk>/review/", views.review, name="review"),
    path("ambassadors/links/", views.links, name="links"),
    path("ambassadors/links/new/", views.make_link, name="make_link"),
    path("ambassadors/share/<int:page_id>/", views.share, name="share"),
    path("greeters/", greeter_views.meet, name="greeter_meet"),
    path("greeters/sent/", greeter_views.sent, name="greeter_sent"),
    path("greeters/confirm/<str:token>/", greeter_views.confirm, name="greeter_confirm"),
    path(
        "greeters/feedback/<str:token>/",
        greeter_views.visitor_feedback,
        name="greeter_feedback",
    ),
    path("ambassadors/me/greeter/", greeter_views.offer, name="greeter_offer"),
    path("ambassadors/greeters/", greeter_views.my_requests, name="greeter_requests"),
    path("ambassadors/greeters/waiting/", greeter_views.waiting, name="greeter_waiting"),
    path("ambassadors/greeters/<int:pk>/", greeter_views.request_detail, name="greeter_request"),
    path("ambassadors/greeters/<int:pk>/accept/", greeter_views.accept, name="greeter_accept"),
    path(
        "ambassadors/greeters/<int:pk>/feedback/",
        greeter_views.greeter_feedback,
        name="greeter_leave_feedback",
    ),
    path("ambassadors/<str:username>/", views.profile, name="profile"),
    path("ambassadors/<str:username>/badges/", views.give_badge, name="give_badge"),
]
