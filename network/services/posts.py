"""Posts, comments and reactions: every write of the feed goes through here, whether it comes
from a page, the API or a task. Each service checks its permission, sanitises what it
stores, and sends its signals once the transaction has committed."""

import re
from contextlib import nullcontext

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import Page

from core import ratelimit
from core.errors import InvalidInput, NotAllowed, NotFound, RateLimited, TooLarge
from core.images import reencode_image
from core.sanitizer import clean_html, clean_text
from core.validators import validate_image_upload
from network import signals
from network.mentions import link_mentions, mentionable_users, mentions_group
from network.models import (
    Comment,
    Group,
    HeldReason,
    Mention,
    Post,
    PostImage,
    PostRevision,
    Reaction,
)
from network.models.posts import MAX_COMMENT_LENGTH, MAX_POST_IMAGES, MAX_POST_LENGTH
from network.permissions import (
    can_comment_on_post,
    can_delete_comment,
    can_delete_post,
    can_edit_post,
    can_moderate_group,
    can_post_images,
    can_post_in_group,
    can_post_links,
    can_see_group,
    can_see_post,
    can_write,
)
from network.services import moderation

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_TAGS = 10
MAX_TAG_LENGTH = 50
# Posting and commenting limits per member (429 past them).
POSTS_PER_MINUTE = 10
COMMENTS_PER_MINUTE = 30
# Raw input is refused before sanitising past this many characters: bleach's work grows
# with the input, and no 10,000-character text needs more than this much markup.
MAX_RAW_FACTOR = 4


# Text ----------------------------------------------------------------------------------------

_BLOCK_TAG_RE = re.compile(r"<\s*(p|br|ul|ol|li|blockquote)\b", re.IGNORECASE)
_BOLD_RE = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC_RE = re.compile(r"(?<![\w*])[*_](?=\S)([^*_\n]+?)(?<=\S)[*_](?![\w*])")
_BULLET_RE = re.compile(r"^\s*[-•*]\s+(.*)$")
_NUMBER_RE = re.compile(r"^\s*\d{1,3}[.)]\s+(.*)$")


def _inline(line: str) -> str:
    return _ITALIC_RE.sub(r"<em>\1</em>", _BOLD_RE.sub(r"<strong>\1</strong>", line))


def _line_kind(line: str):
    for pattern, tag in ((_BULLET_RE, "ul"), (_NUMBER_RE, "ol")):
        match = pattern.match(line)
        if match:
            return tag, match.group(1)
    return "p", line


def _block(lines: list[str]) -> str:
    """One paragraph of the light markup: runs of list items become lists, the other lines
    text with line breaks."""
    html, run_tag, run = [], None, []

    def close():
        if run_tag == "p":
            html.append("<p>" + "<br>".join(run) + "</p>")
        elif run_tag:
            html.append(
                f"<{run_tag}>" + "".join(f"<li>{item}</li>" for item in run) + f"</{run_tag}>"
            )

    for line in lines:
        tag, content = _line_kind(line)
        if tag != run_tag:
            close()
            run_tag, run = tag, []
        run.append(_inline(content))
    close()
    return "".join(html)


