"""The authorization matrix (issue 5): every role × every network page and API operation ×
every object state, with the answer the issue's rules require and, for each write, the proof
that it changed something (allowed) or nothing at all (refused).

The rules, as the issue gives them:
- a public group is read by anyone; a private group is listed but its content (posts,
  members, events) is for its members; a secret group does not exist for non-members (404);
- agency staff see and moderate every group; owners and moderators moderate theirs (requests,
  invitations, removing and banning members, deleting posts); owners also change its
  settings and its members' roles;
- only a group's members post, comment and react in it; only the author edits a post; the
  author and the group's moderators delete it (agency staff for profile posts);
- any member who may write suggests an update to a hub page (content's suggestions queue);
- a suspended member reads but cannot write (User.suspended_until: "can read what is public
  but cannot write"), not even their public profile; taking back something of their own
  (leaving, unfollowing, cancelling a reply, taking back a reaction, reading notifications)
  stays open, and their access tokens stop working;
- a visitor who is not signed in is sent to the log-in page for anything that needs an
  account on the web, and gets 401 from the API;
- a post one may not read is a 404, as a missing one (the app's choice for posts; a private
  group's own pages answer 403 since the group itself is listed).

Each rule below returns an outcome; `expected()` turns it into the status of the web page or
of the API. The web rows use each role's session; the API rows use each role's personal
access token, except the suspended member's rows, which use the session (what a session may
still do), and the "suspended_token" rows (their token: 401 everywhere). The data
(tests/network/matrix.py) is built once per module; each row runs in a savepoint."""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from django.conf import settings
from django.shortcuts import resolve_url
from django.test import override_settings
from django.urls import resolve, reverse

from network import urls as network_urls
from network.registries import notification_kinds
from network.selectors.feed import KIND_POST, Position
from network.selectors.moderation import statement_link_token
from tests.network.matrix import (
    ANONYMOUS,
    GROUP_STATES,
    IN_GROUP,
    MEMBER,
    MODERATOR,
    OWNER,
    POST_STATES,
    PRIVATE,
    PROFILE,
    PUBLIC,
    ROLES,
    SECRET,
    STAFF,
    SUSPENDED,
    World,
    changed_tables,
    group_marker,
    post_marker,
    snapshot,
    world_fixture,
)

API = "/api/v1"
EPOCH_CURSOR = Position(at=datetime(2020, 1, 1, tzinfo=UTC), kind=KIND_POST, id=0).encode()
SUSPENDED_TOKEN = "suspended_token"  # the suspended member calling the API with their token
API_ROLES = (*ROLES, SUSPENDED_TOKEN)

# Outcomes of a rule.
READ = "read"  # 200, nothing changes
DONE = "done"  # the write happens (the op's success status)
CONFLICT = "conflict"  # allowed but nothing to do: a message on the web, 409 in the API
FORBIDDEN = "forbidden"  # 403
HIDDEN = "hidden"  # 404
LOGIN = "login"  # web: redirect to the log-in page; API: 401
INVALID = "invalid"  # 400


# Who is what, from the rules ----------------------------------------------------------


def sees_group(role, state):
    return state != SECRET or role in IN_GROUP or role == STAFF


def reads_group(role, state):
    return state == PUBLIC or role in IN_GROUP or role == STAFF


def sees_post(role, where):
    return where == PROFILE or reads_group(role, where)


def writes(role):
    return role not in (ANONYMOUS, SUSPENDED)


def posts_in(role, state):
    return writes(role) and role in IN_GROUP


def moderates(role):
    return role in (MODERATOR, OWNER, STAFF)


def manages(role):
    return role in (OWNER, STAFF)


def moderates_post(role, where):
    return role == STAFF if where == PROFILE else moderates(role)


# Rules: (role, state) -> outcome ----------------------------------------------------------------


def signed_in(rule):
    """The rule, after sending visitors who are not signed in to log in."""

    def checked(role, state):
        return LOGIN if role == ANONYMOUS else rule(role, state)

    return checked


def anyone(role, state):
    return READ


def group_exists(role, state):
    return READ if sees_group(role, state) else HIDDEN


def group_content(role, state):
    if not sees_group(role, state):
        return HIDDEN
    return READ if reads_group(role, state) else FORBIDDEN


def for_moderators(success):
    def rule(role, state):
        if not sees_group(role, state):
            return HIDDEN
        return success if moderates(role) else FORBIDDEN

    return signed_in(rule)


def for_owners(success):
    def rule(role, state):
        if not sees_group(role, state):
            return HIDDEN
        return success if manages(role) else FORBIDDEN

    return signed_in(rule)


@signed_in
def join(role, state):
    if role == SUSPENDED:
        return FORBIDDEN
    if not sees_group(role, state):
        return HIDDEN
    if role in IN_GROUP:
        return CONFLICT  # already a member
    return FORBIDDEN if state == SECRET else DONE  # invitation only / joined or requested


@signed_in
def leave(role, state):
    if not sees_group(role, state):
        return HIDDEN
    if role == OWNER:
        return CONFLICT  # its last owner
    return DONE if role in IN_GROUP else CONFLICT  # not a member


@signed_in
def follow_closely(role, state):
    """A member's own choice of notifications: suspended members keep it too."""
    if not sees_group(role, state):
        return HIDDEN
    return DONE if role in IN_GROUP else CONFLICT  # not a member


@signed_in
def withdraw_request(role, state):
    # None of the roles has a pending request: allowed, nothing to withdraw.
    return CONFLICT if sees_group(role, state) else HIDDEN


@signed_in
def post_in_group(role, state):
    if not sees_group(role, state):
        return HIDDEN
    return DONE if posts_in(role, state) else FORBIDDEN


