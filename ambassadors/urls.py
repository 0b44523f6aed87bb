from django.urls import path

from . import views

app_name = "ambassadors"

urlpatterns = [
    path("ambassadors/", views.directory, name="directory"),
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
    path("ambassadors/leaderboard/", views.leaderboard, name="leaderboard"),
    path("ambassadors/missions/", views.mission_list, name="missions"),
    path("ambassadors/missions/<int:pk>/", views.mission_detail, name="mission"),
    path("ambassadors/missions/<int:pk>/take/", views.take, name="take"),
    path("ambassadors/missions/<int:pk>/proof/", views.submit, name="submit"),
    path("ambassadors/proofs/<int:pk>/review/", views.review, name="review"),
    path("ambassadors/links/", views.links, name="links"),
    path("ambassadors/links/new/", views.make_link, name="make_link"),
    path("ambassadors/share/<int:page_id>/", views.share, name="share"),
    path("ambassadors/<str:username>/", views.profile, name="profile"),
]
