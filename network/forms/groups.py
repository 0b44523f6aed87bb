"""Forms of the group pages. They only parse and validate input; the services in
network.services.groups and network.services.group_events do the writes and the checks."""

from django import forms
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from taggit.forms import TagField

from content.models import Area, EventPage
from network.models import Group, GroupMembership, Sector
from network.services.group_events import MAX_GUESTS
from network.services.groups import MAX_TAGS


class GroupFilterForm(forms.Form):
    """The directory's search and filters; bad values are ignored rather than refused."""

    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    area = forms.ModelChoiceField(
        label=_("Area"), queryset=Area.objects.all(), to_field_name="slug", required=False
    )
    tag = forms.SlugField(label=_("Tag"), required=False)
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", _("All sectors")), *Sector.choices], required=False
    )

    def filters(self) -> dict:
        if not self.is_valid():
            return {
                name: self.cleaned_data.get(name)
                for name in ("q", "area", "tag", "sector")
                if name not in self.errors
            }
        return self.cleaned_data


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=120)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What the group is for and who it is for. Bold, italics, lists and links."),
    )
    visibility = forms.ChoiceField(
        label=_("Visibility"),
        choices=Group.Visibility.choices,
        initial=Group.Visibility.PUBLIC,
        widget=forms.RadioSelect,
    )
    join_policy = forms.ChoiceField(
        label=_("Who can join"),
        choices=Group.JoinPolicy.choices,
        initial=Group.JoinPolicy.OPEN,
        widget=forms.RadioSelect,
        help_text=_("A secret group can only be joined by invitation: nobody else can find it."),
    )
    area = forms.ModelChoiceField(
        label=_("Area"), queryset=Area.objects.order_by("name"), required=False
    )
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", "—"), *Sector.choices], required=False
    )
    tags = TagField(
        label=_("Tags"),
        required=False,
        # Formatted when shown, in the reader's language.
        help_text=lazy(
            lambda: gettext("Separated by commas, %(count)s at most.") % {"count": MAX_TAGS},
            str,
        )(),
    )

    @classmethod
    def initial_for(cls, group: Group) -> dict:
        return {
            "name": group.name,
            "description": group.description,
            "visibility": group.visibility,
            "join_policy": group.join_policy,
            "area": group.area_id,
            "sector": group.sector,
            "tags": list(group.tags.all()),
        }


class JoinForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the moderators (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("Approve")), ("decline", _("Decline"))])
    reason = forms.CharField(
        label=_("Reason (shown to the requester)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class InviteForm(forms.Form):
    username = forms.CharField(label=_("Username of a member"), required=False, max_length=150)
    email = forms.EmailField(label=_("or an e-mail address"), required=False)

    def clean(self):
        cleaned = super().clean()
        if not self.errors and bool(cleaned.get("username")) == bool(cleaned.get("email")):
            raise forms.ValidationError(_("Give either a username or an e-mail address."))
        return cleaned


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=GroupMembership.Role.choices)


class BanForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=1000, widget=forms.TextInput()
    )


class GroupEventForm(forms.Form):
    content_event = forms.ModelChoiceField(
        label=_("Event of the agency's calendar (optional)"),
        queryset=EventPage.objects.none(),
        required=False,
        help_text=_("Link an event of the calendar; its title, dates and place fill the rest."),
    )
    title = forms.CharField(label=_("Title"), max_length=160, required=False)
    starts_at = forms.DateTimeField(
        label=_("Starts"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    location = forms.CharField(label=_("Place"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    capacity = forms.IntegerField(
        label=_("Capacity (seats)"),
        required=False,
        min_value=1,
        help_text=_("Members and their guests each take a seat. Empty: no limit."),
    )
    guests_allowed = forms.IntegerField(
        label=_("Guests per member"), min_value=0, max_value=MAX_GUESTS, initial=1
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["content_event"].queryset = (
            EventPage.objects.live().public().filter(start__gt=timezone.now()).order_by("start")
        )

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("content_event"):
            if not cleaned.get("title") and "title" not in self.errors:
                self.add_error("title", _("An event needs a title."))
            if not cleaned.get("starts_at") and "starts_at" not in self.errors:
                self.add_error("starts_at", _("An event needs a start date and time."))
        return cleaned


class RSVPForm(forms.Form):
    guests = forms.IntegerField(label=_("Guests"), min_value=0, max_value=MAX_GUESTS, initial=0)

    def __init__(self, *args, event=None, **kwargs):
        super().__init__(*args, **kwargs)
        if event is not None:
            self.fields["guests"].widget.attrs["max"] = event.guests_allowed