@signed_in
def rsvp(role, state):
    if not sees_group(role, state):
        return HIDDEN
    if not reads_group(role, state):
        return FORBIDDEN
    return DONE if posts_in(role, state) else FORBIDDEN


@signed_in
def cancel_rsvp(role, state):
    if not sees_group(role, state):
        return HIDDEN
    if not reads_group(role, state):
        return FORBIDDEN
    return DONE if role in IN_GROUP else CONFLICT  # the group's members replied


@signed_in
def accept_invitation(role, state):
    # An e-mail invitation: the link is the key, whoever holds it.
    if role == SUSPENDED:
        return FORBIDDEN
    return CONFLICT if role in IN_GROUP else DONE


def _split(state):
    where, whose = state.split("/")
    return where, whose


def read_post(role, state):
    where, whose = _split(state)
    if whose == "own" and role == ANONYMOUS:
        return None
    return READ if sees_post(role, where) else HIDDEN


def edit_post(success):
    def rule(role, state):
        where, whose = _split(state)
        if not sees_post(role, where):
            return HIDDEN
        return success if whose == "own" and writes(role) else FORBIDDEN

    return _on_posts(rule)


def delete_post(success):
    def rule(role, state):
        where, whose = _split(state)
        if not sees_post(role, where):
            return HIDDEN
        if (whose == "own" and writes(role)) or moderates_post(role, where):
            return success
        return FORBIDDEN

    return _on_posts(rule)


def _on_posts(rule):
    """Signed-in only; a visitor has no post of their own."""

    def checked(role, state):
        if role == ANONYMOUS:
            return None if state.endswith("/own") else LOGIN
        return rule(role, state)

    return checked


@_on_posts
def post_history(role, state):
    where, _whose = _split(state)
    if not sees_post(role, where):
        return HIDDEN
    return READ if moderates_post(role, where) else FORBIDDEN


@_on_posts
def comment_or_react(role, state):
    where, _whose = _split(state)
    if not sees_post(role, where):
        return HIDDEN
    if not writes(role):
        return FORBIDDEN
    return DONE if where == PROFILE or posts_in(role, where) else FORBIDDEN


@_on_posts
def take_back_reaction(role, state):
    # Everyone signed in reacted "like" to the others' posts.
    where, _whose = _split(state)
    return DONE if sees_post(role, where) else HIDDEN


@_on_posts
def delete_comment(role, state):
    where, whose = _split(state)  # whose comment, on the others' post
    if not sees_post(role, where):
        return HIDDEN
    if (whose == "own" and writes(role)) or moderates_post(role, where):
        return DONE
    return FORBIDDEN


@signed_in
def share_post(role, where):
    if not sees_post(role, where):
        return HIDDEN
    return DONE if writes(role) else FORBIDDEN


@signed_in
def open_share_composer(role, where):
    return READ if sees_post(role, where) else HIDDEN


@signed_in
def read_signed_in(role, state):
    return READ


@signed_in
def write(role, state):
    return DONE if writes(role) else FORBIDDEN


@signed_in
def read_if_writer(role, state):
    return READ if writes(role) else FORBIDDEN


@signed_in
def take_back_own(role, state):
    return DONE


@signed_in
def someone_elses(role, state):
    return HIDDEN


REPORT_FORM = {"reason": "spam", "explanation": "Pub", "name": "Léa", "email": "lea@example.org"}


def moderates_case(success):
    """A case on a group's post: the group's moderators and staff; on a profile post: staff."""

    def rule(role, where):
        if role == STAFF or (where != PROFILE and role in (MODERATOR, OWNER)):
            return success
        return FORBIDDEN

    return signed_in(rule)


def organisation_owners(success):
    # The organisation's owners are `owner` and `suspended` (who may not write).
    return signed_in(lambda role, state: success if manages(role) else FORBIDDEN)


# The operations --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Op:
    name: str
    method: str
    path: Callable[[World, str, str], str]  # (world, state, role)
    rule: Callable[[str, str], str | None]
    states: tuple[str, ...] = ("-",)
    data: Callable[[World, str, str], dict] | None = None
    done: int = 302  # status of a successful write
    conflict: int = 302  # status when allowed with nothing to do (web: a message)
    marker: Callable[[World, str], str] | None = None  # text the page must show, or not...
    shows: Callable[[str, str], bool] | None = None  # ...according to this
    api: bool = False


@dataclass(frozen=True)
class Expect:
    status: int | str
    changes: bool = False
    shows: bool | None = None


def expected(op: Op, role: str, state: str) -> Expect | None:
    if op.api and role == SUSPENDED_TOKEN:
        return Expect(401)  # a suspended member's tokens stop working
    outcome = op.rule(role, state)
    if outcome is None:
        return None
    if outcome == LOGIN:
        return Expect(401 if op.api else "login")
    if outcome == READ:
        return Expect(200, shows=op.shows(role, state) if op.shows else None)
    if outcome == DONE:
        return Expect(op.done, changes=True)
    if outcome == CONFLICT:
        return Expect(409 if op.api else op.conflict)
    return Expect({FORBIDDEN: 403, HIDDEN: 404, INVALID: 400}[outcome])


def url(name, *args):
    return lambda w, state, role: reverse(f"network:{name}", args=[f(w, state, role) for f in args])


def slug(w, state, role):
    return w.groups[state].slug


def author_id(w, state, role):
    return w.users["author"].pk


def post_id(w, state, role):
    where, whose = _split(state)
    return w.post(where, whose, role).pk


def comment_id(w, state, role):
    where, whose = _split(state)
    return (w.others_comment[where] if whose == "others" else w.own_comment[where, role]).pk


def invitation_url(w, state, role):
    return reverse("network:group_invitation", args=[w.invitation_token[state]])


def event_id(kind):
    return lambda w, state, role: getattr(w, kind)[state].pk


