"""Contributions from outside the agency: story proposals, update suggestions, and the
secret preview links that let a partner read a draft. Every write goes through here, so the
public views, the admin queue and (later) network's single moderation queue share the rules."""

from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import Truncator, slugify
from django.utils.translation import gettext as _
from wagtail.coreutils import find_available_slug
from wagtail.images import get_image_model
from wagtail.log_actions import log
from wagtail.models import Page, Workflow, WorkflowPage, WorkflowState

from content.models import Area, PageUpdateSuggestion, PreviewLink, StoryIndexPage, StoryPage
from content.permissions import (
    can_contribute,
    can_decide_suggestion,
    can_share_preview,
    can_suggest_update,
    can_view_page,
    is_suggestable,
)
from content.signals import story_proposed, suggestion_decided, suggestion_submitted
from core.errors import Conflict, DomainError, InvalidInput, NotAllowed, NotFound
from core.mail import LINE_BREAK, site_url, subject_line
from core.ratelimit import hit
from core.sanitizer import clean_html, clean_text
from core.validators import validate_image_upload

CONTRIBUTIONS_WORKFLOW = "Contributions"
CONTRIBUTION_IMAGE_MAX_BYTES = 5 * 1024 * 1024
MAX_STORY_IMAGES = 3
INTRO_MAX_LENGTH = 400
PREVIEW_LINK_DEFAULT_DAYS = 30
SUGGESTIONS_PER_HOUR = 10


# Story proposals ---------------------------------------------------------------------------


def _story_body_html(text: str) -> str:
    """The proposer's text as rich text: sanitised HTML is kept, plain text becomes
    paragraphs (blank lines) and line breaks."""
    html = clean_html(text)
    if "<p>" in html:
        return html
    paragraphs = [part.strip() for part in html.replace("\r\n", "\n").split("\n\n")]
    return "".join("<p>{}</p>".format(part.replace("\n", "<br/>")) for part in paragraphs if part)


def _save_images(*, uploads: Sequence, owner, title: str) -> list:
    Image = get_image_model()
    images = []
    for number, upload in enumerate(uploads, start=1):
        try:
            validate_image_upload(upload, max_bytes=CONTRIBUTION_IMAGE_MAX_BYTES)
        except ValidationError as exc:
            raise DomainError(" ".join(exc.messages)) from exc
        image = Image(
            title=Truncator(f"{title} ({number})").chars(250),
            file=upload,
            uploaded_by_user=owner,
        )
        image._set_image_file_metadata()
        image.save()
        images.append(image)
    return images


def _contributions_workflow_for(index: StoryIndexPage):
    """The workflow proposals go through: "Contributions", assigned to the story index on
    first use unless staff gave the index a workflow of their own."""
    workflow = Workflow.objects.filter(name=CONTRIBUTIONS_WORKFLOW, active=True).first()
    if workflow is not None:
        WorkflowPage.objects.get_or_create(page=index, defaults={"workflow": workflow})
    return index.get_workflow()


@transaction.atomic
def propose_story(
    *,
    author,
    title: str,
    text: str,
    images: Sequence = (),
    tags: Sequence[str] = (),
    area: Area | None = None,
) -> StoryPage:
    """Create a draft story by `author` under the story index and submit it to moderation.
    The page is never published here: only staff approval in the workflow publishes it."""
    if not can_contribute(author):
        raise NotAllowed(_("Only contributors can propose stories."))
    if LINE_BREAK.search(title or ""):
        raise InvalidInput(_("A title is written on a single line."))
    title = clean_text(title)[:255]
    body_html = _story_body_html(text)
    if not title or not clean_text(body_html):
        raise DomainError(_("A story needs a title and some text."))
    if len(images) > MAX_STORY_IMAGES:
        raise DomainError(_("%(count)s images at most.") % {"count": MAX_STORY_IMAGES})
    index = StoryIndexPage.objects.first()
    if index is None:
        raise NotFound(_("There is no stories section to propose a story to."))

    saved_images = _save_images(uploads=images, owner=author, title=title)
    body = [("paragraph", body_html)]
    body += [("image", {"image": image, "caption": "", "credit": ""}) for image in saved_images[1:]]
    slug = find_available_slug(index, slugify(title) or "story")
    page = StoryPage(
        title=title,
        draft_title=title,
        slug=slug,
        date=timezone.localdate(),
        intro=Truncator(clean_text(body_html)).chars(INTRO_MAX_LENGTH - 1),
        hero_image=saved_images[0] if saved_images else None,
        body=body,
        author=author,
        owner=author,
        area=area,
        live=False,
    )
    page.tags.set([clean_text(tag)[:100] for tag in tags if clean_text(tag)])
    index.add_child(instance=page)
    log(instance=page, action="wagtail.create", user=author)
    page.save_revision(user=author, log_action=True)

    workflow = _contributions_workflow_for(index)
    if workflow is not None:
        workflow.start(page, author)

    transaction.on_commit(lambda: story_proposed.send(sender=StoryPage, page=page, author=author))
    return page


