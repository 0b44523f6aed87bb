from .accounts import account_profile, set_language

__all__ = ["account_profile", "set_language"]