POSTS_BY_WHOM = tuple(f"{where}/{whose}" for where in POST_STATES for whose in ("own", "others"))
GROUP_FORM = {"description": "Nouvelle description", "tags": ""}
NEW_EVENT = {"title": "Visite", "starts_at": "2031-05-01T10:00", "guests_allowed": 1}
NEW_ORGANISATION = {"name": "Maison neuve", "sector": "food", "description": "Neuve."}


def group_settings_form(w, state, role):
    group = w.groups[state]
    return {
        "name": group.name,
        "visibility": group.visibility,
        "join_policy": group.join_policy,
        **GROUP_FORM,
    }


def group_name(w, state):
    return group_marker(state)


def post_text(w, where):
    return post_marker(where)


def post_link(w, where):
    # The search page repeats the query: look for the result's link rather than the word.
    return f'href="{w.others_post[where].get_absolute_url()}"'


def group_link(w, state):
    return f'href="{w.groups[state].get_absolute_url()}"'


def mine(ids, role):
    """The role's own one; a visitor has none (any will do: they are sent to log in)."""
    return ids.get(role, ids["author"])


def const(data):
    return lambda w, state, role: data


def export_path(w, name):
    """A fresh export of `name`'s data and its signed link (a file: no row changes)."""
    from network.services import personal_data

    user = w.users[name]
    _path, token = personal_data.build_export(user)
    return personal_data.export_link(user.pk, token)


def suggest_url(w, state, role):
    return reverse("content:suggest_update", args=[w.destination.pk])


