"""The data of the authorization matrix (tests/network/test_authorization_matrix.py): one
small network built once per module, a signed-in client per role, and a snapshot of every
network table to prove that a refused write changed nothing.

Who is who. Each role is a person; the matrix's groups are three, one per visibility:
- member, moderator, owner: in every group with that role;
- suspended: a plain member of every group, suspended until tomorrow;
- non_member: signed in, in no group (some of their posts are left from when they were);
- staff: agency staff (is_staff), in no group;
- author: a member of every group who wrote the "others'" posts and comments;
- requester (a pending join request), banned (banned from every group), outsider (nobody:
  the target of follows, invitations and organisation additions).
The author also quotes the private and secret posts on their profile.
Everyone signed in follows `author` and the organisation `maison-a`, reacted "like" to the
others' posts, and has one unread notification and one personal access token."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import TextField, Value
from django.db.models.functions import Cast, Concat
from django.test import Client
from django.utils import timezone
from taggit.models import TaggedItem

from content.models import PageUpdateSuggestion
from network.models import (
    Case,
    Comment,
    Complaint,
    Decision,
    Follow,
    Group,
    GroupBan,
    GroupEvent,
    GroupEventRSVP,
    GroupInvitation,
    GroupMembership,
    JoinRequest,
    Mention,
    Notification,
    NotificationPreference,
    Organisation,
    OrganisationMembership,
    PersonalAccessToken,
    Post,
    PostImage,
    PostRevision,
    Reaction,
    Report,
    User,
)
from network.services.groups import hash_token
from network.services.notifications import unsubscribe_token
from network.services.tokens import create_token
from realtime.models import Membership as ChatMembership
from realtime.models import Message, Room
from tests.content import factories_contrib as contrib
from tests.factories import UserFactory
from tests.network.factories import (
    CommentFactory,
    GroupFactory,
    OrganisationFactory,
    PostFactory,
    add_member,
    add_organisation_member,
)

ANONYMOUS = "anonymous"
MEMBER = "member"
NON_MEMBER = "non_member"
MODERATOR = "moderator"
OWNER = "owner"
STAFF = "staff"
SUSPENDED = "suspended"
ROLES = (ANONYMOUS, MEMBER, NON_MEMBER, MODERATOR, OWNER, STAFF, SUSPENDED)
SIGNED_IN = ROLES[1:]
IN_GROUP = frozenset({MEMBER, MODERATOR, OWNER, SUSPENDED})

PUBLIC, PRIVATE, SECRET, PROFILE = "public", "private", "secret", "profile"
GROUP_STATES = (PUBLIC, PRIVATE, SECRET)
POST_STATES = (*GROUP_STATES, PROFILE)  # where a post lives: a group, or its author's profile

GROUP_SPECS = {
    PUBLIC: (Group.Visibility.PUBLIC, Group.JoinPolicy.OPEN),
    PRIVATE: (Group.Visibility.PRIVATE, Group.JoinPolicy.REQUEST),
    SECRET: (Group.Visibility.SECRET, Group.JoinPolicy.INVITE),
}
ROLE_IN_GROUP = {
    OWNER: GroupMembership.Role.OWNER,
    MODERATOR: GroupMembership.Role.MODERATOR,
    MEMBER: GroupMembership.Role.MEMBER,
    SUSPENDED: GroupMembership.Role.MEMBER,
    "author": GroupMembership.Role.MEMBER,
}
INVITED_EMAIL = "invite@example.org"  # an e-mail invitation: it works for whoever holds it


def group_marker(state: str) -> str:
    """A word only in the name of the group of `state` (to look for it in lists)."""
    return f"quartz{state}"


def post_marker(state: str) -> str:
    """A word only in the others' post of `state` (to look for it in feeds and results)."""
    return f"postmark{state}"


