from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

from core.validators import validate_image_upload

# The username given to a deleted account, followed by random hex. Only an inactive account
# with it reads as "Former member", so a member who picked such a name is unaffected.
FORMER_MEMBER_PREFIX = "former-"


def avatar_upload_to(instance, filename):
    return f"avatars/{instance.pk or 'new'}/{filename}"


class User(AbstractUser):
    """A member of the territory's community: agency staff, ambassador, business, influencer."""

    display_name = models.CharField(
        _("display name"),
        max_length=80,
        blank=True,
        help_text=_("How your name appears to other members."),
    )
    avatar = models.ImageField(
        _("avatar"), upload_to=avatar_upload_to, blank=True, validators=[validate_image_upload]
    )
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
    )

    area = models.ForeignKey(
        "content.Area",
        verbose_name=_("area"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    show_town_on_map = models.BooleanField(
        _("show my town on the members' map"),
        default=False,
        help_text=_("Members see you counted in your area's town on the map: never your address."),
    )
    bio = models.TextField(
        _("about me"), blank=True, max_length=2000, help_text=_("Bold, italics, lists and links.")
    )
    interests = TaggableManager(_("interests"), blank=True)
    suspended_until = models.DateTimeField(
        _("suspended until"),
        null=True,
        blank=True,
        help_text=_("A suspended member can read what is public but cannot write."),
    )
    trust_level_granted = models.PositiveSmallIntegerField(
        _("trust level granted"),
        null=True,
        blank=True,
        choices=[(0, "0"), (1, "1"), (2, "2"), (3, "3"), (4, "4")],
        help_text=_("Set by staff: the member is at least at this level whatever their activity."),
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        verbose_name = _("member")
        verbose_name_plural = _("members")

    def __str__(self):
        return self.get_display_name()

    def get_display_name(self) -> str:
        if self.is_former_member:
            return gettext("Former member")
        return self.display_name or self.get_full_name() or self.username

    @property
    def is_former_member(self) -> bool:
        """An account deleted by its owner (network.services.personal_data.delete_account):
        the row stays for the posts kept under "Former member"."""
        return not self.is_active and self.username.startswith(FORMER_MEMBER_PREFIX)

    @property
    def is_suspended(self) -> bool:
        return self.suspended_until is not None and self.suspended_until > timezone.now()
