"""Who may do what with campaigns (every `can_*` predicate of this sub-package)."""

from ..permissions import is_programme_staff


def is_campaign_staff(user) -> bool:
    """Agency staff run campaigns (the same people as the ambassador programme's)."""
    return is_programme_staff(user)


def can_have_creator_profile(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active and not user.is_suspended)


def can_see_creator_directory(user) -> bool:
    return is_campaign_staff(user)


def can_see_campaign(user, campaign, engagement=None) -> bool:
    """Staff see every brief; a creator sees an open (or closed) brief they are on, and an
    open brief that takes applications. Drafts and archives are staff's."""
    if is_campaign_staff(user):
        return True
    if not (user and user.is_authenticated and user.is_active):
        return False
    if campaign.status not in (campaign.Status.OPEN, campaign.Status.CLOSED):
        return False
    if engagement is not None:
        return True
    return campaign.status == campaign.Status.OPEN and campaign.open_to_applications


def can_see_deliverable(user, deliverable) -> bool:
    return is_campaign_staff(user) or bool(
        user and user.is_authenticated and deliverable.engagement.creator_id == user.pk
    )


def can_review_deliverable(user, deliverable) -> bool:
    return is_campaign_staff(user) and deliverable.engagement.creator_id != user.pk
