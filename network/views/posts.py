"""Pages of posts and the feed: the home feed and its "new posts" count, a post with its
comments, the composer's targets (profile and group), editing, deleting, comments,
reactions and a post's previous versions. Views parse input, call one service or selector
and shape the reply; domain errors become 404, 403, 429, 413 or a form error (400)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from wagtail.models import Page

from core.errors import DomainError, InvalidInput, NotAllowed, NotFound, TooLarge
from network.forms.posts import (
    CommentForm,
    EditPostForm,
    PostForm,
    ReactionForm,
    body_for_editing,
)
from network.models import Comment, Group, Post
from network.permissions import (
    can_comment_on_post,
    can_delete_comment,
    can_delete_post,
    can_edit_post,
    can_see_post_history,
    can_write,
)
from network.selectors import feed as feeds
from network.selectors import posts as selectors
from network.selectors.groups import get_group_for
from network.services import posts as services


def _bad_request(request, error: DomainError):
    return render(request, "network/posts/400.html", {"message": error.message}, status=400)


def _next_url(request, default: str) -> str:
    """Where to go back after a form: the page it came from, if it is ours."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _post(request, post_id):
    return selectors.get_post_for_update(request.user, post_id)


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


# The feed ------------------------------------------------------------------------------------


@login_required
@require_safe
def feed(request):
    try:
        page = feeds.home_feed(request.user, cursor=request.GET.get("cursor") or None)
    except InvalidInput as error:
        return _bad_request(request, error)
    return render(
        request,
        "network/posts/feed.html",
        {"feed": page, "can_write": can_write(request.user)},
    )


@login_required
@require_safe
def feed_new_count(request):
    """How many entries arrived above the `since` cursor (polled by network-feed.js)."""
    since = request.GET.get("since") or ""
    if not since:
        return JsonResponse({"code": "invalid", "message": _("A cursor is needed.")}, status=400)
    try:
        count = feeds.count_new_home_entries(request.user, since=since)
    except InvalidInput as error:
        return JsonResponse({"code": error.code, "message": str(error.message)}, status=400)
    return JsonResponse({"count": count, "more": count >= feeds.MAX_NEW_COUNT})


# Writing a post ------------------------------------------------------------------------------


def _shared_things(request, data) -> tuple:
    """The page and post a composer shares, from their ids (None when absent or unknown)."""
    shared_page = shared_post = None
    page_id, post_id = data.get("shared_page"), data.get("shared_post")
    if page_id:
        shared_page = Page.objects.filter(pk=page_id).first()
        if shared_page is None:
            raise InvalidInput(_("Only published public pages can be shared."))
    if post_id:
        shared_post = selectors.get_post_for(request.user, post_id)  # NotFound: a 404
    return shared_page, shared_post


def _share_preview(request):
    """What a composer opened with ?share_post= or ?share_page= shows above the text."""
    shared_page = shared_post = None
    if request.GET.get("share_post"):
        shared_post = selectors.get_post_for(request.user, request.GET["share_post"])
    elif request.GET.get("share_page", "").isdigit():
        shared_page = (
            Page.objects.live().public().filter(pk=request.GET["share_page"], depth__gt=1).first()
        )
        if shared_page is None:
            raise Http404(_("This page cannot be shared."))
        shared_page = shared_page.specific
    return shared_page, shared_post