def format_body(text: str) -> str:
    """The composer's text as HTML. Text that already holds block HTML (from the API or a
    rich editor) is kept as it is; otherwise blank lines make paragraphs, line breaks stay,
    **bold**, *italics*, and lines starting with "- " or "1." make lists. Whatever comes out
    still goes through the sanitiser."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text or _BLOCK_TAG_RE.search(text):
        return text
    paragraphs = [block.split("\n") for block in re.split(r"\n\s*\n", text) if block.strip()]
    return "".join(_block([line.rstrip() for line in lines]) for lines in paragraphs)


def _clean_body(body: str, *, max_length: int, allow_empty: bool = False) -> tuple[str, str]:
    """Sanitised HTML and its plain text, or InvalidInput when too long or empty."""
    if len(body or "") > max_length * MAX_RAW_FACTOR:
        raise InvalidInput(
            _("This text is too long (%(max)s characters at most).") % {"max": max_length}
        )
    html = clean_html(format_body(body))
    text = clean_text(html)
    if len(text) > max_length:
        raise InvalidInput(
            _("This text is too long: %(length)s characters for %(max)s at most.")
            % {"length": len(text), "max": max_length}
        )
    if not text and not allow_empty:
        raise InvalidInput(_("Write something first."))
    return (html if text else ""), text


def clean_tags(tags) -> list[str]:
    """Tag names, stripped of markup and "#", without duplicates; at most MAX_TAGS."""
    if isinstance(tags, str):
        tags = tags.split(",")
    names: dict[str, str] = {}
    for tag in tags or ():
        name = clean_text(str(tag)).strip().lstrip("#").strip()
        if not name:
            continue
        if len(name) > MAX_TAG_LENGTH:
            raise InvalidInput(_("A tag has %(max)s characters at most.") % {"max": MAX_TAG_LENGTH})
        names.setdefault(name.lower(), name)
    if len(names) > MAX_TAGS:
        raise InvalidInput(_("%(max)s tags at most.") % {"max": MAX_TAGS})
    return list(names.values())


# Images --------------------------------------------------------------------------------------


def prepare_images(images) -> list:
    """Validate and re-encode the uploads (outside any transaction: this is the slow part)."""
    images = [image for image in images or () if image]
    if len(images) > MAX_POST_IMAGES:
        raise InvalidInput(_("%(max)s images at most per post.") % {"max": MAX_POST_IMAGES})
    prepared = []
    for upload in images:
        try:
            validate_image_upload(upload, max_bytes=MAX_IMAGE_BYTES)
        except ValidationError as error:
            message = " ".join(error.messages)
            if error.code == "file_too_large":
                raise TooLarge(message) from error
            raise InvalidInput(message) from error
        try:
            prepared.append(reencode_image(upload))
        except Exception as error:  # noqa: BLE001 - Pillow fails in many ways on odd files
            raise InvalidInput(_("This file is not a valid image.")) from error
    return prepared


# Trust levels --------------------------------------------------------------------------------


def _has_link(html: str) -> bool:
    # The sanitiser turned every link, typed or bare, into an <a> (mentions are linked later).
    return "<a " in (html or "")


def _check_trust(actor, *, html: str, image_count: int) -> None:
    """Links and images unlock at the trust levels staff chose (network.trust)."""
    if _has_link(html) and not can_post_links(actor):
        raise NotAllowed(_("Links in posts unlock at a higher trust level: see your account page."))
    if image_count and not can_post_images(actor):
        raise NotAllowed(
            _("Images in posts unlock at a higher trust level: see your account page.")
        )


# Shared content ------------------------------------------------------------------------------


def _check_shared_page(page: Page | None) -> Page | None:
    if page is None:
        return None
    if not Page.objects.live().public().filter(pk=page.pk, depth__gt=1).exists():
        raise InvalidInput(_("Only published public pages can be shared."))
    return page


def _check_shared_post(actor, post: Post | None) -> Post | None:
    if post is None:
        return None
    if not can_see_post(actor, post) or post.status != Post.Status.PUBLISHED:
        raise NotFound(_("This post does not exist or is not visible to you."))
    return post


# Mentions ------------------------------------------------------------------------------------


def _linked(html: str, users: list, group: Group | None = None) -> str:
    """The HTML with the mentioned members' names (and the mentioned group) linked."""
    return clean_html(link_mentions(html, users, group)) if users or group else html


def _mentions_whole_group(actor, text: str, group: Group | None) -> bool:
    """ "@<slug>" of the group a post is written in tells all its members: only its
    moderators (and the agency's) may summon everyone, as Discourse's group mentions."""
    return mentions_group(text, group) and can_moderate_group(actor, group)


def _send_group_mention(*, actor, post: Post) -> None:
    group = post.group
    transaction.on_commit(
        lambda: signals.group_mentioned.send(sender=Post, post=post, group=group, actor=actor)
    )


def _record_mentions(*, post: Post, users: list, comment: Comment | None = None) -> list:
    """Store a Mention for each newly named member (see mentionable_users); return them."""
    if not users:
        return []
    already = set(
        Mention.objects.filter(post=post, comment=comment, user__in=users).values_list(
            "user_id", flat=True
        )
    )
    new = [user for user in users if user.pk not in already]
    Mention.objects.bulk_create([Mention(post=post, comment=comment, user=user) for user in new])
    return new


def _send_mentions(*, actor, post: Post, users: list, comment: Comment | None = None) -> None:
    if users:
        transaction.on_commit(
            lambda: signals.members_mentioned.send(
                sender=Post, users=users, post=post, comment=comment, actor=actor
            )
        )


