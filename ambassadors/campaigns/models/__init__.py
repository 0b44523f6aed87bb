"""Influencer and press campaigns (issue 19): creators, briefs, casting, deliverables, the
value ledger and contracts. Rules of French law that change (mentions, the contract
threshold, the contract's template) are data: `ComplianceRules`, a Wagtail setting.

One module per part; every name is importable from here, as the migrations import
`validate_contract_template` and `deliverable_upload_to` from this package."""

from .briefs import Campaign, DeliverableSpec, Format, InKindItem
from .casting import Engagement
from .common import CENT, NON_NEGATIVE, euros, money_field, split_lines
from .creators import AUDIENCE_BANDS, CreatorKind, CreatorPlatform, CreatorProfile, Platform
from .deliverables import Deliverable, DeliverableEvent, deliverable_upload_to
from .ledger import Contract, LedgerLine
from .rules import (
    CONTRACT_PLACEHOLDERS,
    DEFAULT_CONTRACT_TEMPLATE,
    ComplianceRules,
    validate_contract_template,
)

__all__ = [
    "AUDIENCE_BANDS",
    "CENT",
    "CONTRACT_PLACEHOLDERS",
    "DEFAULT_CONTRACT_TEMPLATE",
    "NON_NEGATIVE",
    "Campaign",
    "ComplianceRules",
    "Contract",
    "CreatorKind",
    "CreatorPlatform",
    "CreatorProfile",
    "Deliverable",
    "DeliverableEvent",
    "DeliverableSpec",
    "Engagement",
    "Format",
    "InKindItem",
    "LedgerLine",
    "Platform",
    "deliverable_upload_to",
    "euros",
    "money_field",
    "split_lines",
    "validate_contract_template",
]
