from django.urls import path

from . import views

app_name = "press"

urlpatterns = [
    path("press/", views.releases, name="releases"),
    path("press/releases/new/", views.release_new, name="release_new"),
    path("press/releases/<int:pk>/", views.release_detail, name="release"),
    path("press/releases/<int:pk>/edit/", views.release_edit, name="release_edit"),
    path("press/releases/<int:pk>/send/", views.release_send, name="release_send"),
    path("press/contacts/", views.contacts, name="contacts"),
    path("press/contacts/new/", views.contact_new, name="contact_new"),
    path("press/contacts/import/", views.contact_import, name="contact_import"),
    path("press/contacts/<int:pk>/", views.contact_detail, name="contact"),
    path("press/contacts/<int:pk>/export/", views.contact_export, name="contact_export"),
    path("press/contacts/<int:pk>/erase/", views.contact_erase, name="contact_erase"),
    path("press/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