@dataclass
class World:
    users: dict[str, User]
    groups: dict[str, Group] = field(default_factory=dict)
    others_post: dict[str, Post] = field(default_factory=dict)
    own_post: dict[tuple[str, str], Post] = field(default_factory=dict)
    quote_post: dict[str, Post] = field(default_factory=dict)  # the author's, quoting one
    others_comment: dict[str, Comment] = field(default_factory=dict)
    own_comment: dict[tuple[str, str], Comment] = field(default_factory=dict)
    open_event: dict[str, GroupEvent] = field(default_factory=dict)  # nobody replied yet
    booked_event: dict[str, GroupEvent] = field(default_factory=dict)  # the group replied
    join_request: dict[str, JoinRequest] = field(default_factory=dict)
    invitation_token: dict[str, str] = field(default_factory=dict)
    organisation: Organisation | None = None  # owned by owner and suspended; followed by all
    other_organisation: Organisation | None = None  # followed by nobody
    raw_tokens: dict[str, str] = field(default_factory=dict)
    token_ids: dict[str, int] = field(default_factory=dict)
    notification_ids: dict[str, int] = field(default_factory=dict)
    own_decision: dict[str, Decision] = field(default_factory=dict)  # a warning to each role
    decided_by_moderator: Complaint | None = None  # on a decision the `moderator` role took
    unsubscribe_token: str = ""  # author's, for the decisions about them
    clients: dict[str, Client] = field(default_factory=dict)
    destination: object = None  # a hub page that takes update suggestions (content)

    def post(self, state: str, whose: str, role: str) -> Post:
        return self.others_post[state] if whose == "others" else self.own_post[state, role]


def build_world() -> World:
    people = {role: UserFactory(username=role) for role in SIGNED_IN}
    for name in ("author", "requester", "banned", "outsider"):
        people[name] = UserFactory(username=name)
    User.objects.filter(pk=people[STAFF].pk).update(is_staff=True)
    world = World(users=people)

    # Tokens first: a suspended member cannot create one (and theirs must stop working).
    for name in (*SIGNED_IN, "author"):
        token, raw_token = create_token(actor=people[name], name="matrix")
        world.raw_tokens[name] = raw_token
        world.token_ids[name] = token.pk
    User.objects.filter(pk=people[SUSPENDED].pk).update(
        suspended_until=timezone.now() + timedelta(days=1)
    )
    for name in people:
        people[name].refresh_from_db()

    tomorrow = timezone.now() + timedelta(days=1)
    for state, (visibility, join_policy) in GROUP_SPECS.items():
        group = GroupFactory(
            name=f"Groupe {group_marker(state)}",
            visibility=visibility,
            join_policy=join_policy,
        )
        world.groups[state] = group
        for name, role in ROLE_IN_GROUP.items():
            add_member(group, people[name], role=role)
        world.join_request[state] = JoinRequest.objects.create(
            group=group, user=people["requester"], message="Bonjour"
        )
        GroupBan.objects.create(group=group, user=people["banned"], banned_by=people[OWNER])
        raw_token = f"matrix-invitation-{state}"
        GroupInvitation.objects.create(
            group=group,
            invited_by=people[OWNER],
            email=INVITED_EMAIL,
            token_hash=hash_token(raw_token),
            expires_at=timezone.now() + timedelta(days=7),
        )
        world.invitation_token[state] = raw_token
        world.open_event[state] = GroupEvent.objects.create(
            group=group, title="Petit-déjeuner", starts_at=tomorrow, created_by=people[OWNER]
        )
        booked = GroupEvent.objects.create(
            group=group, title="Afterwork", starts_at=tomorrow, created_by=people[OWNER]
        )
        world.booked_event[state] = booked
        for name in IN_GROUP:
            GroupEventRSVP.objects.create(
                event=booked, user=people[name], status=GroupEventRSVP.Status.GOING
            )

    # Own posts first, the others' posts last: these are the newest, at the top of feeds.
    for state in POST_STATES:
        group = world.groups.get(state)
        for role in SIGNED_IN:
            world.own_post[state, role] = PostFactory(author=people[role], group=group)
    for state in POST_STATES:
        marker = post_marker(state)
        world.others_post[state] = PostFactory(
            author=people["author"],
            group=world.groups.get(state),
            body=f"<p>Nouvelles {marker}</p>",
            body_text=f"Nouvelles {marker}",
        )
    # The author quotes the private and secret groups' posts on their profile, which anyone
    # may read: the quoted text must only show to those who may read the group.
    for state in (PRIVATE, SECRET):
        world.quote_post[state] = PostFactory(
            author=people["author"],
            shared_post=world.others_post[state],
            body="<p>À lire</p>",
            body_text="À lire",
        )
    for state in POST_STATES:
        post = world.others_post[state]
        world.others_comment[state] = CommentFactory(post=post, author=people["author"])
        for role in SIGNED_IN:
            world.own_comment[state, role] = CommentFactory(post=post, author=people[role])
            Reaction.objects.create(post=post, user=people[role], kind="like")

    world.organisation = OrganisationFactory(name="Maison A", slug="maison-a")
    world.other_organisation = OrganisationFactory(name="Maison B", slug="maison-b")
    for name, role in (
        (OWNER, OrganisationMembership.Role.OWNER),
        (SUSPENDED, OrganisationMembership.Role.OWNER),
        (MEMBER, OrganisationMembership.Role.MEMBER),
        ("author", OrganisationMembership.Role.MEMBER),
    ):
        add_organisation_member(world.organisation, people[name], role=role)

    for name in (*SIGNED_IN, "author"):
        if name != "author":
            Follow.objects.create(follower=people[name], user=people["author"])
            Follow.objects.create(follower=people[name], organisation=world.organisation)
        world.notification_ids[name] = Notification.objects.create(
            recipient=people[name],
            kind=Notification.Kind.FOLLOW,
            actor=people["outsider"],
            event_key=f"matrix:{name}",
            url="/feed/",
        ).pk

    for role in SIGNED_IN:
        client = Client()
        client.force_login(people[role])
        world.clients[role] = client
    world.clients[ANONYMOUS] = Client()
    build_moderation(world)
    world.destination = contrib.destination(title="Phare de la matrice")
    return world