def story_proposals_for(user) -> list[StoryPage]:
    """The stories `user` proposed, newest first, each with `proposal_status`: "published",
    "in_review", "needs_changes" or "draft". Two queries whatever their number."""
    pages = list(StoryPage.objects.filter(owner=user).order_by("-pk"))
    states = dict(
        WorkflowState.objects.active()
        .filter(
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=[str(page.pk) for page in pages],
        )
        .values_list("object_id", "status")
    )
    for page in pages:
        if page.live:
            page.proposal_status = "published"
        elif states.get(str(page.pk)) == WorkflowState.STATUS_IN_PROGRESS:
            page.proposal_status = "in_review"
        elif states.get(str(page.pk)) == WorkflowState.STATUS_NEEDS_CHANGES:
            page.proposal_status = "needs_changes"
        else:
            page.proposal_status = "draft"
    return pages


# Update suggestions -----------------------------------------------------------------------


def get_suggestable_page_for(user, page_id: int) -> Page:
    """The specific page `user` may suggest an update on; NotFound for pages that are
    missing, not live, restricted, or not of a kind that takes suggestions (one answer for
    all, so private pages do not leak)."""
    page = Page.objects.filter(pk=page_id).first()
    if page is None or not can_view_page(user, page) or not is_suggestable(page):
        raise NotFound(_("This page does not exist."))
    return page.specific


@transaction.atomic
def submit_suggestion(
    *,
    author,
    page: Page,
    what_is_wrong: str,
    proposed_text: str = "",
    photo=None,
) -> PageUpdateSuggestion:
    if not can_view_page(author, page) or not is_suggestable(page):
        raise NotFound(_("This page does not exist."))
    if not can_suggest_update(author, page):
        raise NotAllowed(_("Your account cannot suggest updates at the moment."))
    # Open to every member since issue 17: a cap keeps the staff queue readable.
    hit("suggestion", author.pk, limit=SUGGESTIONS_PER_HOUR, window=3600)
    what_is_wrong = clean_text(what_is_wrong)
    if not what_is_wrong:
        raise DomainError(_("Say what is wrong on the page."))
    title = _("Suggested photo for %(page)s") % {"page": page.title}
    images = _save_images(uploads=[photo], owner=author, title=title) if photo else []
    suggestion = PageUpdateSuggestion.objects.create(
        page=page,
        author=author,
        what_is_wrong=what_is_wrong[:2000],
        proposed_text=clean_text(proposed_text)[:10000],
        photo=images[0] if images else None,
    )
    transaction.on_commit(
        lambda: suggestion_submitted.send(sender=PageUpdateSuggestion, suggestion=suggestion)
    )
    return suggestion


def suggestions_by(user):
    return PageUpdateSuggestion.objects.filter(author=user).select_related("page", "decided_by")


def pending_suggestions():
    """The staff queue: pending suggestions with what each row shows, in a fixed number of
    queries whatever their count."""
    return (
        PageUpdateSuggestion.objects.filter(status=PageUpdateSuggestion.Status.PENDING)
        .select_related("page", "author", "photo")
        .order_by("created", "id")
    )


def _lock_pending(suggestion: PageUpdateSuggestion, actor) -> PageUpdateSuggestion:
    locked = (
        PageUpdateSuggestion.objects.select_for_update()
        .select_related("page", "author")
        .get(pk=suggestion.pk)
    )
    if not can_decide_suggestion(actor, locked.page):
        raise NotAllowed(_("Only staff who can publish this page may decide on suggestions."))
    if locked.status != PageUpdateSuggestion.Status.PENDING:
        raise Conflict(_("This suggestion has already been decided."))
    return locked