# Posts ---------------------------------------------------------------------------------------


def _existing_post(actor, idempotency_key: str) -> Post | None:
    if not idempotency_key:
        return None
    # The unique index's condition, repeated: SQLite does not infer it from `= key`, and would
    # read every post of the author (2.3 ms for 533 posts) instead of one index entry (0.2 ms).
    return (
        Post.objects.filter(author=actor, idempotency_key=idempotency_key)
        .exclude(idempotency_key="")
        .first()
    )


def create_post(
    *,
    actor,
    body: str,
    group: Group | None = None,
    images=(),
    tags=(),
    shared_page: Page | None = None,
    shared_post: Post | None = None,
    idempotency_key: str = "",
) -> Post:
    """Publish a post on the actor's profile or in `group`. The same `idempotency_key`
    (a retried form or API call) returns the post already made instead of a second one."""
    idempotency_key = (idempotency_key or "").strip()[:64]
    if not can_write(actor):
        raise NotAllowed(_("Your account cannot publish right now."))
    if group is not None:
        if not can_see_group(actor, group):
            raise NotFound(_("This group does not exist."))
        if not can_post_in_group(actor, group):
            raise NotAllowed(_("Only the group's members can post in it."))
    shared_page = _check_shared_page(shared_page)
    shared_post = _check_shared_post(actor, shared_post)
    html, text = _clean_body(body, max_length=MAX_POST_LENGTH, allow_empty=True)
    tag_names = clean_tags(tags)
    image_count = len([image for image in images or () if image])
    if not text and not image_count and shared_page is None and shared_post is None:
        raise InvalidInput(_("Write something first."))
    _check_trust(actor, html=html, image_count=image_count)
    try:
        counted = ratelimit.hit("post", actor.pk, limit=POSTS_PER_MINUTE, window=60)
    except RateLimited:
        # Over the limit, a retry still gets the post it made.
        existing = _existing_post(actor, idempotency_key)
        if existing is None:
            raise
        return existing
    named = mentionable_users(text, group=group, exclude=[actor])
    whole_group = _mentions_whole_group(actor, text, group)
    html = _linked(html, named, group if whole_group else None)
    prepared = prepare_images(images)
    # A blocked word, or a new member's first posts when staff chose so, hold the post for a
    # moderator; nobody is told of it until then.
    held_reason = moderation.held_reason_for(actor, text)
    held = bool(held_reason)
    # A post of text alone is one INSERT and needs no transaction of its own: BEGIN and COMMIT
    # were two of posting's five round trips to the database. In a caller's transaction, the
    # savepoint keeps a retry's duplicate key from breaking it.
    alone = not (prepared or tag_names or named or held or connection.in_atomic_block)

    try:
        with nullcontext() if alone else transaction.atomic():
            post = Post.objects.create(
                author=actor,
                group=group,
                body=html,
                body_text=text,
                shared_page=shared_page,
                shared_post=shared_post,
                status=Post.Status.HELD if held else Post.Status.PUBLISHED,
                idempotency_key=idempotency_key,
            )
            images = []
            for position, content in enumerate(prepared):
                image = PostImage(post=post, position=position)
                image.image.save(content.name, content, save=False)
                image.save()
                images.append(image)
            if tag_names:
                post.tags.set(tag_names)
            else:  # showing the new post (the API's answer) then reads neither
                post.tag_list = []
            post.image_list = images
            mentioned = _record_mentions(post=post, users=named)
            if held:
                moderation.hold_for_review(post, reason=held_reason)
            else:
                transaction.on_commit(
                    lambda: signals.post_created.send(sender=Post, post=post, actor=actor)
                )
                _send_mentions(actor=actor, post=post, users=mentioned)
                if whole_group:
                    _send_group_mention(actor=actor, post=post)
    except IntegrityError:
        # A retried request (or two identical ones racing) stops at the unique index: it gets
        # the first one's post, and its count against the rate limit back. Retries are rare:
        # looking the key up before every post cost a query each time.
        existing = _existing_post(actor, idempotency_key)
        if existing is None:
            raise
        ratelimit.give_back(counted)
        return existing
    return post


