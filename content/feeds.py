"""The stories as an RSS 2.0 feed at /stories/feed/ (and /en/stories/feed/), each language's
feed listing its own language's stories."""

import re
from datetime import datetime, time

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.translation import get_language as language
from django.utils.translation import gettext

from content.models import StoryIndexPage, StoryPage
from core.sanitizer import clean_text

FEED_SIZE = 20
# XML 1.0 has no place for these; Django refuses to write them rather than drop them.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def plain(text: str) -> str:
    """Feed readers may render a title or description as HTML: send text without tags."""
    return clean_text(CONTROL_CHARACTERS.sub("", text or ""))


class StoryFeed(Feed):
    feed_type = Rss201rev2Feed

    # The feed instance is shared by every request: the request travels as the feed's
    # "object" instead of being stored on self.
    def get_object(self, request, *args, **kwargs):
        return request

    def title(self, request):
        return gettext("Stories · %(site)s") % {"site": settings.TERRITORY_NAME}

    def description(self, request):
        return gettext("The latest stories from %(site)s.") % {"site": settings.TERRITORY_NAME}

    def link(self, request):
        index = StoryIndexPage.objects.live().public().filter(locale__language_code=language())
        index = index.first()
        return (index.get_full_url(request) if index else None) or "/"

    def items(self, request):
        stories = list(
            StoryPage.objects.live()
            .public()
            .filter(locale__language_code=language())
            .select_related("author")
            .prefetch_related("tags")
            .order_by("-date", "-first_published_at", "-pk")[:FEED_SIZE]
        )
        for story in stories:
            # The address the page is published at (its Wagtail site), as its canonical
            # link says; Django adds the request's domain to a relative one.
            story.feed_link = story.get_full_url(request) or "/"
        return stories

    def item_title(self, story):
        return plain(story.title)

    def item_description(self, story):
        return plain(story.intro or story.search_description)

    def item_link(self, story):
        return story.feed_link

    def item_pubdate(self, story):
        published = story.first_published_at
        if published and timezone.localdate(published) == story.date:
            return published
        return timezone.make_aware(datetime.combine(story.date, time.min))

    def item_updateddate(self, story):
        return story.last_published_at

    def item_author_name(self, story):
        # Without an e-mail address, Django writes the name as <dc:creator>.
        return plain(story.author.get_display_name()) if story.author else None

    def item_categories(self, story):
        return [plain(tag.name) for tag in story.tags.all()]
