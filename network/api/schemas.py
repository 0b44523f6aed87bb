"""What the API sends and accepts. Output schemas read the objects the selectors return
(with their related rows already loaded), so serialising a page costs no query per item."""

from datetime import datetime
from typing import Annotated, Literal

from django.urls import NoReverseMatch, reverse
from ninja import Field, Schema

from network.models import Reaction

# The largest primary key any supported database holds (a signed 64-bit integer). Every id the
# API takes, in a body or a path, is this type, so an id beyond it is refused by the schema as
# invalid input naming the field rather than reaching the database (SQLite raises
# OverflowError on it).
MAX_ID = 2**63 - 1
Id = Annotated[int, Field(ge=1, le=MAX_ID)]


def absolute(context, url: str | None) -> str | None:
    if not url:
        return None
    request = (context or {}).get("request")
    return request.build_absolute_uri(url) if request is not None else url


def person_url(username: str) -> str | None:
    try:
        return reverse("network:person", args=[username])
    except NoReverseMatch:  # the people pages are not mounted
        return None


def file_url(field) -> str | None:
    return field.url if field else None


# People --------------------------------------------------------------------------------------


class AreaOut(Schema):
    slug: str
    name: str


class PersonRef(Schema):
    """A member as shown next to what they wrote."""

    username: str
    display_name: str
    avatar: str | None
    url: str | None

    @staticmethod
    def resolve_display_name(user):
        return user.get_display_name()

    @staticmethod
    def resolve_avatar(user, context):
        return absolute(context, file_url(user.avatar))

    @staticmethod
    def resolve_url(user, context):
        return absolute(context, person_url(user.username))


class MeOut(PersonRef):
    id: int
    email: str
    bio: str = Field(description="Sanitised HTML.")
    area: AreaOut | None
    interests: list[str]
    preferred_language: str
    suspended_until: datetime | None
    is_staff: bool

    @staticmethod
    def resolve_interests(user):
        return sorted(tag.name for tag in user.interests.all())


class OrganisationRoleOut(Schema):
    slug: str
    name: str
    role: str
    title: str


class PersonSummaryOut(PersonRef):
    area: AreaOut | None
    interests: list[str]

    @staticmethod
    def resolve_interests(user):
        return sorted(tag.name for tag in user.interests.all())


class PersonPage(Schema):
    items: list[PersonSummaryOut]
    next: str | None


class PersonOut(PersonSummaryOut):
    bio: str = Field(description="Sanitised HTML.")
    organisations: list[OrganisationRoleOut]
    followers: int
    following: int
    is_followed: bool = Field(description="Whether you follow this member.")

    @staticmethod
    def resolve_organisations(user):
        return user.organisation_roles

    @staticmethod
    def resolve_followers(user):
        return user.followers_count

    @staticmethod
    def resolve_following(user):
        return user.following_count


class FollowOut(Schema):
    following: bool


# Organisations -------------------------------------------------------------------------------


class OrganisationOut(Schema):
    slug: str
    name: str
    sector: str
    area: AreaOut | None
    description: str = Field(description="Sanitised HTML.")
    website: str
    logo: str | None
    latitude: float | None
    longitude: float | None
    verified: bool
    tags: list[str]
    url: str

    @staticmethod
    def resolve_logo(organisation, context):
        return absolute(context, file_url(organisation.logo))

    @staticmethod
    def resolve_tags(organisation):
        return sorted(tag.name for tag in organisation.tags.all())

    @staticmethod
    def resolve_url(organisation, context):
        return absolute(context, organisation.get_absolute_url())


class OrganisationPage(Schema):
    items: list[OrganisationOut]
    next: str | None


# Groups --------------------------------------------------------------------------------------


class GroupOut(Schema):
    slug: str
    name: str
    description: str = Field(description="Sanitised HTML.")
    visibility: Literal["public", "private", "secret"]
    join_policy: Literal["open", "request", "invite"]
    sector: str
    area: AreaOut | None
    tags: list[str]
    member_count: int
    is_member: bool = Field(description="Whether you are a member of the group.")
    url: str

    @staticmethod
    def resolve_tags(group):
        return sorted(tag.name for tag in group.tags.all())

    @staticmethod
    def resolve_url(group, context):
        return absolute(context, group.get_absolute_url())


