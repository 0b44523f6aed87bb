"""What happens in the network, for whoever reacts to it (notifications, live push, the
moderation queue come in their own issue). Services send these after their transaction
commits; receivers must not raise. Every signal's sender is the model class concerned."""

from django.dispatch import Signal

# post=Post, actor=User
post_created = Signal()
post_edited = Signal()
# comment=Comment (comment.parent set for a reply), actor=User
comment_created = Signal()
# users=list[User] mentioned, post=Post, comment=Comment|None, actor=User
members_mentioned = Signal()
# post=Post, group=Group, actor=User: a group's moderator named the group ("@<slug>") in it
group_mentioned = Signal()
# reaction=Reaction, actor=User
reaction_added = Signal()
# follow=Follow, actor=User
followed = Signal()
# join_request=JoinRequest
join_requested = Signal()
# join_request=JoinRequest, actor=User (moderator), approved=bool
join_request_decided = Signal()
# invitation=GroupInvitation, actor=User
member_invited = Signal()
# membership=GroupMembership, actor=User
member_joined = Signal()
# rsvp=GroupEventRSVP (promoted from the waiting list)
rsvp_promoted = Signal()
# user_id=int: every session and token of the member ended (suspension, account deletion);
# whoever holds a connection for them (the realtime app's sockets) closes it.
access_revoked = Signal()
# user_ids=list[int], payload=dict (JSON): tell these members' open pages, live. The realtime
# app receives it and owns the sockets and the frame; nobody else talks to the channel layer.
live_push = Signal()
# key=str (stable, the asker's own: "campaign:12:creator:34"), name=str, user_ids=list[int]:
# an app downstream of the network wants a conversation between these members (a campaign's
# room between staff and one creator). The realtime app answers: its receiver creates the
# room on first call, keeps its members equal to `user_ids`, and returns the room's id, so
# the asker reads `[response for _receiver, response in signal.send(...)]`. Unlike the others,
# sent inside the asker's transaction (the room and the asker's record commit together).
conversation_wanted = Signal()