def _decided_comment_case(world: World, comment: Comment) -> Case:
    """A decided case on the author's comment in the public group."""
    return Case.objects.create(
        target_type=ContentType.objects.get_for_model(Comment),
        target_id=comment.pk,
        kind="comment",
        group=world.groups[PUBLIC],
        target_author=world.users["author"],
        preview="Commentaire",
        status=Case.Status.DECIDED,
        decided_at=timezone.now(),
        report_count=1,
    )


def build_moderation(world: World) -> None:
    """An open case on each of the others' posts (reported by `outsider`), and a decided
    case on the public group's comment whose decision `author` contested (the decision was
    taken by `outsider`, so that every moderator may decide the complaint)."""
    people = world.users
    world.cases = {}
    for state in POST_STATES:
        post = world.others_post[state]
        case = Case.objects.create(
            target_type=ContentType.objects.get_for_model(Post),
            target_id=post.pk,
            kind="post",
            group=post.group,
            target_author=people["author"],
            preview=post.body_text,
            target_url=post.get_absolute_url(),
            report_count=1,
        )
        Report.objects.create(
            case=case, reporter=people["outsider"], reason="spam", explanation="Pub"
        )
        world.cases[state] = case
    comment = world.others_comment[PUBLIC]
    decided = _decided_comment_case(world, comment)
    decision = Decision.objects.create(
        case=decided,
        moderator=people["outsider"],
        affected=people["author"],
        action="warn",
        facts="Ton agressif",
        ground="Règle 3",
    )
    world.decided_case = decided
    world.decision = decision
    world.complaint = Complaint.objects.create(
        decision=decision, author=people["author"], text="Je conteste"
    )
    # The same comment, decided by the `moderator` role this time, also contested.
    again = _decided_comment_case(world, comment)
    theirs = Decision.objects.create(
        case=again,
        moderator=people[MODERATOR],
        affected=people["author"],
        action="hide",
        facts="Ton agressif",
        ground="Règle 3",
    )
    world.decided_by_moderator = Complaint.objects.create(
        decision=theirs, author=people["author"], text="Je conteste aussi"
    )
    # A warning to each signed-in role about their own profile, for them to contest.
    for role in SIGNED_IN:
        case = Case.objects.create(
            target_type=ContentType.objects.get_for_model(User),
            target_id=people[role].pk,
            kind="member",
            target_author=people[role],
            preview=role,
            status=Case.Status.DECIDED,
            decided_at=timezone.now(),
            report_count=1,
        )
        world.own_decision[role] = Decision.objects.create(
            case=case,
            moderator=people["outsider"],
            affected=people[role],
            action="warn",
            facts="Profil trompeur",
            ground="Règle 1",
        )
    world.unsubscribe_token = unsubscribe_token(people["author"].pk, ["moderation_decision"])