def _compose(request, *, group: Group | None):
    """Create a post from the composer: a redirect on success; the form again with its
    error otherwise (400, or 413 for a too large file)."""
    form = PostForm(request.POST, request.FILES)
    default_back = group.get_absolute_url() if group else reverse("network:feed")
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            shared_page, shared_post = _shared_things(request, data)
            post = services.create_post(
                actor=request.user,
                body=data["body"],
                group=group,
                images=data["images"],
                tags=data["tags"],
                shared_page=shared_page,
                shared_post=shared_post,
                idempotency_key=data["idempotency_key"],
            )
        except (InvalidInput, TooLarge) as error:
            form.add_error(None, error.message)
            status = error.status
        else:
            if post.status == Post.Status.HELD:
                messages.info(
                    request,
                    _(
                        "Your post is waiting for a moderator's review; you will be told "
                        "when it is published."
                    ),
                )
            else:
                messages.success(request, _("Your post is published."))
            return redirect(_next_url(request, default_back) + f"#post-{post.pk}")
    context = {
        "form": form,
        "group": group,
        "next": _next_url(request, default_back),
        "shared_page": None,
        "shared_post": None,
    }
    return render(request, "network/posts/new.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def post_create(request):
    """The profile composer; GET opens it alone, e.g. to share a page or a post."""
    if request.method == "POST":
        return _compose(request, group=None)
    shared_page, shared_post = _share_preview(request)
    # A member who may write may post in each of their groups (can_post_in_group).
    groups = (
        list(Group.objects.filter(memberships__user=request.user).order_by("name"))
        if can_write(request.user)
        else []
    )
    form = PostForm(
        initial={
            "shared_page": shared_page.pk if shared_page else None,
            "shared_post": shared_post.pk if shared_post else None,
        }
    )
    return render(
        request,
        "network/posts/new.html",
        {
            "form": form,
            "group": None,
            "groups": groups,
            "next": _next_url(request, reverse("network:feed")),
            "shared_page": shared_page,
            "shared_post": shared_post,
        },
    )


@login_required
@require_POST
def group_post_create(request, slug):
    """The composer of a group's page. A group the user cannot see is a 404; one they may
    not post in is a 403 (the service decides)."""
    try:
        group = get_group_for(request.user, slug)
    except NotFound:
        raise Http404(_("This group does not exist.")) from None
    return _compose(request, group=group)


# A post --------------------------------------------------------------------------------------


@require_safe
def post_detail(request, post_id):
    post = selectors.get_post_for(request.user, post_id)
    return _render_post(request, post)


def _render_post(request, post, *, comment_form=None, status=200):
    user = request.user
    comments = selectors.post_comments(post)
    for comment in comments:
        comment.can_delete = can_delete_comment(user, comment)
        for reply in comment.replies.all():
            reply.can_delete = can_delete_comment(user, reply)
    return render(
        request,
        "network/posts/detail.html",
        {
            "post": post,
            "comments": comments,
            "comment_form": comment_form or CommentForm(),
            "can_comment": can_comment_on_post(user, post),
            "can_edit": can_edit_post(user, post),
            "can_delete": can_delete_post(user, post),
            "can_see_history": can_see_post_history(user, post) and post.edited_at is not None,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def post_edit(request, post_id):
    post = _post(request, post_id)
    if not can_edit_post(request.user, post):
        raise PermissionDenied(_("Only its author can edit a post."))
    status = 200
    if request.method == "POST":
        form = EditPostForm(request.POST)
        if form.is_valid():
            try:
                services.edit_post(
                    actor=request.user,
                    post=post,
                    body=form.cleaned_data["body"],
                    tags=form.cleaned_data["tags"],
                )
            except InvalidInput as error:
                form.add_error("body", error.message)
            else:
                messages.success(request, _("Your post is updated."))
                return redirect(post)
        status = 400
    else:
        form = EditPostForm(
            initial={
                "body": body_for_editing(post.body),
                "tags": ", ".join(sorted(tag.name for tag in post.tags.all())),
            }
        )
    return render(request, "network/posts/edit.html", {"form": form, "post": post}, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def post_delete(request, post_id):
    post = _post(request, post_id)
    if not can_delete_post(request.user, post):
        raise PermissionDenied(_("You cannot delete this post."))
    if request.method == "POST":
        back = post.group.get_absolute_url() if post.group_id else reverse("network:feed")
        services.delete_post(actor=request.user, post=post)
        messages.success(request, _("The post is deleted."))
        return redirect(back)
    return render(request, "network/posts/delete.html", {"post": post})


@login_required
@require_safe
def post_history(request, post_id):
    post = _post(request, post_id)
    if not can_see_post_history(request.user, post):
        raise PermissionDenied(_("Previous versions are for moderators."))
    return render(
        request,
        "network/posts/history.html",
        {"post": post, "revisions": selectors.post_revisions(post)},
    )


# Comments and reactions ----------------------------------------------------------------------


@login_required
@require_POST
def comment_create(request, post_id):
    post = _post(request, post_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        parent = None
        if form.cleaned_data["parent"]:
            parent = Comment.objects.filter(pk=form.cleaned_data["parent"], post=post).first()
            if parent is None:
                form.add_error(None, _("This reply does not belong to this post."))
        if not form.errors:
            try:
                comment = services.add_comment(
                    actor=request.user, post=post, body=form.cleaned_data["body"], parent=parent
                )
            except InvalidInput as error:
                form.add_error("body", error.message)
            else:
                if comment.status == Post.Status.HELD:
                    messages.info(
                        request,
                        _(
                            "Your comment is waiting for a moderator's review; you will be "
                            "told when it is published."
                        ),
                    )
                return redirect(f"{post.get_absolute_url()}#comment-{comment.pk}")
    post = selectors.get_post_for(request.user, post.pk)
    return _render_post(request, post, comment_form=form, status=400)


@login_required
@require_POST
def comment_delete(request, comment_id):
    comment = selectors.get_comment_for(request.user, comment_id)
    services.delete_comment(actor=request.user, comment=comment)
    messages.success(request, _("The comment is deleted."))
    return redirect(_next_url(request, comment.post.get_absolute_url() + "#comments"))


@login_required
@require_POST
def post_react(request, post_id):
    """Toggle one reaction; back to the page it came from, or JSON for network-feed.js."""
    post = _post(request, post_id)
    form = ReactionForm(request.POST)
    if not form.is_valid():
        error = InvalidInput(_("This reaction does not exist."))
        if _wants_json(request):
            return JsonResponse({"code": error.code, "message": str(error.message)}, status=400)
        return _bad_request(request, error)
    try:
        given = services.toggle_reaction(
            actor=request.user, post=post, kind=form.cleaned_data["kind"]
        )
    except (NotFound, NotAllowed) as error:
        if _wants_json(request):
            status = 404 if isinstance(error, NotFound) else 403
            return JsonResponse({"code": error.code, "message": str(error.message)}, status=status)
        raise  # the 404 and 403 pages (core.middleware)
    if _wants_json(request):
        return JsonResponse(
            {"kind": form.cleaned_data["kind"], "given": given, "counts": post.reaction_counts}
        )
    return redirect(_next_url(request, post.get_absolute_url()) + f"#post-{post.pk}")


urlpatterns = [
    path("feed/", feed, name="feed"),
    path("feed/new-count/", feed_new_count, name="feed_new_count"),
    path("posts/new/", post_create, name="post_create"),
    path("groups/<slug:slug>/posts/", group_post_create, name="group_post_create"),
    path("posts/<int:post_id>/", post_detail, name="post"),
    path("posts/<int:post_id>/edit/", post_edit, name="post_edit"),
    path("posts/<int:post_id>/delete/", post_delete, name="post_delete"),
    path("posts/<int:post_id>/history/", post_history, name="post_history"),
    path("posts/<int:post_id>/comments/", comment_create, name="comment_create"),
    path("posts/<int:post_id>/react/", post_react, name="post_react"),
    path("comments/<int:comment_id>/delete/", comment_delete, name="comment_delete"),
]
