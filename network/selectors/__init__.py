"""Reads shared by several callers, each with its permission filter (network.permissions
states the same rules for one object)."""