WEB_OPS = [
    # The content hub's update suggestions: any member who may write (issue 17).
    Op("suggest_update GET", "get", suggest_url, read_if_writer),
    Op(
        "suggest_update",
        "post",
        suggest_url,
        write,
        data=const({"what_is_wrong": "Le ponton a changé."}),
    ),
    # Groups: the directory, a group's pages, joining and leaving.
    Op(
        "groups",
        "get",
        url("groups"),
        anyone,
        GROUP_STATES,
        marker=group_name,
        shows=sees_group,
    ),
    Op("group_create GET", "get", url("group_create"), read_if_writer),
    Op(
        "group_create",
        "post",
        url("group_create"),
        write,
        data=const({"name": "Nouveau club", "visibility": "public", "join_policy": "open"}),
    ),
    Op(
        "group",
        "get",
        url("group", slug),
        group_exists,
        GROUP_STATES,
        marker=post_text,
        shows=reads_group,
    ),
    Op("group_members", "get", url("group_members", slug), group_content, GROUP_STATES),
    Op("group_events", "get", url("group_events", slug), group_content, GROUP_STATES),
    Op(
        "group_event",
        "get",
        url("group_event", slug, event_id("open_event")),
        group_content,
        GROUP_STATES,
    ),
    Op("group_join", "post", url("group_join", slug), join, GROUP_STATES, data=const({})),
    Op("group_leave", "post", url("group_leave", slug), leave, GROUP_STATES),
    Op(
        "group_follow_closely",
        "post",
        url("group_follow_closely", slug),
        follow_closely,
        GROUP_STATES,
        data=const({"on": "1"}),
    ),
    Op(
        "group_withdraw_request",
        "post",
        url("group_withdraw_request", slug),
        withdraw_request,
        GROUP_STATES,
    ),
    Op(
        "group_invitation GET",
        "get",
        lambda w, state, role: reverse(
            "network:group_invitation", args=[w.invitation_token[state]]
        ),
        anyone,
        GROUP_STATES,
    ),
    Op(
        "group_invitation",
        "post",
        lambda w, state, role: reverse(
            "network:group_invitation", args=[w.invitation_token[state]]
        ),
        accept_invitation,
        GROUP_STATES,
        conflict=200,  # the invitation page again, with the message
    ),
    # Moderation and settings.
    Op("group_requests", "get", url("group_requests", slug), for_moderators(READ), GROUP_STATES),
    Op(
        "group_request_decide",
        "post",
        lambda w, state, role: reverse(
            "network:group_request_decide", args=[w.groups[state].slug, w.join_request[state].pk]
        ),
        for_moderators(DONE),
        GROUP_STATES,
        data=const({"decision": "approve"}),
    ),
    Op("group_invite GET", "get", url("group_invite", slug), for_moderators(READ), GROUP_STATES),
    Op(
        "group_invite",
        "post",
        url("group_invite", slug),
        for_moderators(DONE),
        GROUP_STATES,
        data=const({"username": "outsider"}),
        done=200,  # the page shows the link to copy
    ),
    Op(
        "group_member_remove",
        "post",
        url("group_member_remove", slug, author_id),
        for_moderators(DONE),
        GROUP_STATES,
    ),
    Op(
        "group_member_ban",
        "post",
        url("group_member_ban", slug, author_id),
        for_moderators(DONE),
        GROUP_STATES,
        data=const({"reason": "spam"}),
    ),
    Op(
        "group_member_unban",
        "post",
        url("group_member_unban", slug, lambda w, s, r: w.users["banned"].pk),
        for_moderators(DONE),
        GROUP_STATES,
    ),
    Op(
        "group_member_role",
        "post",
        url("group_member_role", slug, author_id),
        for_owners(DONE),
        GROUP_STATES,
        data=const({"role": "moderator"}),
    ),
    Op("group_settings GET", "get", url("group_settings", slug), for_owners(READ), GROUP_STATES),
    Op(
        "group_settings",
        "post",
        url("group_settings", slug),
        for_owners(DONE),
        GROUP_STATES,
        data=group_settings_form,
    ),
    # Group events.
    Op(
        "group_event_create GET",
        "get",
        url("group_event_create", slug),
        for_moderators(READ),
        GROUP_STATES,
    ),
    Op(
        "group_event_create",
        "post",
        url("group_event_create", slug),
        for_moderators(DONE),
        GROUP_STATES,
        data=const(NEW_EVENT),
    ),
    Op(
        "group_event_rsvp",
        "post",
        url("group_event_rsvp", slug, event_id("open_event")),
        rsvp,
        GROUP_STATES,
        data=const({"guests": 0}),
    ),
    Op(
        "group_event_cancel",
        "post",
        url("group_event_cancel", slug, event_id("booked_event")),
        cancel_rsvp,
        GROUP_STATES,
    ),
    # Posts, comments, reactions.
    Op(
        "group_post_create",
        "post",
        url("group_post_create", slug),
        post_in_group,
        GROUP_STATES,
        data=const({"body": "Un message au groupe"}),
    ),
    Op("post", "get", url("post", post_id), read_post, POSTS_BY_WHOM),
    Op(
        "post quoting a post",
        "get",
        lambda w, where, role: reverse("network:post", args=[w.quote_post[where].pk]),
        anyone,
        (PRIVATE, SECRET),
        marker=post_text,
        shows=sees_post,
    ),
    Op("post_edit GET", "get", url("post_edit", post_id), edit_post(READ), POSTS_BY_WHOM),
    Op(
        "post_edit",
        "post",
        url("post_edit", post_id),
        edit_post(DONE),
        POSTS_BY_WHOM,
        data=const({"body": "Texte corrigé", "tags": ""}),
    ),
    Op("post_delete GET", "get", url("post_delete", post_id), delete_post(READ), POSTS_BY_WHOM),
    Op("post_delete", "post", url("post_delete", post_id), delete_post(DONE), POSTS_BY_WHOM),
    Op("post_history", "get", url("post_history", post_id), post_history, POSTS_BY_WHOM),
    Op(
        "comment_create",
        "post",
        url("comment_create", post_id),
        comment_or_react,
        POSTS_BY_WHOM,
        data=const({"body": "Un commentaire"}),
    ),
    Op(
        "post_react",
        "post",
        url("post_react", post_id),
        comment_or_react,
        POSTS_BY_WHOM,
        data=const({"kind": "clap"}),
    ),
    Op(
        "comment_delete",
        "post",
        url("comment_delete", comment_id),
        delete_comment,
        POSTS_BY_WHOM,  # whose comment, on the others' post
    ),
    Op("post_create GET", "get", url("post_create"), read_signed_in),
    Op(
        "post_create",
        "post",
        url("post_create"),
        write,
        data=const({"body": "Sur mon profil"}),
    ),
    Op(
        "post_create GET share_post",
        "get",
        lambda w, where, role: (
            reverse("network:post_create") + f"?share_post={w.others_post[where].pk}"
        ),
        open_share_composer,
        POST_STATES,
    ),
    Op(
        "post_create share_post",
        "post",
        url("post_create"),
        share_post,
        POST_STATES,
        data=lambda w, where, role: {"body": "À lire", "shared_post": w.others_post[where].pk},
    ),
    # The feed.
    Op(
        "feed",
        "get",
        url("feed"),
        read_signed_in,
        POST_STATES,
        marker=post_text,
        shows=sees_post,  # everyone follows the author
    ),
    Op(
        "feed_new_count",
        "get",
        lambda w, state, role: reverse("network:feed_new_count") + f"?since={EPOCH_CURSOR}",
        read_signed_in,
    ),
    # People and following.
    Op("people", "get", url("people"), read_signed_in),
    Op(
        "person",
        "get",
        url("person", lambda w, s, r: "author"),
        read_signed_in,
        POST_STATES,
        marker=post_text,
        shows=sees_post,
    ),
    Op("person_follow", "post", url("person_follow", lambda w, s, r: "outsider"), write),
    Op("person_unfollow", "post", url("person_unfollow", lambda w, s, r: "author"), take_back_own),
    # Organisations.
    Op("organisations", "get", url("organisations"), anyone),
    Op(
        "organisation",
        "get",
        url("organisation", lambda w, s, r: "maison-a"),
        anyone,
        POST_STATES,
        marker=post_text,
        # Recent posts of its members: profile posts and public groups' only, for everyone.
        shows=lambda role, where: where in (PUBLIC, PROFILE),
    ),
    Op("organisation_create GET", "get", url("organisation_create"), read_if_writer),
    Op(
        "organisation_create",
        "post",
        url("organisation_create"),
        write,
        data=const(NEW_ORGANISATION),
    ),
    Op(
        "organisation_edit GET",
        "get",
        url("organisation_edit", lambda w, s, r: "maison-a"),
        organisation_owners(READ),
    ),
    Op(
        "organisation_edit",
        "post",
        url("organisation_edit", lambda w, s, r: "maison-a"),
        organisation_owners(DONE),
        data=const({"name": "Maison A", "sector": "tourism", "description": "Changée."}),
    ),
    Op(
        "organisation_follow",
        "post",
        url("organisation_follow", lambda w, s, r: "maison-b"),
        write,
    ),
    Op(
        "organisation_unfollow",
        "post",
        url("organisation_unfollow", lambda w, s, r: "maison-a"),
        take_back_own,
    ),
    Op(
        "organisation_member_add",
        "post",
        url("organisation_member_add", lambda w, s, r: "maison-a"),
        organisation_owners(DONE),
        data=const({"username": "outsider", "role": "member"}),
    ),
    Op(
        "organisation_member_role",
        "post",
        url("organisation_member_role", lambda w, s, r: "maison-a", author_id),
        organisation_owners(DONE),
        data=const({"role": "owner"}),
    ),
    Op(
        "organisation_member_remove",
        "post",
        url("organisation_member_remove", lambda w, s, r: "maison-a", author_id),
        organisation_owners(DONE),
    ),
    # Search: a post is found by whoever may read it; a secret group by its members.
    Op(
        "search posts",
        "get",
        lambda w, where, role: reverse("network:search") + f"?q={post_marker(where)}",
        anyone,
        POST_STATES,
        marker=post_link,
        shows=sees_post,
    ),
    Op(
        "search groups",
        "get",
        lambda w, state, role: reverse("network:search") + f"?q={group_marker(state)}&type=groups",
        anyone,
        GROUP_STATES,
        marker=group_link,
        shows=sees_group,
    ),
    # Tokens, notifications, the account.
    Op("tokens", "get", url("tokens"), read_signed_in),
    Op(
        "tokens create",
        "post",
        url("tokens"),
        write,
        data=const({"name": "Intégration", "expires": "30"}),
        done=200,  # the secret is shown once, on the answer itself
    ),
    Op(
        "token_revoke own",
        "post",
        lambda w, state, role: reverse("network:token_revoke", args=[mine(w.token_ids, role)]),
        take_back_own,
    ),
    Op(
        "token_revoke others'",
        "post",
        lambda w, state, role: reverse("network:token_revoke", args=[w.token_ids["author"]]),
        someone_elses,
    ),
    Op("notifications", "get", url("notifications"), read_signed_in),
    Op(
        "notifications_read",
        "post",
        url("notifications_read"),
        take_back_own,
        data=const({"all": "1"}),
    ),
    Op(
        "notification_open own",
        "get",
        lambda w, state, role: reverse(
            "network:notification_open", args=[mine(w.notification_ids, role)]
        ),
        signed_in(lambda role, state: DONE),  # marks it read on the way
    ),
    Op(
        "notification_open others'",
        "get",
        lambda w, state, role: reverse(
            "network:notification_open", args=[w.notification_ids["author"]]
        ),
        someone_elses,
    ),
    Op("notification_preferences GET", "get", url("notification_preferences"), read_signed_in),
    Op(
        "notification_preferences",
        "post",
        url("notification_preferences"),
        take_back_own,
        # Every registered kind: the network's own and those other apps add.
        data=lambda w, s, r: {spec.key: "weekly" for spec in notification_kinds()},
    ),
    Op(
        "notifications_unsubscribe forged",
        "post",
        url("notifications_unsubscribe", lambda w, s, r: "forged-token"),
        lambda role, state: INVALID,  # the signed token is the key, whoever sends it
    ),
    Op(
        "account_profile GET",
        "get",
        lambda w, state, role: reverse("account_profile"),
        read_signed_in,
    ),
    Op(
        "account_profile",
        "post",
        lambda w, state, role: reverse("account_profile"),
        write,  # the bio and name show to everyone: a suspended member may not change them
        data=const({"display_name": "Nouveau nom", "bio": "Ma bio", "preferred_language": "fr"}),
    ),
    # Personal data: the export (the link is for its owner only) and the account's deletion.
    Op("personal_data", "get", url("personal_data"), read_signed_in),
    Op(
        "personal_data_export",
        "post",
        url("personal_data_export"),
        read_signed_in,  # queues the zip (a file, no row), answered with the page
    ),
    Op(
        "personal_data_download own",
        "get",
        lambda w, state, role: export_path(w, role if role in w.users else "author"),
        read_signed_in,
    ),
    Op(
        "personal_data_download others'",
        "get",
        lambda w, state, role: export_path(w, "author"),
        someone_elses,  # 404 even with the signed link
    ),
    Op(
        "personal_data_delete wrong password",
        "post",
        url("personal_data_delete"),
        signed_in(lambda role, state: INVALID),  # nothing erased
        data=const({"password": "not-the-password", "posts": "anonymise"}),
    ),
    Op("personal_data_goodbye", "get", url("personal_data_goodbye"), anyone),
    # Moderation (issue 6): reports, the queues, cases, decisions and complaints.
    Op(
        "report GET",
        "get",
        lambda w, where, role: reverse("network:report", args=["post", w.others_post[where].pk]),
        lambda role, where: READ if sees_post(role, where) else HIDDEN,
        POST_STATES,
    ),
    Op(
        "report",
        "post",
        lambda w, where, role: reverse("network:report", args=["post", w.others_post[where].pk]),
        lambda role, where: DONE if sees_post(role, where) else HIDDEN,
        POST_STATES,
        data=const(REPORT_FORM),
        done=200,  # the acknowledgement page
    ),
    Op(
        "moderation_queue",
        "get",
        url("moderation_queue"),
        signed_in(lambda role, state: READ if role == STAFF else FORBIDDEN),
    ),
    Op(
        "group_moderation", "get", url("group_moderation", slug), for_moderators(READ), GROUP_STATES
    ),
    Op(
        "moderation_case GET",
        "get",
        lambda w, where, role: reverse("network:moderation_case", args=[w.cases[where].pk]),
        moderates_case(READ),
        POST_STATES,
    ),
    Op(
        "moderation_case decide",
        "post",
        lambda w, where, role: reverse("network:moderation_case", args=[w.cases[where].pk]),
        moderates_case(DONE),
        POST_STATES,
        data=const({"action": "dismiss", "facts": "Rien", "ground": "Règle 1"}),
    ),
    Op(
        "moderation_complaint_decide",
        "post",
        lambda w, state, role: reverse(
            "network:moderation_complaint_decide", args=[w.complaint.pk]
        ),
        moderates_case(DONE),
        (PUBLIC,),
        data=const({"outcome": "upheld"}),
    ),
    Op(
        "moderation_complaint_decide by the decision's moderator",
        "post",
        lambda w, state, role: reverse(
            "network:moderation_complaint_decide", args=[w.decided_by_moderator.pk]
        ),
        # Whoever decided may not judge the complaint against their own decision.
        lambda role, state: FORBIDDEN if role == MODERATOR else moderates_case(DONE)(role, state),
        (PUBLIC,),
        data=const({"outcome": "upheld"}),
    ),
    Op(
        "moderation_decision contest own",
        "post",
        lambda w, state, role: reverse(
            "network:moderation_decision", args=[w.own_decision.get(role, w.decision).pk]
        ),
        take_back_own,  # the member concerned, even suspended
        data=const({"text": "Je conteste"}),
    ),
    Op(
        "notifications_unsubscribe valid",
        "post",
        lambda w, state, role: reverse(
            "network:notifications_unsubscribe", args=[w.unsubscribe_token]
        ),
        lambda role, state: DONE,  # the signed token is the key, whoever sends it
        done=200,
    ),
    Op(
        "moderation_decision GET",
        "get",
        lambda w, state, role: reverse("network:moderation_decision", args=[w.decision.pk]),
        signed_in(lambda role, state: READ if moderates(role) else HIDDEN),
    ),
    Op(
        "moderation_decision contest others'",
        "post",
        lambda w, state, role: reverse("network:moderation_decision", args=[w.decision.pk]),
        signed_in(lambda role, state: FORBIDDEN if moderates(role) else HIDDEN),
        data=const({"text": "Je conteste"}),
    ),
    # A suspended member cannot sign in; the log-in form gives them a signed link to their
    # statement of reasons: the link is the key, whoever holds it (issue 17, point 18).
    Op(
        "moderation_decision_by_link GET",
        "get",
        lambda w, state, role: statement_link(w.own_decision.get(role, w.decision)),
        lambda role, state: READ,
    ),
    Op(
        "moderation_decision_by_link contest",
        "post",
        lambda w, state, role: statement_link(w.own_decision.get(role, w.decision)),
        lambda role, state: CONFLICT if role == ANONYMOUS else DONE,
        data=const({"text": "Je conteste"}),
    ),
    Op(
        "moderation_decision_by_link forged",
        "get",
        lambda w, state, role: reverse(
            "network:moderation_decision_by_link", args=[w.decision.pk, "forged"]
        ),
        lambda role, state: HIDDEN,
    ),
    Op(
        "moderation_transparency",
        "get",
        url("moderation_transparency"),
        signed_in(lambda role, state: READ if role == STAFF else FORBIDDEN),
    ),
]