def publish_held_post(post: Post) -> Post:
    """A moderator let a held post through: a new post is published as of now (at the top
    of the feeds, as if just written), an edited one as it was; its mentions and followers
    are told then, as create_post or edit_post would have done."""
    author = post.author
    if post.edited_at is None:
        now = timezone.now()
        Post.objects.filter(pk=post.pk).update(status=Post.Status.PUBLISHED, created_at=now)
        post.status, post.created_at = Post.Status.PUBLISHED, now
        signal = signals.post_created
    else:
        Post.objects.filter(pk=post.pk).update(status=Post.Status.PUBLISHED)
        post.status = Post.Status.PUBLISHED
        signal = signals.post_edited
    transaction.on_commit(lambda: signal.send(sender=Post, post=post, actor=author))
    mentioned = [m.user for m in post.mentions.filter(comment=None).select_related("user")]
    _send_mentions(actor=author, post=post, users=mentioned)
    if _mentions_whole_group(author, post.body_text, post.group):
        _send_group_mention(actor=author, post=post)
    return post


@transaction.atomic
def edit_post(*, actor, post: Post, body: str, tags=None) -> Post:
    """Change a post's text (and tags if given); the previous text is kept as a revision."""
    if not can_see_post(actor, post):
        raise NotFound(_("This post does not exist or is not visible to you."))
    if not can_edit_post(actor, post):
        raise NotAllowed(_("Only its author can edit a post."))
    post = Post.objects.select_for_update(of=("self",)).select_related("group").get(pk=post.pk)
    has_other_content = post.shared_page_id or post.shared_post_id or post.images.exists()
    html, text = _clean_body(body, max_length=MAX_POST_LENGTH, allow_empty=has_other_content)
    if _has_link(html) and not _has_link(post.body):
        _check_trust(actor, html=html, image_count=0)
    tag_names = clean_tags(tags) if tags is not None else None
    named = mentionable_users(text, group=post.group, exclude=[actor])
    html = _linked(html, named)
    if html != post.body:
        PostRevision.objects.create(
            post=post, body=post.body, created_at=post.edited_at or post.created_at
        )
        post.body, post.body_text = html, text
        post.edited_at = timezone.now()
        fields = ["body", "body_text", "edited_at"]
        # A blocked word edited into a published post holds it, as it would a new one.
        held = post.status == Post.Status.PUBLISHED and moderation.blocked_word_in(text) is not None
        if held:
            post.status = Post.Status.HELD
            fields.append("status")
        post.save(update_fields=fields)
        mentioned = _record_mentions(post=post, users=named)
        if held:
            moderation.hold_for_review(post, reason=HeldReason.BLOCKED_WORD)
        elif post.status == Post.Status.PUBLISHED:
            transaction.on_commit(
                lambda: signals.post_edited.send(sender=Post, post=post, actor=actor)
            )
            _send_mentions(actor=actor, post=post, users=mentioned)
    if tag_names is not None:
        post.tags.set(tag_names)
    return post


def delete_post(*, actor, post: Post) -> None:
    """Delete a post with its images, comments and reactions (author or moderators)."""
    if not can_see_post(actor, post):
        raise NotFound(_("This post does not exist or is not visible to you."))
    if not can_delete_post(actor, post):
        raise NotAllowed(_("You cannot delete this post."))
    files = [(image.image.storage, image.image.name) for image in post.images.all()]
    with transaction.atomic():
        post.delete()

        def remove_files():
            for storage, name in files:
                storage.delete(name)

        transaction.on_commit(remove_files)


# Comments ------------------------------------------------------------------------------------


def add_comment(*, actor, post: Post, body: str, parent: Comment | None = None) -> Comment:
    """Comment on a post, or reply to a comment; a reply to a reply joins its top comment
    (one level of replies)."""
    if not can_see_post(actor, post):
        raise NotFound(_("This post does not exist or is not visible to you."))
    if not can_comment_on_post(actor, post):
        if post.group_id is not None and can_write(actor):
            raise NotAllowed(_("Only the group's members can comment."))
        raise NotAllowed(_("You cannot comment on this post."))
    if parent is not None:
        if parent.post_id != post.pk or parent.status != Post.Status.PUBLISHED:
            raise InvalidInput(_("This reply does not belong to this post."))
        if parent.parent_id is not None:
            parent = parent.parent
    html, text = _clean_body(body, max_length=MAX_COMMENT_LENGTH)
    ratelimit.hit("comment", actor.pk, limit=COMMENTS_PER_MINUTE, window=60)
    named = mentionable_users(text, group=post.group, exclude=[actor])
    html = _linked(html, named)
    held = moderation.blocked_word_in(text) is not None
    with transaction.atomic():
        comment = Comment.objects.create(
            post=post,
            author=actor,
            parent=parent,
            body=html,
            status=Post.Status.HELD if held else Post.Status.PUBLISHED,
        )
        Post.objects.filter(pk=post.pk).update(comment_count=F("comment_count") + 1)
        mentioned = _record_mentions(post=post, users=named, comment=comment)
        if held:
            moderation.hold_for_review(comment, reason=HeldReason.BLOCKED_WORD)
        else:
            _announce_comment(comment, actor=actor, mentioned=mentioned)
    return comment


