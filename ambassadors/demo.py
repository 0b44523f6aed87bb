from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from .selectors import AMBASSADORS_GROUP

AMBASSADORS = ["camille", "hugo"]


def seed(*, stdout):
    group, _ = Group.objects.get_or_create(name=AMBASSADORS_GROUP)
    group.user_set.add(*get_user_model().objects.filter(username__in=AMBASSADORS))
    stdout.write(f"  ambassadors: {len(AMBASSADORS)} ambassadors")
