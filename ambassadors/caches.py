"""The ambassadors app's caches in the registry (core.cache.register, found by
CoreConfig.ready()): the campaign reports' (ambassadors/campaigns/caches.py). The map's
markers are ambassadors/cache.py's."""

from .campaigns.caches import REPORT_DATA, REPORT_HTML, REPORT_JSON

__all__ = ["REPORT_DATA", "REPORT_HTML", "REPORT_JSON"]
