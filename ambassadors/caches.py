"""The ambassador programme's caches (core.cache.register).

A member's licence window (status, start, expiry), read on every signed-in page: the header
asks whether the member may contribute. It decides powers, so it is forgotten on every save or
delete of the licence, now and on commit, and kept a minute at most, as the role names are.

A tracked link's target, by its code, read on every `/r/<code>` redirect: a target never
changes (an internal path and its UTM query), so the entry is dropped only when its link is
saved or deleted. The redirect also keeps it a minute in the process's memory
(links.services.resolve), so a deleted link may still redirect there for that minute.
"""

from core.cache import Cached, register

LINK_CACHE_TIMEOUT = 60 * 60

LINK_TARGETS = register(
    Cached(
        name="ambassadors.link-targets",
        key=lambda code: f"link:{code}",
        timeout=LINK_CACHE_TIMEOUT,
        stale_on={"ambassadors.TrackedLink": lambda link: [link.code]},
        gain="/r/<code> reads no row: 1.20-1.30x a bare redirect (performance.md, tracked links)",
    )
)

LICENCE_WINDOWS = register(
    Cached(
        name="ambassadors.licence-windows",
        key=lambda user_id: f"ambassadors:licence-window:{user_id}",
        timeout=60,
        stale_on={"ambassadors.Licence": lambda licence: [licence.holder_id]},
        gain="one query fewer on every signed-in page (performance.md, issue 15 A/B)",
    )
)