def _notify_decision(suggestion: PageUpdateSuggestion) -> None:
    suggestion_decided.send(sender=PageUpdateSuggestion, suggestion=suggestion)
    author = suggestion.author
    if not author.email:
        return
    language = author.preferred_language or settings.LANGUAGE_CODE
    with translation.override(language):
        suggestions_url = site_url(reverse("content:my_suggestions"))
        context = {
            "suggestion": suggestion,
            "user": author,
            "page": suggestion.page,
            "suggestions_url": suggestions_url,
        }
        subject = render_to_string(
            "content/contributions/email/suggestion_decided_subject.txt", context
        )
        body = render_to_string("content/contributions/email/suggestion_decided.txt", context)
    send_mail(subject_line(subject), body, None, [author.email])


def _decide(suggestion, *, actor, status, reason="") -> PageUpdateSuggestion:
    suggestion.status = status
    suggestion.decline_reason = reason
    suggestion.decided_by = actor
    suggestion.decided_at = timezone.now()
    suggestion.save(update_fields=["status", "decline_reason", "decided_by", "decided_at"])
    transaction.on_commit(lambda: _notify_decision(suggestion))
    return suggestion


@transaction.atomic
def accept_suggestion(
    *, actor, suggestion: PageUpdateSuggestion, text: str
) -> PageUpdateSuggestion:
    """Apply the moderated `text` as the page's introduction in a new revision by `actor`,
    mark the page reviewed today and publish it. The revision starts from the live page,
    so a draft someone else is preparing is not published along with it."""
    suggestion = _lock_pending(suggestion, actor)
    text = clean_text(text)
    if not text:
        raise DomainError(_("Write the text to put on the page."))
    if len(text) > INTRO_MAX_LENGTH:
        raise DomainError(
            _("The introduction takes %(max)s characters at most.") % {"max": INTRO_MAX_LENGTH}
        )
    page = Page.objects.get(pk=suggestion.page_id).specific
    if not page.live:
        raise Conflict(_("This page is no longer published; publish it before accepting."))
    page.intro = text
    page.last_reviewed_at = timezone.localdate()
    revision = page.save_revision(user=actor, log_action=True)
    revision.publish(user=actor)
    log(
        instance=page,
        action="content.suggestion.accept",
        user=actor,
        revision=revision,
        data={"suggestion": suggestion.pk, "author": suggestion.author_id},
    )
    suggestion.page = page
    return _decide(suggestion, actor=actor, status=PageUpdateSuggestion.Status.ACCEPTED)


@transaction.atomic
def decline_suggestion(
    *, actor, suggestion: PageUpdateSuggestion, reason: str
) -> PageUpdateSuggestion:
    suggestion = _lock_pending(suggestion, actor)
    reason = clean_text(reason)
    if not reason:
        raise DomainError(_("Give the contributor a reason."))
    log(
        instance=suggestion.page.specific,
        action="content.suggestion.decline",
        user=actor,
        data={"suggestion": suggestion.pk, "author": suggestion.author_id},
    )
    return _decide(
        suggestion, actor=actor, status=PageUpdateSuggestion.Status.DECLINED, reason=reason
    )


# Preview links -----------------------------------------------------------------------------


@transaction.atomic
def create_preview_link(
    *, actor, page: Page, days: int | None = PREVIEW_LINK_DEFAULT_DAYS
) -> PreviewLink:
    """A secret link to the page's latest draft, valid `days` days (None: until revoked)."""
    if not can_share_preview(actor, page):
        raise NotAllowed(_("You cannot share a preview of this page."))
    if days is not None and not 1 <= days <= 365:
        raise DomainError(_("A preview link lasts between 1 and 365 days."))
    expires_at = timezone.now() + timedelta(days=days) if days else None
    link = PreviewLink.objects.create(page=page, created_by=actor, expires_at=expires_at)
    log(
        instance=page.specific,
        action="content.preview_link.create",
        user=actor,
        data={"link": link.pk},
    )
    return link


@transaction.atomic
def revoke_preview_link(*, actor, link: PreviewLink) -> PreviewLink:
    if not can_share_preview(actor, link.page):
        raise NotAllowed(_("You cannot share a preview of this page."))
    if link.revoked_at is None:
        link.revoked_at = timezone.now()
        link.save(update_fields=["revoked_at"])
        log(
            instance=link.page.specific,
            action="content.preview_link.revoke",
            user=actor,
            data={"link": link.pk},
        )
    return link


def get_preview_link_for(token: str) -> PreviewLink:
    """The active link with this token, or NotFound (unknown, revoked and expired alike)."""
    link = PreviewLink.objects.filter(token=token).select_related("page").first()
    if link is None or not link.is_active:
        raise NotFound(_("This preview link does not exist or has expired."))
    return link


def preview_links_for(page: Page):
    return PreviewLink.objects.filter(page=page).select_related("created_by")
