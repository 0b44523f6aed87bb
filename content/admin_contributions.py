"""Wagtail admin for contributions: the staff queue of update suggestions, and the secret
preview links of a page. The actions live in content.services.contributions, so the single
moderation queue (network) can offer the same ones."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import include, path, reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.auth import permission_denied
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.menus.pages import PageMenuItem
from wagtail.admin.views.generic import WagtailAdminTemplateMixin
from wagtail.models import Page

from content.forms import AcceptSuggestionForm, DeclineForm, PreviewLinkForm
from content.models import PageUpdateSuggestion, PreviewLink
from content.permissions import can_moderate_contributions, can_share_preview
from content.services import contributions as services
from core.errors import Conflict, DomainError, NotAllowed

RECENTLY_DECIDED = 20


class SuggestionIndexView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "content/contributions/admin/suggestion_index.html"
    page_title = gettext_lazy("Suggestions")
    header_icon = "comment"

    def dispatch(self, request, *args, **kwargs):
        if not can_moderate_contributions(request.user):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["suggestions"] = list(services.pending_suggestions())
        context["decided"] = list(
            PageUpdateSuggestion.objects.exclude(status=PageUpdateSuggestion.Status.PENDING)
            .select_related("page", "author", "decided_by")
            .order_by("-decided_at", "-id")[:RECENTLY_DECIDED]
        )
        return context


class SuggestionDecideView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "content/contributions/admin/suggestion_decide.html"
    page_title = gettext_lazy("Suggestion")
    header_icon = "comment"

    def dispatch(self, request, *args, **kwargs):
        if not can_moderate_contributions(request.user):
            return permission_denied(request)
        self.suggestion = get_object_or_404(
            PageUpdateSuggestion.objects.select_related("page", "author", "photo", "decided_by"),
            pk=kwargs["suggestion_id"],
        )
        self.target = self.suggestion.page.specific
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.target.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("content_suggestions:index"), "label": _("Suggestions")},
            {"url": "", "label": self.get_header_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault(
            "accept_form",
            AcceptSuggestionForm(
                initial={"text": self.suggestion.proposed_text or self.target.intro}
            ),
        )
        context.setdefault("decline_form", DeclineForm())
        context["suggestion"] = self.suggestion
        context["target"] = self.target
        context["can_decide"] = self.target.permissions_for_user(self.request.user).can_publish()
        return context

    def post(self, request, *args, **kwargs):
        action = request.POST.get("action")
        form_class, form_name = {
            "accept": (AcceptSuggestionForm, "accept_form"),
            "decline": (DeclineForm, "decline_form"),
        }.get(action, (None, None))
        if form_class is None:
            return redirect("content_suggestions:decide", self.suggestion.pk)
        form = form_class(request.POST)
        if form.is_valid():
            try:
                if action == "accept":
                    services.accept_suggestion(
                        actor=request.user,
                        suggestion=self.suggestion,
                        text=form.cleaned_data["text"],
                    )
                    messages.success(
                        request,
                        _("The suggestion was accepted and “%(title)s” was published.")
                        % {"title": self.target.title},
                    )
                else:
                    services.decline_suggestion(
                        actor=request.user,
                        suggestion=self.suggestion,
                        reason=form.cleaned_data["reason"],
                    )
                    messages.success(request, _("The suggestion was declined."))
                return redirect("content_suggestions:index")
            except NotAllowed as error:
                messages.error(request, error.message)
                return permission_denied(request)
            except Conflict as error:
                messages.error(request, error.message)
                self.suggestion.refresh_from_db()
                return self.render_to_response(self.get_context_data(), status=error.status)
            except DomainError as error:
                form.add_error(None, error.message)
        return self.render_to_response(self.get_context_data(**{form_name: form}), status=400)


class PreviewLinksView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "content/contributions/admin/preview_links.html"
    page_title = gettext_lazy("Preview links")
    header_icon = "link"

    def dispatch(self, request, *args, **kwargs):
        self.target = get_object_or_404(Page, pk=kwargs["page_id"]).specific
        if not can_share_preview(request.user, self.target):
            return permission_denied(request)
        return super().dispatch(request, *args, **kwargs)

    def get_page_subtitle(self):
        return self.target.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {
                "url": reverse("wagtailadmin_pages:edit", args=[self.target.pk]),
                "label": self.target.get_admin_display_title(),
            },
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        links = list(services.preview_links_for(self.target))
        # Links carry the site's first language: partners open them without an account.
        with translation.override(settings.LANGUAGE_CODE):
            for link in links:
                link.url = self.request.build_absolute_uri(
                    reverse("content:preview_link", args=[link.token])
                )
        context.setdefault("form", PreviewLinkForm())
        context["links"] = links
        context["target"] = self.target
        return context

    def post(self, request, *args, **kwargs):
        form = PreviewLinkForm(request.POST)
        if form.is_valid():
            try:
                services.create_preview_link(
                    actor=request.user, page=self.target, days=form.cleaned_data["days"]
                )
            except NotAllowed:
                return permission_denied(request)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request, _("A preview link was created. Copy it and send it to your partner.")
                )
                return redirect("content_preview_links:index", self.target.pk)
        return self.render_to_response(self.get_context_data(form=form), status=400)


def revoke_preview_link(request, link_id):
    link = get_object_or_404(PreviewLink.objects.select_related("page"), pk=link_id)
    if request.method != "POST":
        return redirect("content_preview_links:index", link.page_id)
    try:
        services.revoke_preview_link(actor=request.user, link=link)
    except NotAllowed:
        return permission_denied(request)
    messages.success(request, _("The preview link was revoked."))
    return redirect("content_preview_links:index", link.page_id)


suggestion_urls = [
    path("", SuggestionIndexView.as_view(), name="index"),
    path("<int:suggestion_id>/", SuggestionDecideView.as_view(), name="decide"),
]
preview_link_urls = [
    path("pages/<int:page_id>/", PreviewLinksView.as_view(), name="index"),
    path("<int:link_id>/revoke/", revoke_preview_link, name="revoke"),
]


@hooks.register("register_admin_urls")
def register_contribution_urls():
    return [
        path(
            "suggestions/",
            include((suggestion_urls, "content_suggestions"), namespace="content_suggestions"),
        ),
        path(
            "preview-links/",
            include(
                (preview_link_urls, "content_preview_links"), namespace="content_preview_links"
            ),
        ),
    ]


class SuggestionsMenuItem(MenuItem):
    def is_shown(self, request):
        return can_moderate_contributions(request.user)


@hooks.register("register_admin_menu_item")
def register_suggestions_menu_item():
    return SuggestionsMenuItem(
        gettext_lazy("Suggestions"),
        reverse("content_suggestions:index"),
        name="suggestions",
        icon_name="comment",
        order=250,
    )


class SharePreviewButton(PageMenuItem):
    label = gettext_lazy("Share a preview link")
    icon_name = "link"
    url_name = "content_preview_links:index"

    def is_shown(self, user):
        return can_share_preview(user, self.page)


@hooks.register("register_page_header_buttons")
def share_preview_header_button(page, user, view_name, next_url=None):
    yield SharePreviewButton(page=page, priority=66)


@hooks.register("register_log_actions")
def register_contribution_log_actions(actions):
    actions.register_action(
        "content.suggestion.accept",
        gettext_lazy("Accept update suggestion"),
        gettext_lazy("Update suggestion accepted"),
    )
    actions.register_action(
        "content.suggestion.decline",
        gettext_lazy("Decline update suggestion"),
        gettext_lazy("Update suggestion declined"),
    )
    actions.register_action(
        "content.preview_link.create",
        gettext_lazy("Create preview link"),
        gettext_lazy("Preview link created"),
    )
    actions.register_action(
        "content.preview_link.revoke",
        gettext_lazy("Revoke preview link"),
        gettext_lazy("Preview link revoked"),
    )