def _announce_comment(comment: Comment, *, actor, mentioned: list) -> None:
    transaction.on_commit(
        lambda: signals.comment_created.send(sender=Comment, comment=comment, actor=actor)
    )
    _send_mentions(actor=actor, post=comment.post, users=mentioned, comment=comment)


def publish_held_comment(comment: Comment) -> Comment:
    """A moderator let a held comment through: published now, and only now announced."""
    Comment.objects.filter(pk=comment.pk).update(status=Post.Status.PUBLISHED)
    comment.status = Post.Status.PUBLISHED
    mentioned = [m.user for m in comment.mentions.select_related("user")]
    _announce_comment(comment, actor=comment.author, mentioned=mentioned)
    return comment


@transaction.atomic
def delete_comment(*, actor, comment: Comment) -> None:
    """Delete a comment and its replies; the post's comment count follows."""
    if not can_see_post(actor, comment.post):
        raise NotFound(_("This comment does not exist."))
    if not can_delete_comment(actor, comment):
        raise NotAllowed(_("You cannot delete this comment."))
    removed = 1 + comment.replies.count()
    comment.delete()
    Post.objects.filter(pk=comment.post_id).update(
        comment_count=Greatest(F("comment_count") - removed, 0)
    )


# Reactions -----------------------------------------------------------------------------------


def _check_reaction(actor, post: Post, kind: str) -> None:
    if kind not in Reaction.Kind.values:
        raise InvalidInput(_("This reaction does not exist."))
    if not can_see_post(actor, post):
        raise NotFound(_("This post does not exist or is not visible to you."))
    if not can_comment_on_post(actor, post):
        raise NotAllowed(_("You cannot react to this post."))


def _recount_reactions(post_id: int) -> dict:
    """Count the post's reactions again and store them. Should be called while holding a
    SELECT FOR UPDATE lock on the post, so concurrent reactions cannot lose an update."""
    counts = {
        row["kind"]: row["n"]
        for row in Reaction.objects.filter(post_id=post_id)
        .values("kind")
        .annotate(n=Count("pk"))
        .order_by()
    }
    Post.objects.filter(pk=post_id).update(reaction_counts=counts)
    return counts


def react(*, actor, post: Post, kind: str) -> Reaction:
    """Add the actor's reaction of `kind` (giving it twice keeps one)."""
    _check_reaction(actor, post, kind)
    with transaction.atomic():
        Post.objects.select_for_update().only("pk").get(pk=post.pk)
        reaction, created = Reaction.objects.get_or_create(post=post, user=actor, kind=kind)
        if created:
            post.reaction_counts = _recount_reactions(post.pk)
            transaction.on_commit(
                lambda: signals.reaction_added.send(sender=Reaction, reaction=reaction, actor=actor)
            )
    return reaction


def unreact(*, actor, post: Post, kind: str) -> None:
    """Take back the actor's reaction of `kind`, if given."""
    if kind not in Reaction.Kind.values:
        raise InvalidInput(_("This reaction does not exist."))
    if not can_see_post(actor, post):
        raise NotFound(_("This post does not exist or is not visible to you."))
    with transaction.atomic():
        Post.objects.select_for_update().only("pk").get(pk=post.pk)
        deleted, _rows = Reaction.objects.filter(post=post, user=actor, kind=kind).delete()
        if deleted:
            post.reaction_counts = _recount_reactions(post.pk)


def toggle_reaction(*, actor, post: Post, kind: str) -> bool:
    """Give the reaction, or take it back if already given; True when it is now given."""
    if Reaction.objects.filter(post=post, user=actor, kind=kind).exists():
        unreact(actor=actor, post=post, kind=kind)
        return False
    react(actor=actor, post=post, kind=kind)
    return True
