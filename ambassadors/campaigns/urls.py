"""Campaign pages, mounted by config/urls.py under campaigns/ (namespace "campaigns")."""

from django.urls import path

from . import report_views, views

app_name = "campaigns"

urlpatterns = [
    path("", views.campaign_list, name="campaigns"),
    path("new/", views.campaign_edit, name="campaign_new"),
    path("creator/", views.creator_profile, name="creator_profile"),
    path("creators/", views.creator_directory, name="creators"),
    path("<int:pk>/", views.campaign_detail, name="campaign"),
    path("<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("<int:pk>/invite/", views.campaign_invite, name="campaign_invite"),
    path("<int:pk>/<str:action>/move/", views.campaign_move, name="campaign_move"),
    path("<int:pk>/answer/<str:answer>/", views.campaign_answer, name="campaign_answer"),
    path("<int:pk>/contents/new/", views.deliverable_new, name="deliverable_new"),
    path(
        "<int:pk>/contents/<int:deliverable_pk>/revise/",
        views.deliverable_new,
        name="deliverable_revise",
    ),
    path("contents/<int:pk>/", views.deliverable_detail, name="deliverable"),
    path("contents/<int:pk>/review/", views.deliverable_review, name="deliverable_review"),
    path("contents/<int:pk>/publish/", views.deliverable_publish, name="deliverable_publish"),
    path("<int:pk>/report/", report_views.campaign_report, name="campaign_report"),
    path("<int:pk>/report.csv", report_views.campaign_report_csv, name="campaign_report_csv"),
    path("<int:pk>/report/share/", report_views.campaign_share, name="campaign_share"),
    path("shared/<str:token>/", report_views.campaign_shared, name="campaign_shared"),
    path("stages/", report_views.campaign_stages, name="campaign_stages"),
    path("ledger/", views.ledger_view, name="campaign_ledger"),
    path("contracts/<int:pk>/", views.contract_detail, name="contract"),
    path("contracts/<int:pk>/sign/", views.contract_sign, name="contract_sign"),
]
