from .accounts import ProfileForm

__all__ = ["ProfileForm"]
