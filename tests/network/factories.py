"""Factories for the network models. They write rows directly (no services, no signals):
tests of a service call the service itself."""

import factory
from django.utils.text import slugify

from network.models import (
    Comment,
    Group,
    GroupMembership,
    Organisation,
    OrganisationMembership,
    Post,
)
from network.models.organisations import Sector
from tests.factories import UserFactory


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Maison {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    sector = Sector.TOURISM
    description = "Une maison du territoire."


class GroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Group
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Groupe {n}")
    slug = factory.LazyAttribute(lambda g: slugify(g.name))
    description = "Un groupe du territoire."
    visibility = Group.Visibility.PUBLIC
    join_policy = Group.JoinPolicy.OPEN


def add_member(group, user=None, role=GroupMembership.Role.MEMBER):
    """Make `user` (a new one if None) a member of `group` with `role`; keeps member_count."""
    user = user or UserFactory()
    membership = GroupMembership.objects.create(group=group, user=user, role=role)
    Group.objects.filter(pk=group.pk).update(member_count=group.memberships.count())
    group.refresh_from_db(fields=["member_count"])
    return membership


def add_organisation_member(organisation, user=None, role=OrganisationMembership.Role.MEMBER):
    user = user or UserFactory()
    return OrganisationMembership.objects.create(organisation=organisation, user=user, role=role)


class PostFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Post
        skip_postgeneration_save = True

    author = factory.SubFactory(UserFactory)
    group = None
    body = factory.Sequence(lambda n: f"<p>Publication {n}</p>")
    body_text = factory.Sequence(lambda n: f"Publication {n}")


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    post = factory.SubFactory(PostFactory)
    author = factory.SubFactory(UserFactory)
    body = "<p>Bravo !</p>"