def api(path):
    return lambda w, state, role: API + path.format(w=w, state=state, role=role)


def api_post(path):
    """An API path on the post of `state` ("where/whose")."""
    return lambda w, state, role: API + path.format(id=post_id(w, state, role))


API_OPS = [
    Op("GET /me", "get", api("/me"), read_signed_in),
    Op(
        "GET /groups",
        "get",
        api("/groups"),
        anyone,
        GROUP_STATES,
        marker=group_name,
        shows=sees_group,
    ),
    Op(
        "GET /groups/{slug}",
        "get",
        lambda w, state, role: f"{API}/groups/{w.groups[state].slug}",
        group_exists,
        GROUP_STATES,
    ),
    Op(
        "POST /groups/{slug}/join",
        "post",
        lambda w, state, role: f"{API}/groups/{w.groups[state].slug}/join",
        join,
        GROUP_STATES,
        done=200,
    ),
    Op(
        "PUT /groups/{slug}/follow-closely",
        "put",
        lambda w, state, role: f"{API}/groups/{w.groups[state].slug}/follow-closely",
        follow_closely,
        GROUP_STATES,
        data=const({"follows_closely": True}),
        done=200,
    ),
    Op(
        "POST /groups/{slug}/leave",
        "post",
        lambda w, state, role: f"{API}/groups/{w.groups[state].slug}/leave",
        leave,
        GROUP_STATES,
        done=204,
    ),
    Op(
        "GET /groups/{slug}/posts",
        "get",
        lambda w, state, role: f"{API}/groups/{w.groups[state].slug}/posts",
        group_content,
        GROUP_STATES,
        marker=post_text,
        shows=lambda role, state: True,
    ),
    Op(
        "POST /groups/{slug}/posts",
        "post",
        lambda w, state, role: f"{API}/groups/{w.groups[state].slug}/posts",
        post_in_group,
        GROUP_STATES,
        data=const({"body": "Par l'API"}),
        done=201,
    ),
    Op(
        "GET /feed",
        "get",
        api("/feed"),
        read_signed_in,
        POST_STATES,
        marker=post_text,
        shows=sees_post,
    ),
    Op("POST /posts", "post", api("/posts"), write, data=const({"body": "Par l'API"}), done=201),
    Op(
        "POST /posts shared_post",
        "post",
        api("/posts"),
        share_post,
        POST_STATES,
        data=lambda w, where, role: {"body": "À lire", "shared_post": w.others_post[where].pk},
        done=201,
    ),
    Op("GET /posts/{id}", "get", api_post("/posts/{id}"), read_post, POSTS_BY_WHOM),
    Op(
        "GET /posts/{id} quoting a post",
        "get",
        lambda w, where, role: f"{API}/posts/{w.quote_post[where].pk}",
        anyone,
        (PRIVATE, SECRET),
        marker=post_text,
        shows=sees_post,
    ),
    Op(
        "PATCH /posts/{id}",
        "patch",
        api_post("/posts/{id}"),
        edit_post(DONE),
        POSTS_BY_WHOM,
        data=const({"body": "Corrigé par l'API"}),
        done=200,
    ),
    Op(
        "DELETE /posts/{id}",
        "delete",
        api_post("/posts/{id}"),
        delete_post(DONE),
        POSTS_BY_WHOM,
        done=204,
    ),
    Op(
        "POST /posts/{id}/comments",
        "post",
        api_post("/posts/{id}/comments"),
        comment_or_react,
        POSTS_BY_WHOM,
        data=const({"body": "Commentaire par l'API"}),
        done=201,
    ),
    Op(
        "DELETE /posts/{id}/comments/{cid}",
        "delete",
        lambda w, state, role: (
            f"{API}/posts/{w.others_post[_split(state)[0]].pk}/comments/"
            f"{comment_id(w, state, role)}"
        ),
        delete_comment,
        POSTS_BY_WHOM,
        done=204,
    ),
    Op(
        "POST /posts/{id}/reactions",
        "post",
        api_post("/posts/{id}/reactions"),
        comment_or_react,
        POSTS_BY_WHOM,
        data=const({"kind": "clap"}),
        done=200,
    ),
    Op(
        "DELETE /posts/{id}/reactions/like",
        "delete",
        lambda w, state, role: f"{API}/posts/{w.others_post[_split(state)[0]].pk}/reactions/like",
        take_back_reaction,
        tuple(f"{where}/others" for where in POST_STATES),
        done=200,
    ),
    Op("GET /organisations", "get", api("/organisations"), anyone),
    Op("GET /organisations/{slug}", "get", api("/organisations/maison-a"), anyone),
    Op(
        "POST /organisations/{slug}/follow",
        "post",
        api("/organisations/maison-b/follow"),
        write,
        done=200,
    ),
    Op(
        "DELETE /organisations/{slug}/follow",
        "delete",
        api("/organisations/maison-a/follow"),
        take_back_own,
        done=200,
    ),
    Op("GET /people", "get", api("/people"), read_signed_in),
    Op("GET /people/{username}", "get", api("/people/author"), read_signed_in),
    Op(
        "GET /people/{username}/posts",
        "get",
        api("/people/author/posts"),
        read_signed_in,
        POST_STATES,
        marker=post_text,
        shows=sees_post,
    ),
    Op("POST /people/{username}/follow", "post", api("/people/outsider/follow"), write, done=200),
    Op(
        "DELETE /people/{username}/follow",
        "delete",
        api("/people/author/follow"),
        take_back_own,
        done=200,
    ),
    Op("GET /notifications", "get", api("/notifications"), read_signed_in),
    Op(
        "POST /notifications/read",
        "post",
        api("/notifications/read"),
        take_back_own,
        data=const({"all": True}),
        done=200,
    ),
    Op("GET /notifications/preferences", "get", api("/notifications/preferences"), read_signed_in),
    Op(
        "PUT /notifications/preferences",
        "put",
        api("/notifications/preferences"),
        take_back_own,
        data=const({"channels": {"follow": "off"}}),
        done=200,
    ),
    Op(
        "POST /reports",
        "post",
        api("/reports"),
        lambda role, where: DONE if sees_post(role, where) else HIDDEN,
        POST_STATES,
        data=lambda w, where, role: {
            "kind": "post",
            "id": w.others_post[where].pk,
            "reason": "spam",
            "explanation": "Par l'API",
        },
        done=201,
    ),
    Op(
        "GET /moderation/cases",
        "get",
        api("/moderation/cases"),
        signed_in(lambda role, state: READ if moderates(role) else FORBIDDEN),
    ),
    Op(
        "POST /moderation/cases/{id}/decision",
        "post",
        lambda w, where, role: f"{API}/moderation/cases/{w.cases[where].pk}/decision",
        moderates_case(DONE),
        POST_STATES,
        data=const({"action": "dismiss", "facts": "Rien", "ground": "Règle 1"}),
        done=201,
    ),
    Op(
        "POST /moderation/cases/{id}/complaint own",
        "post",
        lambda w, state, role: (
            f"{API}/moderation/cases/{w.own_decision.get(role, w.decision).case_id}/complaint"
        ),
        take_back_own,
        data=const({"text": "Je conteste"}),
        done=201,
    ),
    Op(
        "POST /moderation/cases/{id}/complaint others'",
        "post",
        lambda w, state, role: f"{API}/moderation/cases/{w.decided_case.pk}/complaint",
        signed_in(lambda role, state: FORBIDDEN if moderates(role) else HIDDEN),
        data=const({"text": "Je conteste"}),
    ),
]
# Chat (realtime): a group's room is its members' (a suspended member has no chat at all).
IN_ROOM = frozenset({MEMBER, MODERATOR, OWNER})


