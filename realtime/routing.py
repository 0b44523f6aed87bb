from django.urls import path, re_path

from .consumers import ChatConsumer, MemberConsumer, PingConsumer, RefuseConsumer

websocket_urlpatterns = [
    path("ws/member/", MemberConsumer.as_asgi()),
    path("ws/chat/<int:room_id>/", ChatConsumer.as_asgi()),
    path("ws/ping/", PingConsumer.as_asgi()),
    re_path(r"", RefuseConsumer.as_asgi()),  # last: unknown paths are refused, not a 500
]
