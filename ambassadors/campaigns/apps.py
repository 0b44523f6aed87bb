"""What campaigns plug in, called from AmbassadorsConfig.ready()."""


def ready() -> None:
    from network.api import add_app_router

    from . import caches, personal_data
    from .api import router
    from .services import deliverables, notices

    notices.register()
    deliverables.register_moderation_kind()
    personal_data.register()
    caches.connect()  # a name changed, clicks flushed: the reports are forgotten
    add_app_router("", router, tags=["campaigns"])
