"""The groups' directory and creating a group."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from content.models import Area
from core.errors import FORM_ERRORS
from core.sanitizer import clean_text
from network.forms.groups import (
    GroupFilterForm,
    GroupForm,
)
from network.models import Sector
from network.permissions import (
    can_create_group,
    can_write,
)
from network.selectors import groups as selectors
from network.services import groups as services
from network.views.groups.common import DIRECTORY_PAGE_SIZE

# Directory and creation --------------------------------------------------------------------


@require_safe
def groups_index(request):
    user = request.user
    form = GroupFilterForm(request.GET or None)
    filters = form.filters() if request.GET else {}
    groups = selectors.list_groups(
        user,
        q=filters.get("q") or "",
        area=filters.get("area"),
        tag=filters.get("tag") or None,
        sector=filters.get("sector") or None,
    )
    page = Paginator(groups, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    for group in page:
        group.summary = clean_text(group.description)
    return render(
        request,
        "network/groups/index.html",
        {
            "form": form,
            "filters": filters,
            "results": page,
            "my_group_ids": selectors.member_group_ids(user),
            "areas": Area.objects.all(),
            "tag_options": selectors.group_tag_options(user),
            "sectors": Sector.choices,
            "can_create": can_create_group(user),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def group_create(request):
    if not can_write(request.user):
        raise PermissionDenied(_("Your account cannot create groups at the moment."))
    if not can_create_group(request.user):
        raise PermissionDenied(
            _("Creating groups unlocks at a higher trust level: see your account page.")
        )
    form = GroupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            group = services.create_group(actor=request.user, **form.cleaned_data)
        except FORM_ERRORS as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your group is ready. Invite the first members!"))
            return redirect(group)
    return render(request, "network/groups/create.html", {"form": form})
