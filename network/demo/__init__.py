"""The network's demo data and the benchmark's generator, kept out of the app's runtime
modules: `base` (accounts, organisations, groups, posts; `seed()` is what `seed_demo` calls),
`people` (the later weeks' members and posts), `moderation` (cases to review) and
`bench_data` (`manage.py bench_network_data`)."""

from network.demo.base import (  # noqa: F401
    COMMENTS,
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    FOLLOWS,
    GROUPS,
    ORGANISATIONS,
    PEOPLE,
    POSTS,
    seed,
    seed_accounts,
    seed_notifications,
)
