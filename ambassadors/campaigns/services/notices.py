"""The campaigns' notifications, in the network's registry (site, e-mail, digests, live
push follow from there). `tell()` is the one way this sub-package notifies."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

KINDS = {
    "campaign_invited": gettext_lazy("Invitations to campaigns"),
    "campaign_answered": gettext_lazy("Creators' answers to briefs"),
    "campaign_decision": gettext_lazy("The agency's answers to your offers"),
    "campaign_waitlist": gettext_lazy("Eductour seats and waiting list"),
    "campaign_deliv_sent": gettext_lazy("Contents sent for review"),
    "campaign_deliv_review": gettext_lazy("Reviews of your campaign contents"),
}


def _describe_invited(values, data):
    return _("%(actor)s invites you to the brief “%(title)s”") % values


def _describe_answered(values, data):
    sentences = {
        "accepted": _("%(creator)s accepted the brief “%(title)s”"),
        "declined": _("%(creator)s declined the brief “%(title)s”"),
        "withdrawn": _("%(creator)s withdrew from the brief “%(title)s”"),
        "countered": _("%(creator)s sent a counter-offer for “%(title)s”"),
        "applied": _("%(creator)s applied to the brief “%(title)s”"),
    }
    return sentences.get(data.get("answer"), sentences["accepted"]) % values


def _describe_decision(values, data):
    if data.get("accepted"):
        return _("The agency accepted your offer for “%(title)s”") % values
    if data.get("counter"):
        return _("The agency kept its own terms for “%(title)s”: accept or decline them") % values
    return _("The agency did not retain you for “%(title)s”") % values


def _describe_waitlist(values, data):
    if data.get("seat") == "taken":
        return _("A seat freed up: you are on the eductour of “%(title)s”") % values
    return _("The eductour of “%(title)s” is full: you are on the waiting list") % values


def _describe_sent(values, data):
    return _("%(creator)s sent a content for “%(title)s”") % values


def _describe_review(values, data):
    sentences = {
        "approve": _("Your content for “%(title)s” is approved"),
        "request_changes": _("Changes are asked on your content for “%(title)s”"),
        "reject": _("Your content for “%(title)s” is rejected"),
    }
    return sentences.get(data.get("decision"), sentences["approve"]) % values


DESCRIBE = {
    "campaign_invited": _describe_invited,
    "campaign_answered": _describe_answered,
    "campaign_decision": _describe_decision,
    "campaign_waitlist": _describe_waitlist,
    "campaign_deliv_sent": _describe_sent,
    "campaign_deliv_review": _describe_review,
}


def register() -> None:
    from network.registries import NotificationKindSpec, register_notification_kind

    for key, label in KINDS.items():
        register_notification_kind(
            NotificationKindSpec(
                key=key,
                label=label,
                default_channel="email",
                describe=DESCRIBE[key],
            )
        )


def tell(kind: str, item, *, actor, recipients, url: str = "", **data) -> None:
    """Notify about an engagement or a deliverable (its brief's title and creator's name
    go in the sentence)."""
    from network.services.notifications import notify

    engagement = getattr(item, "engagement", item)
    campaign = engagement.campaign
    values = {
        "title": campaign.title,
        "creator": engagement.creator.get_display_name(),
    }
    values.update({k: v for k, v in data.items() if isinstance(v, str | bool | int)})
    suffix = data.get("answer") or data.get("decision") or data.get("seat") or ""
    stamp = int(
        (
            getattr(item, "answered_at", None)
            or getattr(item, "reviewed_at", None)
            or getattr(item, "submitted_at", None)
            or campaign.created_at
        ).timestamp()
    )
    notify(
        kind=kind,
        recipients=recipients,
        actor=actor,
        target=item,
        event_key=f"{kind}:{type(item).__name__.lower()}:{item.pk}:{suffix}:{stamp}",
        url=url
        or (
            item.get_absolute_url()
            if hasattr(item, "get_absolute_url")
            else campaign.get_absolute_url()
        ),
        data=values,
    )
