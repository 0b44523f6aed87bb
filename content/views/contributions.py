"""Public views for contributions: propose a story, suggest an update, read a shared draft.
They parse input, call a service and shape the reply; domain errors are mapped once here."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from content.forms import StoryProposalForm, SuggestionForm
from content.permissions import can_contribute, can_suggest_update
from content.services import contributions as services
from core.errors import DomainError, NotAllowed, NotFound


def _raise_for_http(error: DomainError) -> None:
    """Missing and forbidden become the site's 404 and 403 pages; other domain errors are
    left for the caller to show on its form."""
    if isinstance(error, NotFound):
        raise Http404(str(error.message)) from error
    if isinstance(error, NotAllowed):
        raise PermissionDenied(str(error.message)) from error


@login_required
def propose_story(request):
    if not can_contribute(request.user):
        raise PermissionDenied(_("Only contributors can propose stories."))
    form = StoryProposalForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            page = services.propose_story(
                author=request.user,
                title=form.cleaned_data["title"],
                text=form.cleaned_data["text"],
                images=form.cleaned_data["images"],
                tags=form.cleaned_data["tags"],
                area=form.cleaned_data["area"],
            )
        except DomainError as error:
            _raise_for_http(error)
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Thank you! “%(title)s” has been sent to the agency for review.")
                % {"title": page.title},
            )
            return redirect("content:story_proposals")
    return render(request, "content/contributions/propose_story.html", {"form": form})


@login_required
def story_proposals(request):
    proposals = services.story_proposals_for(request.user)
    return render(
        request,
        "content/contributions/story_proposals.html",
        {"proposals": proposals, "can_contribute": can_contribute(request.user)},
    )


@login_required
def suggest_update(request, page_id: int):
    try:
        page = services.get_suggestable_page_for(request.user, page_id)
    except NotFound as error:
        _raise_for_http(error)
    if not can_suggest_update(request.user, page):
        raise PermissionDenied(_("Your account cannot suggest updates at the moment."))
    form = SuggestionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_suggestion(
                author=request.user,
                page=page,
                what_is_wrong=form.cleaned_data["what_is_wrong"],
                proposed_text=form.cleaned_data["proposed_text"],
                photo=form.cleaned_data["photo"],
            )
        except DomainError as error:
            _raise_for_http(error)
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("Thank you! The agency will review your suggestion for “%(title)s”.")
                % {"title": page.title},
            )
            return redirect("content:my_suggestions")
    return render(
        request, "content/contributions/suggest_update.html", {"form": form, "target": page}
    )


@login_required
def my_suggestions(request):
    return render(
        request,
        "content/contributions/my_suggestions.html",
        {"suggestions": services.suggestions_by(request.user)},
    )


@require_safe
def preview(request, token: str):
    """The latest revision of a page, for whoever holds the secret link."""
    try:
        link = services.get_preview_link_for(token)
    except NotFound as error:
        _raise_for_http(error)
    draft = link.page.specific.get_latest_revision_as_object()
    mode = draft.default_preview_mode
    request.is_preview = True
    request.preview_mode = mode
    response = draft.serve_preview(request, mode)
    if hasattr(response, "render"):
        response.render()
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Cache-Control"] = "private, no-store"
    response["Referrer-Policy"] = "no-referrer"
    return response
