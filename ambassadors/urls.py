from django.urls import path

from . import views

urlpatterns = [
    path("ambassadors/", views.ambassador_directory, name="ambassador_directory"),
]