def room_id(w, state, role):
    from realtime.models import Room

    return Room.objects.get(group=w.groups[state]).pk


@signed_in
def chat_read(role, state):
    return READ if role in IN_ROOM else HIDDEN


@signed_in
def chat_send(role, state):
    return DONE if role in IN_ROOM else HIDDEN


@signed_in
def chat_open_room(role, state):
    """A redirect to the group's room: nothing changes (CONFLICT's 302)."""
    return CONFLICT if role in IN_ROOM else HIDDEN


def chat_url(name, *args):
    return lambda w, state, role: reverse(name, args=[f(w, state, role) for f in args])


def outsider_name(w, state, role):
    return w.users["outsider"].username


CHAT_WEB_OPS = [
    Op("chat_index", "get", chat_url("chat_index"), read_signed_in),
    Op("chat_room", "get", chat_url("chat_room", room_id), chat_read, GROUP_STATES),
    Op("chat_group", "get", chat_url("chat_group", slug), chat_open_room, GROUP_STATES),
    Op("chat_direct", "post", chat_url("chat_direct", outsider_name), write),
    Op(
        "chat_start",
        "post",
        chat_url("chat_start"),
        write,
        data=lambda w, state, role: {"name": "Sortie", "members": w.users["outsider"].username},
    ),
]
CHAT_API_OPS = [
    Op("GET /chat/rooms", "get", api("/chat/rooms"), read_signed_in),
    Op(
        "GET /chat/rooms/{id}/messages",
        "get",
        lambda w, state, role: f"{API}/chat/rooms/{room_id(w, state, role)}/messages",
        chat_read,
        GROUP_STATES,
    ),
    Op(
        "POST /chat/rooms/{id}/messages",
        "post",
        lambda w, state, role: f"{API}/chat/rooms/{room_id(w, state, role)}/messages",
        chat_send,
        GROUP_STATES,
        data=lambda w, state, role: {"body": "Bonjour", "client_id": "matrix"},
        done=201,
    ),
    Op(
        "POST /chat/direct/{username}",
        "post",
        lambda w, state, role: f"{API}/chat/direct/{w.users['outsider'].username}",
        write,
        data=lambda w, state, role: {},
        done=200,
    ),
]


