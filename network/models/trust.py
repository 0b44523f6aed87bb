"""Trust levels (Discourse's pattern): what each level needs and what it unlocks, as staff set
them in the Wagtail admin (Settings → Trust levels). The levels themselves are computed in
network.trust; a staff grant on the member (User.trust_level_granted) lifts them."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

MAX_LEVEL = 4
# Level 4 (leader) is only ever granted by staff, as on Discourse.
COMPUTED_LEVELS = (1, 2, 3)


class TrustLevel(models.IntegerChoices):
    NEW = 0, _("New member")
    BASIC = 1, _("Member")
    REGULAR = 2, _("Regular")
    TRUSTED = 3, _("Trusted")
    LEADER = 4, _("Leader")


def _level_field(label, default, help_text):
    return models.PositiveSmallIntegerField(
        label,
        default=default,
        choices=TrustLevel.choices,
        validators=[MaxValueValidator(MAX_LEVEL)],
        help_text=help_text,
    )


def _days(label, default):
    return models.PositiveIntegerField(label, default=default)


def _posts(label, default):
    return models.PositiveIntegerField(
        label,
        default=default,
        help_text=_("Published posts, plus what other programmes count (approved missions)."),
    )


def _upheld(label, default):
    return models.PositiveIntegerField(
        label,
        default=default,
        help_text=_("Moderation decisions against the member that were not reversed."),
    )


@register_setting(icon="group")
class TrustSettings(BaseGenericSetting):
    """What each trust level needs and unlocks. The defaults unlock everything at level 0,
    as the site behaved before trust levels: staff tighten them here."""

    level1_days = _days(_("level 1: days since joining"), 1)
    level1_posts = _posts(_("level 1: approved contributions"), 1)
    level1_max_upheld = _upheld(_("level 1: upheld reports at most"), 0)
    level2_days = _days(_("level 2: days since joining"), 15)
    level2_posts = _posts(_("level 2: approved contributions"), 10)
    level2_max_upheld = _upheld(_("level 2: upheld reports at most"), 0)
    level3_days = _days(_("level 3: days since joining"), 60)
    level3_posts = _posts(_("level 3: approved contributions"), 50)
    level3_max_upheld = _upheld(_("level 3: upheld reports at most"), 0)

    links_level = _level_field(
        _("links in posts from level"), 0, _("Members below it cannot put links in posts.")
    )
    images_level = _level_field(
        _("images in posts from level"), 0, _("Members below it cannot attach images.")
    )
    create_group_level = _level_field(_("creating groups from level"), 0, "")
    unheld_level = _level_field(
        _("first posts not held from level"),
        1,
        _(
            "When the moderation settings hold new members' first posts, members at this "
            "level or above are not held."
        ),
    )
    heavy_flag_level = _level_field(
        _("weightier reports from level"),
        3,
        _("Reports by members at this level or above count for the flag weight below."),
    )
    heavy_flag_weight = models.PositiveSmallIntegerField(
        _("flag weight"),
        default=2,
        validators=[MaxValueValidator(3)],
        help_text=_(
            "How many members' reports one report of a trusted member counts for (three hide "
            "a post until a moderator decides)."
        ),
    )

    panels = [
        MultiFieldPanel(
            [
                FieldPanel(f"level{n}_{part}")
                for n in COMPUTED_LEVELS
                for part in ("days", "posts", "max_upheld")
            ],
            heading=_("What each level needs"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("links_level"),
                FieldPanel("images_level"),
                FieldPanel("create_group_level"),
                FieldPanel("unheld_level"),
                FieldPanel("heavy_flag_level"),
                FieldPanel("heavy_flag_weight"),
            ],
            heading=_("What each level unlocks"),
        ),
    ]

    class Meta:
        verbose_name = _("trust levels")

    def requirements(self, level: int) -> dict | None:
        """{"days", "posts", "max_upheld"} for a computed level, None for the others."""
        if level not in COMPUTED_LEVELS:
            return None
        return {
            part: getattr(self, f"level{level}_{part}") for part in ("days", "posts", "max_upheld")
        }
