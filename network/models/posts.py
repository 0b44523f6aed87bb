from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from taggit.managers import TaggableManager

MAX_POST_LENGTH = 10_000
MAX_COMMENT_LENGTH = 5_000
MAX_POST_IMAGES = 4


class Post(models.Model):
    """A post in a group (group set) or on its author's profile (group empty)."""

    class Status(models.TextChoices):
        PUBLISHED = "published", _("Published")
        HELD = "held", _("Held for review")  # blocked word, first post of a new member
        HIDDEN = "hidden", _("Hidden")  # reported, or hidden by a moderator

    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="posts"
    )
    group = models.ForeignKey(
        "network.Group", null=True, blank=True, on_delete=models.CASCADE, related_name="posts"
    )
    # Sanitised HTML (core.sanitizer.clean_html) and its plain text for search and excerpts.
    body = models.TextField(_("text"), max_length=MAX_POST_LENGTH * 2)
    body_text = models.TextField(editable=False, default="")
    tags = TaggableManager(_("tags"), blank=True)
    shared_page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    shared_post = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="shares"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    created_at = models.DateTimeField(_("posted"), auto_now_add=True, db_index=True)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)
    # Kept by the services so a feed page needs no COUNT per post.
    comment_count = models.PositiveIntegerField(default=0)
    reaction_counts = models.JSONField(default=dict, blank=True)
    # A retried form or API call with the same key creates one post.
    idempotency_key = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["author", "-created_at"]),
            models.Index(fields=["group", "-created_at"]),
            models.Index(fields=["-created_at", "-id"], name="post_feed_order"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["author", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="one_post_per_idempotency_key",
            )
        ]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def __str__(self):
        return self.body_text[:60]

    def get_absolute_url(self):
        return reverse("network:post", args=[self.pk])

    # What a card and the API show: read here once, unless the feed's selector (from the
    # cache) or the post service (what it made the post with) assigned them already.
    @cached_property
    def tag_list(self) -> list:
        return list(self.tags.all())

    @cached_property
    def image_list(self) -> list:
        return list(self.images.all())


def post_image_upload_to(instance, filename):
    return f"posts/{instance.post.created_at:%Y/%m}/{filename}"


class PostImage(models.Model):
    """An uploaded image, re-encoded by the post service (EXIF stripped, at most 1600 px)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(
        upload_to=post_image_upload_to, width_field="width", height_field="height"
    )
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    alt_text = models.CharField(_("description of the image"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "pk"]

    def __str__(self):
        return self.image.name


class PostRevision(models.Model):
    """A previous version of an edited post, kept for moderators."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="revisions")
    body = models.TextField()
    created_at = models.DateTimeField()  # when that version was written

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.post_id} @ {self.created_at:%Y-%m-%d %H:%M}"


class Comment(models.Model):
    """A comment on a post, or a reply to one (one level: a reply's parent is a top comment)."""

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="comments"
    )
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    body = models.TextField(_("comment"), max_length=MAX_COMMENT_LENGTH * 2)
    status = models.CharField(
        max_length=10, choices=Post.Status.choices, default=Post.Status.PUBLISHED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["post", "created_at"])]

    def __str__(self):
        return self.body[:60]


class Reaction(models.Model):
    class Kind(models.TextChoices):
        LIKE = "like", _("Like")
        LOVE = "love", _("Love")
        CLAP = "clap", _("Bravo")
        IDEA = "idea", _("Interesting")
        LAUGH = "laugh", _("Funny")

    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="reactions")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reactions"
    )
    kind = models.CharField(max_length=8, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["post", "user", "kind"], name="one_reaction_per_kind")
        ]

    def __str__(self):
        return f"{self.user} {self.kind} {self.post_id}"


class Mention(models.Model):
    post = models.ForeignKey(
        Post, null=True, blank=True, on_delete=models.CASCADE, related_name="mentions"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="mentions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentions"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return f"@{self.user}"


class Follow(models.Model):
    """A member follows another member or an organisation."""

    follower = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="following"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="followers",
    )
    organisation = models.ForeignKey(
        "network.Organisation",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="followers",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(user__isnull=False, organisation__isnull=True)
                | Q(user__isnull=True, organisation__isnull=False),
                name="follow_one_target",
            ),
            models.UniqueConstraint(
                fields=["follower", "user"],
                condition=Q(user__isnull=False),
                name="follow_user_once",
            ),
            models.UniqueConstraint(
                fields=["follower", "organisation"],
                condition=Q(organisation__isnull=False),
                name="follow_organisation_once",
            ),
        ]

    def __str__(self):
        return f"{self.follower} → {self.user or self.organisation}"
