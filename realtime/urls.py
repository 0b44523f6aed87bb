from django.urls import path

from . import views

urlpatterns = [
    path("chat/", views.chat_index, name="chat_index"),
    path("chat/<int:room_id>/", views.chat_room, name="chat_room"),
    path("chat/new/", views.start_conversation, name="chat_start"),
    path("chat/direct/<str:username>/", views.open_direct, name="chat_direct"),
    path("chat/group/<slug:slug>/", views.open_group_room, name="chat_group"),
]