WEB_OPS += CHAT_WEB_OPS
API_OPS += CHAT_API_OPS
API_OPS = [Op(**{**op.__dict__, "api": True}) for op in API_OPS]
# Not behind any authentication: the published description of the API.
OPEN_API_OPS = [  # (asked by a visitor and a member only)
    Op("GET /openapi.json", "get", api("/openapi.json"), anyone, api=True),
    Op("GET /docs", "get", api("/docs"), anyone, api=True),
]


def _rows():
    for op in WEB_OPS:
        for state in op.states:
            for role in ROLES:
                expect = expected(op, role, state)
                if expect is not None:
                    yield pytest.param(op, state, role, expect, id=f"web {op.name}[{state}]-{role}")
    for op in API_OPS + OPEN_API_OPS:
        for state in op.states:
            for role in API_ROLES:
                expect = expected(op, role, state)
                if op in OPEN_API_OPS:
                    expect = Expect(200) if role in (ANONYMOUS, MEMBER) else None
                if expect is not None:
                    yield pytest.param(op, state, role, expect, id=f"api {op.name}[{state}]-{role}")


ROWS = list(_rows())


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media")):
        yield from world_fixture(django_db_blocker)


@pytest.fixture(autouse=True)
def _media_root():
    """Replaces tests/conftest.py's folder per test: over two thousand rows, its cost
    shows, and the module's folder (above) is enough for rows that upload nothing."""


