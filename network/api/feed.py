"""The calling member's home feed."""

from ninja import Query, Router

from network.selectors.feed import home_feed

from .errors import Error
from .pagination import PageParams
from .schemas import PostPage

router = Router()


@router.get("", response={200: PostPage, 400: Error, 401: Error}, summary="Your feed")
def feed(request, page: Query[PageParams]):
    """Posts of the members and organisations you follow, of your groups, and your own,
    newest first. (The web feed also shows the content hub's new stories and events.)"""
    result = home_feed(request.user, cursor=page.cursor, limit=page.limit, include_pages=False)
    return {"items": result.items, "next": result.next_cursor}