class GroupDetailOut(GroupOut):
    my_role: str | None = Field(
        description="Your role in the group (owner, moderator, member), null if not a member."
    )
    can_read: bool = Field(description="Whether you may read the group's posts.")
    can_post: bool
    join_request_pending: bool
    follows_closely: bool = Field(
        default=False, description="Whether you are told of every new post in the group."
    )


class GroupPage(Schema):
    items: list[GroupOut]
    next: str | None


class JoinIn(Schema):
    message: str = Field("", max_length=1000, description="For the moderators (on request).")


class JoinOut(Schema):
    status: Literal["member", "requested"]
    role: str | None


# Posts ---------------------------------------------------------------------------------------


class GroupRef(Schema):
    slug: str
    name: str


class ImageOut(Schema):
    url: str
    width: int
    height: int
    alt_text: str

    @staticmethod
    def resolve_url(image, context):
        return absolute(context, image.image.url)


class SharedPageOut(Schema):
    id: int
    title: str
    url: str | None

    @staticmethod
    def resolve_url(page, context):
        return absolute(context, page.url)


class SharedPostOut(Schema):
    id: int
    author: PersonRef
    group: GroupRef | None
    excerpt: str
    created_at: datetime
    url: str

    @staticmethod
    def resolve_excerpt(post):
        return post.body_text[:280]

    @staticmethod
    def resolve_url(post, context):
        return absolute(context, post.get_absolute_url())


def _reaction_counts(post) -> dict[str, int]:
    counts = post.reaction_counts or {}
    return {kind: int(counts.get(kind, 0) or 0) for kind in Reaction.Kind.values}


class PostOut(Schema):
    id: int
    author: PersonRef
    group: GroupRef | None
    body: str = Field(description="Sanitised HTML.")
    body_text: str
    tags: list[str]
    images: list[ImageOut]
    shared_page: SharedPageOut | None
    shared_post: SharedPostOut | None
    status: Literal["published", "held", "hidden"]
    created_at: datetime
    edited_at: datetime | None
    comment_count: int
    reaction_counts: dict[str, int]
    my_reactions: list[str]
    url: str

    @staticmethod
    def resolve_tags(post):
        return sorted(tag.name for tag in post.tag_list)

    @staticmethod
    def resolve_images(post):
        return post.image_list

    @staticmethod
    def resolve_shared_page(post):
        # A page since unpublished or made private is not shown (prepared by the selector).
        return post.shared_page if getattr(post, "shared_page_visible", False) else None

    @staticmethod
    def resolve_shared_post(post):
        return post.shared_post if getattr(post, "shared_post_visible", False) else None

    @staticmethod
    def resolve_reaction_counts(post):
        return _reaction_counts(post)

    @staticmethod
    def resolve_my_reactions(post):
        return sorted(getattr(post, "my_reactions", ()))

    @staticmethod
    def resolve_url(post, context):
        return absolute(context, post.get_absolute_url())


class CommentOut(Schema):
    id: int
    author: PersonRef
    parent_id: int | None
    body: str = Field(description="Sanitised HTML.")
    created_at: datetime
    edited_at: datetime | None


class CommentWithRepliesOut(CommentOut):
    replies: list[CommentOut]

    @staticmethod
    def resolve_replies(comment):
        return list(comment.replies.all())


class PostDetailOut(PostOut):
    comments: list[CommentWithRepliesOut]

    @staticmethod
    def resolve_comments(post):
        return getattr(post, "api_comments", [])


class PostPage(Schema):
    items: list[PostOut]
    next: str | None


class PostIn(Schema):
    body: str = Field(
        description="The text: plain text or HTML limited to bold, italics, lists, links and "
        "line breaks (anything else is removed). At most 10,000 characters of text."
    )
    tags: list[str] = Field([], max_length=20)
    shared_page: Id | None = Field(None, description="Id of a content-hub page to share.")
    shared_post: Id | None = Field(None, description="Id of a post to quote-share.")


class PostPatch(Schema):
    body: str | None = None
    tags: list[str] | None = Field(None, max_length=20)


class CommentIn(Schema):
    body: str
    parent: Id | None = Field(None, description="Id of the comment this one replies to.")


ReactionKind = Literal[tuple(Reaction.Kind.values)]


class ReactionIn(Schema):
    kind: ReactionKind  # type: ignore[valid-type]


class ReactionsOut(Schema):
    reaction_counts: dict[str, int]
    my_reactions: list[str]