def _request(world: World, op: Op, state: str, role: str):
    # The suspended member's token row uses the suspended member's own posts and comments.
    person = SUSPENDED if role == SUSPENDED_TOKEN else role
    path = op.path(world, state, person)
    data = op.data(world, state, person) if op.data else None
    headers = {}
    if op.api and role == SUSPENDED_TOKEN:
        client, headers = world.clients[ANONYMOUS], _bearer(world, SUSPENDED)
    elif op.api and role not in (ANONYMOUS, SUSPENDED):
        # Integrations' way in; the suspended member's session shows what a session may do.
        client, headers = world.clients[ANONYMOUS], _bearer(world, role)
    else:
        client = world.clients[role]
    client.cookies.pop("messages", None)  # messages of an earlier row
    method = getattr(client, op.method)
    if op.api:
        if data is None:  # as curl sends it: no body, no content type
            return client.generic(op.method.upper(), path, headers=headers)
        return method(path, data, content_type="application/json", headers=headers)
    return method(path, data or {}) if op.method == "post" else method(path)


def statement_link(decision):
    token = statement_link_token(decision)
    return reverse("network:moderation_decision_by_link", args=[decision.pk, token])


def _bearer(world, role):
    return {"Authorization": f"Bearer {world.raw_tokens[role]}"}


@pytest.mark.parametrize(("op", "state", "role", "expect"), ROWS)
def test_authorization_matrix(db, world, op, state, role, expect):
    before = snapshot()
    response = _request(world, op, state, role)
    after = snapshot()

    if expect.status == "login":
        assert response.status_code == 302, response.status_code
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))
    else:
        assert response.status_code == expect.status, (
            f"{response.status_code} instead of {expect.status}: "
            f"{response.content[:300].decode(errors='replace')}"
        )
    changed = changed_tables(before, after)
    if expect.changes:
        assert changed, "the write answered as done but changed nothing"
    else:
        assert not changed, f"refused or read, yet changed: {changed}"
    if op.api and expect.status not in (200, 201, 204, 302, "login"):
        assert response.json()["code"]  # the API's error shape
    if expect.shows is not None:
        marker = op.marker(world, state)
        shown = marker in response.content.decode()
        assert shown == expect.shows, f"{marker!r} {'missing' if expect.shows else 'shown'}"


def test_the_matrix_covers_every_network_page_and_api_operation(db, world):
    """A page or an endpoint added later without its rows fails here."""
    pages = {f"network:{pattern.name}" for pattern in network_urls.network_patterns}
    pages.add("account_profile")
    in_matrix = {
        resolve(op.path(world, op.states[0], MEMBER).split("?")[0]).view_name for op in WEB_OPS
    }
    assert pages - in_matrix == set()

    schema = world.clients[ANONYMOUS].get(f"{API}/openapi.json").json()
    # The ambassador programme's and the campaigns' operations have their own matrices
    # (tests/ambassadors/test_authorization_matrix.py, tests/campaigns/test_authorization.py).
    operations = {
        (method.upper(), path)
        for path, methods in schema["paths"].items()
        for method, spec in methods.items()
        if not {"ambassadors", "campaigns"} & set(spec.get("tags", ()))
    }
    covered = set()
    for op in API_OPS:
        called = op.path(world, op.states[0], MEMBER)
        for method, path in operations:
            template = "^" + re.sub(r"\{[^/]+\}", "[^/]+", path) + "$"
            if method == op.method.upper() and re.match(template, called):
                covered.add((method, path))
    assert operations - covered == set()
