"""The French rules of influence as the setting says them today (ComplianceRules): which
mentions a content must carry, and the threshold of the written contract."""

from django.utils.translation import gettext as _

from .models import ComplianceRules


def current_rules() -> ComplianceRules:
    return ComplianceRules.load()


def _has(text: str, mention: str) -> bool:
    return mention.casefold() in text.casefold()


def missing_mentions(
    campaign, text: str, *, retouched: bool = False, virtual: bool = False, rules=None
) -> list[str]:
    """Why `text` cannot go out for `campaign`: one sentence per missing mention (empty
    when it is compliant). Gifted and paid contents carry "Publicité" or "Collaboration
    commerciale" or an equivalent staff accept (loi n° 2023-451, art. 5-2, as amended by
    ordonnance n° 2024-978); declared retouched or virtual images carry their mention."""
    rules = rules or current_rules()
    text = text or ""
    reasons = []
    if campaign.is_commercial:
        accepted = rules.mention_list
        if accepted and not any(_has(text, mention) for mention in accepted):
            reasons.append(
                _(
                    "A gifted or paid content must carry the mention %(mentions)s, clearly "
                    "(loi n° 2023-451, art. 5-2)."
                )
                % {"mentions": _(" or ").join(f"“{m}”" for m in accepted)}
            )
    if retouched and rules.retouched_mention and not _has(text, rules.retouched_mention):
        reasons.append(
            _("You declared retouched images: the content must carry “%(mention)s”.")
            % {"mention": rules.retouched_mention}
        )
    if virtual and rules.virtual_mention and not _has(text, rules.virtual_mention):
        reasons.append(
            _("You declared virtual images: the content must carry “%(mention)s”.")
            % {"mention": rules.virtual_mention}
        )
    for mention in campaign.mention_list:
        if not _has(text, mention):
            reasons.append(
                _("The brief asks every content to carry “%(mention)s”.") % {"mention": mention}
            )
    return reasons


def composer_prefix(campaign, rules=None) -> str:
    """What the composer writes first in a gifted or paid content: the first mention."""
    rules = rules or current_rules()
    if not campaign.is_commercial or not rules.mention_list:
        return ""
    return rules.mention_list[0]
