from django.utils.translation import gettext as _
from wagtail.models import Page

from core.errors import NotAllowed, NotFound

from ..links.services import make_link
from ..permissions import can_make_link, licence_of


def link_for_page(*, actor, page_id: int):
    """The ambassador's own /r/ link to a public hub page."""
    if not can_make_link(actor):
        if licence_of(actor) is not None:
            raise NotAllowed(_("Your ambassador licence is not valid: renew it to share."))
        raise NotAllowed(_("Only ambassadors have tracked links."))
    page = Page.objects.filter(pk=page_id).first()
    if page is None:
        raise NotFound(_("No such page."))
    return make_link(owner=actor, page=page, source="ambassador")
