"""Writes of the network app, one module per subject. Views, API endpoints, consumers and
tasks all call these functions, so every rule is checked in one place."""

from .accounts import update_profile

__all__ = ["update_profile"]
