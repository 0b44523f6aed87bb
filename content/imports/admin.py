"""Wagtail admin of open-data imports: "Imports" (sources: add from a URL or an uploaded
zip, run now, see the runs and their failed records) and the conflicts staff resolve (keep
mine / take the source's). Imported by content/wagtail_hooks.py."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.generic import CreateView, EditView, IndexView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets.button import Button
from wagtail.permission_policies import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from core.errors import DomainError

from . import services
from .models import ImportConflict, ImportRun, ImportSource
from .permissions import MODERATORS_GROUP, can_manage_imports


class ImportSourcePermissionPolicy(BasePermissionPolicy):
    def user_has_permission(self, user, action):
        return can_manage_imports(user)

    def user_has_any_permission(self, user, actions):
        return can_manage_imports(user)

    def users_with_any_permission(self, actions):
        return (
            get_user_model()
            .objects.filter(Q(is_superuser=True) | Q(groups__name=MODERATORS_GROUP), is_active=True)
            .distinct()
        )

    def instances_user_has_any_permission_for(self, user, actions):
        return (
            ImportSource.objects.all() if can_manage_imports(user) else ImportSource.objects.none()
        )

    def instances_user_has_permission_for(self, user, action):
        return self.instances_user_has_any_permission_for(user, [action])


register_permission_policy(ImportSource, ImportSourcePermissionPolicy(ImportSource))


def last_run_label(source):
    run = source.last_run
    if run is None:
        return gettext("Never run")
    return gettext("%(status)s on %(date)s") % {
        "status": run.get_status_display(),
        "date": run.started.strftime("%d/%m/%Y %H:%M"),
    }


class SourceIndexView(IndexView):
    @cached_property
    def columns(self):
        return [
            TitleColumn("name", label=_("Name"), get_url=self.get_edit_url, sort_key="name"),
            Column("kind", label=_("Kind"), accessor="get_kind_display"),
            Column("last_run", label=_("Last run"), accessor=last_run_label),
        ]

    def get_list_more_buttons(self, instance):
        return []

    def get_list_buttons(self, instance):
        return [
            Button(
                gettext("Runs"),
                url=reverse("tourism_imports:runs", args=[instance.pk]),
                icon_name="history",
                priority=10,
            )
        ] + super().get_list_buttons(instance)


class SourceFormMixin:
    def save_instance(self):
        instance = self.form.save(commit=False)
        return services.save_import_source(actor=self.request.user, source=instance)

    def is_valid(self, form):
        """The form's own checks, then the service's (where the pages go, a URL or a zip)."""
        valid = form.is_valid()
        if valid:
            try:
                services.check_import_source(actor=self.request.user, source=form.instance)
            except DomainError as error:
                form.add_error(None, error.message)
                valid = False
        if not valid:
            self.produced_error_code = "validation_error"
            self.produced_error_message = self.get_error_message()
        return valid


class SourceCreateView(SourceFormMixin, CreateView):
    def get_initial(self):
        """The hub's destination and event indexes, where most sources send their pages."""
        from content.models import DestinationIndexPage, EventIndexPage

        initial = super().get_initial()
        initial.setdefault("places_parent", DestinationIndexPage.objects.first())
        initial.setdefault("events_parent", EventIndexPage.objects.first())
        return initial

    def get_success_url(self):
        return reverse("tourism_imports:runs", args=[self.object.pk])


class SourceEditView(SourceFormMixin, EditView):
    pass


class ImportSourceViewSet(ModelViewSet):
    model = ImportSource
    icon = "download"
    menu_label = _("Imports")
    menu_order = 320
    add_to_admin_menu = True
    index_view_class = SourceIndexView
    add_view_class = SourceCreateView
    edit_view_class = SourceEditView
    copy_view_enabled = False
    inspect_view_enabled = False
    add_to_reference_index = False
    ordering = ["name"]
    exclude_form_fields = ["running_since"]

    def get_permissions_to_register(self):
        return []

    def get_urlpatterns(self):
        return super().get_urlpatterns() + [
            path("<int:pk>/runs/", self.construct_view(SourceRunsView), name="runs"),
            path("<int:pk>/run/", self.construct_view(RunNowView), name="run"),
            path("runs/<int:pk>/", self.construct_view(RunDetailView), name="run_detail"),
            path("conflicts/", self.construct_view(ConflictsView), name="conflicts"),
            path(
                "conflicts/<int:pk>/resolve/",
                self.construct_view(ResolveConflictView),
                name="resolve",
            ),
        ]


class StaffView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "download"

    def dispatch(self, request, *args, **kwargs):
        if not can_manage_imports(request.user):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("tourism_imports:index"), "label": gettext("Imports")},
            {"url": "", "label": self.get_page_title()},
        ]


class SourceRunsView(StaffView):
    """A source's runs, latest first, with their counts; and the button to run it now."""

    template_name = "content/imports/admin/runs.html"

    def get_page_title(self):
        return self.source.name

    def dispatch(self, request, *args, pk, **kwargs):
        self.source = get_object_or_404(ImportSource, pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["source"] = self.source
        context["runs"] = list(self.source.runs.order_by("-started", "-pk")[:50])
        context["open_conflicts"] = ImportConflict.objects.filter(
            record__source=self.source, resolved_at__isnull=True
        ).count()
        return context


class RunNowView(StaffView):
    http_method_names = ["post"]

    def post(self, request, pk):
        from content.tasks import run_import_task

        source = get_object_or_404(ImportSource, pk=pk)
        if source.running_since is not None:
            messages.warning(request, gettext("This source is already being imported."))
        else:
            run_import_task.delay(source.pk)
            messages.success(request, gettext("The import has started."))
        return redirect("tourism_imports:runs", pk=source.pk)


class RunDetailView(StaffView):
    template_name = "content/imports/admin/run.html"

    def get_page_title(self):
        return str(self.run)

    def dispatch(self, request, *args, pk, **kwargs):
        self.run = get_object_or_404(ImportRun.objects.select_related("source"), pk=pk)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["run"] = self.run
        context["failures"] = list(self.run.failures.all()[:500])
        return context


class ConflictsView(StaffView):
    template_name = "content/imports/admin/conflicts.html"

    def get_page_title(self):
        return gettext("Import conflicts")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["conflicts"] = list(
            ImportConflict.objects.filter(resolved_at__isnull=True)
            .select_related("record__page", "record__source")
            .order_by("-created", "-pk")[:200]
        )
        return context


class ResolveConflictView(StaffView):
    http_method_names = ["post"]

    def post(self, request, pk):
        conflict = get_object_or_404(ImportConflict, pk=pk)
        take_source = request.POST.get("choice") == "source"
        try:
            services.resolve_conflict(
                actor=request.user, conflict=conflict, take_source=take_source
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, gettext("Conflict resolved."))
        return redirect("tourism_imports:conflicts")


@hooks.register("register_admin_viewset")
def register_import_viewset():
    return ImportSourceViewSet("tourism_imports", url_prefix="imports")
