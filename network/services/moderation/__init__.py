"""Moderation: reports (DSA Art. 16 notices), cases, decisions with their statement of reasons
(Art. 17) and internal complaints (Art. 20). Pages, the API and other apps all go through
these functions, importable from `network.services.moderation` (one module per concern):

- `common`: limits and the links every statement of reasons gives;
- `kinds`: the kinds' registry (`register()`, `Kind`) and the network's own kinds: posts,
  comments, members, organisations and groups; other apps (story proposals, suggestions,
  proofs...) call `register()` from their AppConfig.ready();
- `reports`: reports, cases and items held for review;
- `decisions`: decisions, their effect on the item and the notices they send;
- `complaints`: contesting a decision and deciding the complaint;
- `rules`: blocked words and the moderation settings (network/caches.py, MODERATION_RULES).
"""

# Read through this module by callers written before the split.
from core.errors import Conflict, NotAllowed  # noqa: E402, F401
from network.models import ModerationSettings  # noqa: E402, F401
from network.services.moderation.common import (  # noqa: F401
    COMPLAINT_WINDOW,
    HIDE_AFTER_REPORTS,
    MAX_PREVIEW,
    MAX_SUSPENSION_DAYS,
    REPORT_WINDOW,
    REPORTS_PER_WINDOW,
    VISITOR_REPORTS_PER_WINDOW,
    Action,
    community_rules_url,
    default_redress,
)
from network.services.moderation.complaints import (  # noqa: F401
    contest,
    decide_complaint,
)
from network.services.moderation.decisions import (  # noqa: F401
    _apply,
    _default_language_path,
    _notify_decision,
    decide,
)
from network.services.moderation.kinds import (  # noqa: F401
    ITEM_ACTIONS,
    KINDS,
    PERSON_ACTIONS,
    Kind,
    _comment_visible,
    _preview,
    _publish_held_comment,
    _publish_held_post,
    _set_status,
    can_moderate_case_group,
    kind_of,
    load_item,
    register,
)
from network.services.moderation.reports import (  # noqa: F401
    _clean_report,
    _notify_auto_hidden,
    _open_case,
    _report_weight,
    close_case_for,
    file_for_review,
    held_reason_for,
    hold_for_review,
    report,
)
from network.services.moderation.rules import (  # noqa: F401
    RULES_GENERATION,
    RULES_TIMEOUT,
    _read_rules,
    _rules,
    blocked_word_in,
    forget_rules,
)
