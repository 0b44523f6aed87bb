"""iCalendar files served by the event pages' routes (see EventPage.event_ics and
EventIndexPage.calendar_ics).

Wagtail's page URL pattern only takes path segments of letters, digits and dashes that end
with a slash, so `/events/fest-noz/event.ics` would never reach the page. This view takes
those addresses and hands them to Wagtail's `serve` as `/events/fest-noz/event.ics/`: the
page is found, its privacy rules and `before_serve_page` hooks apply, then its route runs.
"""

from wagtail.views import serve


def serve_ics(request, page_path):
    return serve(request, f"{page_path}/")
