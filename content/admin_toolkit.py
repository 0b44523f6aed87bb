"""Wagtail admin for the brand kit: "Brand licences" (who holds a licence to the mark and until
when, and the approve / decline / revoke decisions), and the guard that keeps the licensed
mark out of Wagtail's public document URLs. Imported by wagtail_hooks."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.ui.tables import Column, DateColumn, StatusTagColumn, TitleColumn
from wagtail.admin.views.generic import IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from content.models import BrandLicence, ToolkitAsset
from content.services import toolkit as services
from core.errors import Conflict, DomainError


class BrandLicencePermissionPolicy(BasePermissionPolicy):
    """Licences are seen and decided by the staff who manage the mark (see
    `services.can_manage_licences`); nobody adds or deletes them from the admin: they come
    from members' requests and only change through decisions."""

    def user_has_permission(self, user, action):
        return action in ("view", "change") and services.can_manage_licences(user)

    def user_has_any_permission(self, user, actions):
        return any(self.user_has_permission(user, action) for action in actions)

    def users_with_any_permission(self, actions):
        User = get_user_model()
        if not set(actions) & {"view", "change"}:
            return User.objects.none()
        return User.objects.filter(
            Q(is_superuser=True)
            | Q(groups__name=services.MODERATORS_GROUP)
            | Q(groups__page_permissions__permission__codename="publish_page"),
            is_active=True,
        ).distinct()

    def instances_user_has_any_permission_for(self, user, actions):
        if not self.user_has_any_permission(user, actions):
            return BrandLicence.objects.none()
        return services.licences_visible_to(user)

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])


register_permission_policy(BrandLicence, BrandLicencePermissionPolicy(BrandLicence))


class CalendarDateColumn(Column):
    """A day written as a date ("31 mars 2027"). Wagtail's DateColumn writes a moment relative
    to now ("Il y a 0 minute"), which reads wrong for a day, above all one still to come."""

    def get_value(self, instance):
        value = super().get_value(instance)
        return date_format(value, "DATE_FORMAT") if value else ""


def _status_label(licence: BrandLicence) -> str:
    if (
        licence.status == BrandLicence.Status.APPROVED
        and licence.valid_until
        and licence.valid_until < timezone.localdate()
    ):
        return gettext("Expired")
    return licence.get_status_display()


class BrandLicenceIndexView(IndexView):
    any_permission_required = ["view", "change"]

    def get_base_queryset(self):
        return services.licences_visible_to(self.request.user)

    @cached_property
    def columns(self):
        return [
            TitleColumn(
                "holder",
                label=_("Holder"),
                accessor=lambda licence: licence.holder.get_display_name(),
                get_url=self.get_edit_url,
                sort_key="holder__username",
            ),
            Column("organisation_name", label=_("Organisation")),
            Column("asset", label=_("Asset"), accessor="asset.title"),
            StatusTagColumn(
                "status",
                label=_("Status"),
                accessor=_status_label,
                primary=lambda licence: licence.status == BrandLicence.Status.APPROVED,
                sort_key="status",
            ),
            CalendarDateColumn("valid_until", label=_("Valid until"), sort_key="valid_until"),
            Column("accepted_rules_version", label=_("Rules version accepted")),
            DateColumn("requested_at", label=_("Requested on"), sort_key="requested_at"),
        ]

    def get_list_more_buttons(self, instance):
        return []


class DecisionForm(forms.Form):
    action = forms.ChoiceField(
        choices=[("approve", "approve"), ("decline", "decline"), ("revoke", "revoke")],
        widget=forms.HiddenInput,
    )
    valid_until = forms.DateField(label=_("Valid until"), required=False)
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The requester reads it in the e-mail that tells them the decision."),
    )


class LicenceDecisionView(WagtailAdminTemplateMixin, TemplateView):
    """One licence request: who asks, for what use, under which rules; and the decision."""

    model = BrandLicence
    index_url_name = None
    edit_url_name = None
    header_icon = "key"
    template_name = "content/toolkit/admin/licence_decision.html"

    def dispatch(self, request, *args, pk, **kwargs):
        if not services.can_manage_licences(request.user):
            raise Http404
        self.licence = get_object_or_404(services.licences_visible_to(request.user), pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return gettext("Licence of %(name)s") % {"name": self.licence.holder.get_display_name()}

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse(self.index_url_name), "label": gettext("Brand licences")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        licence = self.licence
        today = timezone.localdate()
        context.update(
            {
                "licence": licence,
                "status_label": _status_label(licence),
                "rules_version": licence.asset.page.usage_rules_version,
                "default_valid_until": today + services.LICENCE_TERM,
                "can_decide": licence.status == BrandLicence.Status.REQUESTED,
                "can_revoke": licence.status == BrandLicence.Status.APPROVED,
                "index_url": reverse(self.index_url_name),
            }
        )
        context.setdefault("form", DecisionForm())
        return context

    def post(self, request, *args, **kwargs):
        form = DecisionForm(request.POST)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form), status=400)
        action = form.cleaned_data["action"]
        try:
            if action == "approve":
                services.approve_licence(
                    actor=request.user,
                    licence=self.licence,
                    valid_until=form.cleaned_data["valid_until"],
                )
                messages.success(request, gettext("Licence approved. The holder has been told."))
            elif action == "decline":
                services.decline_licence(
                    actor=request.user, licence=self.licence, reason=form.cleaned_data["reason"]
                )
                messages.success(request, gettext("Request declined. The requester has been told."))
            else:
                services.revoke_licence(
                    actor=request.user, licence=self.licence, reason=form.cleaned_data["reason"]
                )
                messages.success(request, gettext("Licence revoked. The holder has been told."))
        except DomainError as error:
            form.add_error(None, error.message)
            status = 409 if isinstance(error, Conflict) else error.status
            self.licence.refresh_from_db()
            return self.render_to_response(self.get_context_data(form=form), status=status)
        return redirect(self.index_url_name)


class BrandLicenceViewSet(ModelViewSet):
    model = BrandLicence
    icon = "key"
    menu_label = _("Brand licences")
    menu_order = 310
    add_to_admin_menu = True
    index_view_class = BrandLicenceIndexView
    list_filter = ["status", "asset"]
    list_per_page = 50
    ordering = ["-requested_at", "-pk"]
    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_reference_index = False
    form_fields = []  # licences change only through decisions

    def get_common_view_kwargs(self, **kwargs):
        # Only the listing and the decision page exist.
        return super().get_common_view_kwargs(
            add_url_name=None,
            delete_url_name=None,
            history_url_name=None,
            usage_url_name=None,
            **kwargs,
        )

    def get_urlpatterns(self):
        decision_view = self.construct_view(
            LicenceDecisionView,
            index_url_name=self.get_url_name("index"),
            edit_url_name=self.get_url_name("edit"),
        )
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
            path("<int:pk>/", decision_view, name="edit"),
        ]

    def get_permissions_to_register(self):
        return []


@hooks.register("register_admin_viewset")
def register_brand_licence_viewset():
    return BrandLicenceViewSet("brand_licences")


@hooks.register("before_serve_document")
def keep_the_licensed_mark_behind_its_licence(document, request):
    """Wagtail serves every document at /documents/<id>/<name>; a licensed asset's file
    goes through the toolkit download instead, where the licence is checked and the
    download counted."""
    asset = ToolkitAsset.objects.filter(document=document, licensed=True).first()
    if asset is None:
        return None
    return redirect("content:toolkit_download", asset_id=asset.pk)
