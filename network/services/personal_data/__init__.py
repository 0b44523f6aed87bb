"""A member's own data (GDPR): an export of everything the site holds about them, and the
deletion of their account, both asked for on the account page.

Exports are files, not rows: a zip under EXPORTS_ROOT/<random token>/ whose name carries
its owner's id and the time it was built. EXPORTS_ROOT is outside MEDIA_ROOT (a system check
refuses otherwise), so no URL reaches it: the only way out is the download view. The link is a
TimestampSigner signature of "<user id>:<token>" (7 days), and the download view also checks the
file's own age and that the signed-in member is its owner, so a forwarded link is useless to
anyone else; with EXPORTS_ACCEL_REDIRECT set, the view hands the sending to nginx's internal
location. Exports past their age are removed by `purge_expired_exports` (each build and each
download calls it), which also removes the folder older versions wrote under MEDIA_ROOT.

Deleting an account keeps the row (posts kept as "Former member" point at it, moderation
records may too) but erases everything personal in one transaction. A group or organisation
whose last owner is the member refuses the deletion with the list of them: the member chooses
who takes over (the same rule as leaving a group), rather than the site choosing for them.

One module per concern, every name importable from `network.services.personal_data`:
`files` (where exports live, their links and their age), `collect` (what the export holds,
the network's own sections and every registered one), `build` (the zip and its e-mail) and
`deletion` (erasing an account).
"""

from network.services.personal_data.build import (  # noqa: F401
    build_and_send_export,
    build_export,
    export_file_for,
    send_export_email,
)
from network.services.personal_data.collect import (  # noqa: F401
    _dt,
    _moderation_data,
    _posts_data,
    collect_personal_data,
    contributions_data,
)
from network.services.personal_data.common import (  # noqa: F401
    EXPORT_MAX_AGE,
    EXPORT_SALT,
    EXPORTS_PER_DAY,
    POST_CHOICES,
    POSTS_ANONYMISE,
    POSTS_REMOVE,
    logger,
)
from network.services.personal_data.deletion import (  # noqa: F401
    _remove_memberships,
    _remove_posts_and_comments,
    _remove_reactions,
    delete_account,
    ownerless_if_deleted,
)
from network.services.personal_data.files import (  # noqa: F401
    _built_at,
    _export_name,
    _is_expired,
    _legacy_exports_root,
    export_link,
    exports_of,
    exports_root,
    exports_root_is_private,
    purge_expired_exports,
    request_export,
)