def world_fixture(django_db_blocker):
    """Build the world in a transaction that is rolled back once the module is done; each
    test runs in a savepoint inside it (pytest-django's `db`), as Django's setUpTestData."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# The proof that nothing changed: every network table (and content's suggestions, which any
# member may now make), with the columns a write would touch.
# (Not PersonalAccessToken.last_used_at: using a token notes it, by design.)
SNAPSHOT_COLUMNS = [
    (User, ("display_name", "bio", "is_active", "suspended_until")),
    (Group, ("name", "description", "visibility", "join_policy", "member_count")),
    (GroupMembership, ("group_id", "user_id", "role", "follows_closely")),
    (JoinRequest, ("status", "decided_by_id")),
    (GroupBan, ("group_id", "user_id")),
    (GroupInvitation, ("used_at", "expires_at")),
    (GroupEvent, ("title", "starts_at", "capacity")),
    (GroupEventRSVP, ("user_id", "status")),
    (Post, ("body", "status", "edited_at", "group_id", "shared_post_id", "reaction_counts")),
    (PostRevision, ("post_id",)),
    (PostImage, ("post_id",)),
    (Comment, ("body", "status")),
    (Reaction, ("post_id", "user_id", "kind")),
    (Mention, ("user_id",)),
    (Follow, ("follower_id", "user_id", "organisation_id")),
    (Organisation, ("name", "description", "verified")),
    (OrganisationMembership, ("user_id", "role")),
    (PersonalAccessToken, ("revoked_at",)),
    (Notification, ("read_at",)),
    (NotificationPreference, ("kind", "channel")),
    (TaggedItem, ("tag_id", "object_id")),
    (Case, ("status", "report_count")),
    (Report, ("case_id", "reporter_id", "reason")),
    (Decision, ("case_id", "action", "reversed_at")),
    (Complaint, ("decision_id", "status")),
    (PageUpdateSuggestion, ("page_id", "author_id", "status")),
    (Room, ("kind", "last_seq")),
    (ChatMembership, ("room_id", "user_id", "last_read_seq")),
    (Message, ("seq", "body")),
]


def _rows_of(model, columns):
    """One line per row: the table's name, its pk, and its columns as text."""
    text = TextField()
    parts = []
    for column in columns:
        parts += [Cast(column, text), Value("|", output_field=text)]
    return model.objects.order_by().values_list(
        Value(model.__name__, output_field=text), Concat(*parts, output_field=text)
    )


_snapshot_sql = {}


def snapshot() -> list:
    """Every line of SNAPSHOT_COLUMNS, in one query whose SQL is compiled once (compiling
    a union of twenty querysets costs more than running it)."""
    vendor = connection.vendor
    if vendor not in _snapshot_sql:
        first, *others = [_rows_of(model, ("pk", *cols)) for model, cols in SNAPSHOT_COLUMNS]
        _snapshot_sql[vendor] = first.union(*others, all=True).query.sql_with_params()
    sql, params = _snapshot_sql[vendor]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return sorted(cursor.fetchall())


def changed_tables(before: list, after: list) -> list[str]:
    """The tables whose lines differ."""
    return sorted({table for table, _line in set(before) ^ set(after)})
