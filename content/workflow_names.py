"""The names of the workflows and tasks that migrations create (Wagtail's "Moderators
approval", the contributions workflow) shown in the admin's language.

A name is stored once, in English (the msgid): loading a workflow or task shows it in the
active language, and saving it stores the msgid again whichever language it was shown in.
A name staff typed themselves is left as it is.
"""

from django.conf import settings
from django.db.models.signals import post_init, pre_save
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from wagtail.models import Task, Workflow
from wagtail.workflows import get_task_types

NAMES = {
    "Moderators approval": _("Moderators approval"),
    "Contributions": _("Contributions"),
    "Contributions review": _("Contributions review"),
}


def _show_in_active_language(sender, instance, **kwargs):
    if instance.name in NAMES:
        instance.name = str(NAMES[instance.name])


def _store_msgid(sender, instance, **kwargs):
    for msgid, name in NAMES.items():
        for code, _language in settings.LANGUAGES:
            with translation.override(code):
                if str(instance.name) == str(name):
                    instance.name = msgid
                    return


def connect():
    # Each Task subclass (GroupApprovalTask…) sends its own signals.
    for model in [Workflow, Task, *get_task_types()]:
        post_init.connect(_show_in_active_language, sender=model)
        pre_save.connect(_store_msgid, sender=model)
