"""What the personal-data modules share: the export's limits and the deletion's choices."""

import logging
from datetime import timedelta

logger = logging.getLogger(__name__)

EXPORT_MAX_AGE = timedelta(days=7)
EXPORTS_PER_DAY = 3
EXPORT_SALT = "network.personal_data.export"

POSTS_ANONYMISE = "anonymise"
POSTS_REMOVE = "remove"
POST_CHOICES = (POSTS_ANONYMISE, POSTS_REMOVE)
