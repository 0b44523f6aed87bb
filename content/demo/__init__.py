"""The content hub's demo data and the benchmark's generator, kept out of the app's runtime
modules: `site` (seeds the territory's home, sections, areas, destinations, stories and
events, whose data is in `site_data`; `seed()` is what `seed_demo` calls), `images`,
`toolkit`, `rules`, `imports`, `accessibility`, `english`, and `bench_data`
(`manage.py bench_content`)."""

from content.demo.site import seed  # noqa: F401
from content.demo.site_data import (  # noqa: F401
    AREAS,
    DESTINATIONS,
    HOME,
    SECTIONS,
    STORIES,
)
