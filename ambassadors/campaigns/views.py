"""Campaign pages: the same services as the API; domain errors a person can put right are
shown on the form, the others become the site's 403/404 (core.middleware)."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import FORM_ERRORS, NotFound
from network.views.actions import run_action

from .forms import (
    BriefForm,
    CounterForm,
    CreatorProfileForm,
    CreatorSearchForm,
    DeliverableForm,
    InviteForm,
    PublishForm,
    ReviewForm,
)
from .models import Campaign, Contract, CreatorProfile, Deliverable, Engagement
from .permissions import is_campaign_staff
from .rules import composer_prefix, current_rules
from .services import briefs, casting, creators, deliverables, ledger


def staff_only(view):
    @login_required
    def wrapper(request, *args, **kwargs):
        if not is_campaign_staff(request.user):
            raise PermissionDenied(_("This page is for agency staff."))
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


# Creators ------------------------------------------------------------------------------------


@login_required
def creator_profile(request):
    mine = CreatorProfile.objects.filter(user=request.user).prefetch_related("platforms").first()
    form = CreatorProfileForm(request.POST or None, initial=CreatorProfileForm.initial_for(mine))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            creators.save_creator_profile(
                actor=request.user,
                kind=data["kind"],
                platforms=form.platforms(),
                niches=data["niches"],
                languages=data["languages"],
                areas=data["areas"],
                rates=data["rates"],
                arpp_certified=data["arpp_certified"],
                arpp_certified_on=data["arpp_certified_on"],
                legal_name=data["legal_name"],
                address=data["address"],
                tax_residence=data["tax_residence"],
                company_number=data["company_number"],
            )
        except FORM_ERRORS as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your creator profile is saved."))
            return redirect("campaigns:campaigns")
    return render(request, "campaigns/creator_form.html", {"form": form, "profile": mine})


@staff_only
def creator_directory(request):
    form = CreatorSearchForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    try:
        offset = max(int(request.GET.get("offset") or 0), 0)
    except ValueError:
        offset = 0
    found, total = creators.search_creators(
        request.user, offset=offset, **{k: v or "" for k, v in filters.items()}
    )
    return render(
        request,
        "campaigns/creators.html",
        {
            "form": form,
            "creators": found,
            "total": total,
            "offset": offset,
            "next_offset": offset + creators.DIRECTORY_PAGE
            if offset + creators.DIRECTORY_PAGE < total
            else None,
        },
    )


# Briefs --------------------------------------------------------------------------------------


@login_required
def campaign_list(request):
    if is_campaign_staff(request.user):
        campaigns = Campaign.objects.annotate(
            creators=Count("engagements", filter=Q(engagements__status="accepted"))
        )
        status = request.GET.get("status") or ""
        if status in Campaign.Status.values:
            campaigns = campaigns.filter(status=status)
        return render(
            request,
            "campaigns/list.html",
            {
                "campaigns": campaigns[:200],
                "staff": True,
                "status": status,
                "statuses": Campaign.Status.choices,
            },
        )
    mine = (
        Engagement.objects.filter(creator=request.user)
        .select_related("campaign")
        .filter(campaign__status__in=("open", "closed"))
    )
    open_briefs = Campaign.objects.filter(status="open", open_to_applications=True).exclude(
        engagements__creator=request.user
    )
    return render(
        request,
        "campaigns/list.html",
        {
            "engagements": mine,
            "open_briefs": open_briefs[:50],
            "staff": False,
            "has_profile": CreatorProfile.objects.filter(user=request.user).exists(),
        },
    )


@staff_only
def campaign_edit(request, pk=None):
    campaign = get_object_or_404(Campaign, pk=pk) if pk else None
    form = BriefForm(request.POST or None, initial=BriefForm.initial_for(campaign))
    if request.method == "POST" and form.is_valid():
        try:
            saved = briefs.save_brief(
                actor=request.user, campaign=campaign, **form.service_arguments()
            )
        except FORM_ERRORS as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The brief is saved."))
            return redirect(saved.get_absolute_url())
    return render(request, "campaigns/brief_form.html", {"form": form, "campaign": campaign})


@login_required
def campaign_detail(request, pk):
    campaign, engagement = casting.visible_campaign(request.user, pk)
    staff = is_campaign_staff(request.user)
    context = {
        "campaign": campaign,
        "engagement": engagement,
        "staff": staff,
        "in_kind": campaign.in_kind_items.all(),
        "specs": campaign.deliverable_specs.all(),
        "pages": campaign.pages.all(),
        "rules": current_rules(),
    }
    if staff:
        context["engagements"] = (
            campaign.engagements.select_related("creator")
            .prefetch_related(Prefetch("deliverables", queryset=Deliverable.objects.order_by("pk")))
            .order_by("status", "seat", "waitlisted_at", "pk")
        )
        context["invite_form"] = InviteForm()
        context["waitlist"] = campaign.engagements.filter(seat="waitlist").count()
    if engagement is not None:
        context["counter_form"] = CounterForm()
        context["my_deliverables"] = engagement.deliverables.order_by("-submitted_at")
        from ..models import TrackedLink

        context["my_links"] = TrackedLink.objects.filter(
            owner=request.user, source="campaign", reference=campaign.reference
        ).select_related("page")
    return render(request, "campaigns/detail.html", context)


@require_POST
@staff_only
def campaign_move(request, pk, action):
    campaign = get_object_or_404(Campaign, pk=pk)
    labels = {
        "publish": _("The brief is open."),
        "close": _("The brief is closed."),
        "archive": _("The brief is archived."),
    }
    if action not in labels:
        raise Http404
    return run_action(
        request,
        lambda: briefs.move_brief(actor=request.user, campaign=campaign, action=action),
        success=labels[action],
        back=campaign.get_absolute_url(),
    )


@require_POST
@staff_only
def campaign_invite(request, pk):
    campaign = get_object_or_404(Campaign, pk=pk)
    form = InviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Name the creators to invite."))
        return redirect(campaign.get_absolute_url())
    names = [n.strip().lstrip("@") for n in form.cleaned_data["usernames"].split(",") if n.strip()]
    users = list(get_user_model().objects.filter(username__in=names))
    unknown = set(names) - {u.username for u in users}
    if unknown:
        messages.error(
            request, _("Unknown members: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
        return redirect(campaign.get_absolute_url())
    return run_action(
        request,
        lambda: casting.invite(
            actor=request.user, campaign=campaign, creators=users, note=form.cleaned_data["note"]
        ),
        success=_("Invitations sent."),
        back=campaign.get_absolute_url(),
    )


@require_POST
@login_required
def campaign_answer(request, pk, answer):
    """A creator's answer (accept, decline, counter, apply), or staff's answer to a creator
    (accept/decline with `creator`)."""
    campaign = get_object_or_404(Campaign, pk=pk)
    creator = None
    if request.POST.get("creator"):
        creator = get_object_or_404(get_user_model(), username=request.POST["creator"])
    note = request.POST.get("note", "")
    if answer == "accept":
        action = lambda: casting.accept(actor=request.user, campaign=campaign, creator=creator)  # noqa: E731
        success = _("Accepted.")
    elif answer == "decline":
        action = lambda: casting.decline(  # noqa: E731
            actor=request.user, campaign=campaign, creator=creator, note=note
        )
        success = _("Your answer is sent.")
    elif answer == "counter":
        form = CounterForm(request.POST)
        form.is_valid()
        data = getattr(form, "cleaned_data", {})
        action = lambda: casting.counter(  # noqa: E731
            actor=request.user,
            campaign=campaign,
            cash=data.get("cash"),
            deliverables=data.get("deliverables", ""),
            note=data.get("note", ""),
        )
        success = _("Your counter-offer is sent.")
    elif answer == "apply":
        action = lambda: casting.apply(actor=request.user, campaign=campaign, note=note)  # noqa: E731
        success = _("Your application is sent.")
    else:
        raise Http404
    return run_action(request, action, success=success, back=campaign.get_absolute_url())


# Deliverables --------------------------------------------------------------------------------


@login_required
def deliverable_new(request, pk, deliverable_pk=None):
    """The composer: for a gifted or paid brief the mention comes first in the text, and a
    content without it is refused with the reason (and shown again with the mention)."""
    campaign, engagement = casting.visible_campaign(request.user, pk)
    if engagement is None or not engagement.takes_part:
        raise PermissionDenied(_("Accept the brief before sending contents for it."))
    existing = None
    if deliverable_pk:
        existing = get_object_or_404(Deliverable, pk=deliverable_pk, engagement=engagement)
    prefix = composer_prefix(campaign)
    initial = {"text": f"{prefix} · " if prefix else ""}
    if existing is not None:
        initial = {
            "text": existing.text,
            "platform": existing.platform,
            "spec": existing.spec_id,
            "video_url": existing.video_url,
            "declares_retouched": existing.declares_retouched,
            "declares_virtual": existing.declares_virtual,
        }
    form = DeliverableForm(
        request.POST or None, request.FILES or None, campaign=campaign, initial=initial
    )
    refused = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            saved = deliverables.submit(
                actor=request.user,
                campaign=campaign,
                text=data["text"],
                platform=data["platform"],
                spec_id=data["spec"] or None,
                video_url=data["video_url"],
                image=data["image"],
                declares_retouched=data["declares_retouched"],
                declares_virtual=data["declares_virtual"],
                deliverable=existing,
            )
        except deliverables.NonCompliant as error:
            refused = error.message
            # The composer puts the mention back in front of the creator's text.
            text = data["text"]
            if prefix and prefix.casefold() not in text.casefold():
                text = f"{prefix} · {text}"
            form = DeliverableForm({**request.POST.dict(), "text": text}, campaign=campaign)
            form.is_valid()
        except FORM_ERRORS as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Your content is sent for review."))
            return redirect(saved.get_absolute_url())
    return render(
        request,
        "campaigns/deliverable_form.html",
        {
            "form": form,
            "campaign": campaign,
            "prefix": prefix,
            "refused": refused,
            "existing": existing,
            "rules": current_rules(),
        },
    )


@login_required
def deliverable_detail(request, pk):
    try:
        deliverable = deliverables.get_deliverable_for(request.user, pk)
    except NotFound as error:
        raise Http404 from error
    staff = is_campaign_staff(request.user)
    context = {
        "deliverable": deliverable,
        "campaign": deliverable.engagement.campaign,
        "events": deliverable.events.select_related("actor"),
        "staff": staff,
        "mine": deliverable.engagement.creator_id == request.user.pk,
    }
    if staff and deliverable.status == Deliverable.Status.WAITING:
        context["review_form"] = ReviewForm()
        context["blockers"] = deliverables.approval_blockers(deliverable)
        context["contract"] = Contract.objects.filter(
            creator_id=deliverable.engagement.creator_id,
            advertiser_key=deliverable.engagement.campaign.advertiser_key,
            year=deliverable.engagement.campaign.starts_on.year,
        ).first()
    if context["mine"] and deliverable.status == Deliverable.Status.APPROVED:
        context["publish_form"] = PublishForm()
    return render(request, "campaigns/deliverable.html", context)


@require_POST
@login_required
def deliverable_review(request, pk):
    deliverable = deliverables.get_deliverable_for(request.user, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
        return redirect(deliverable.get_absolute_url())
    labels = {
        "approve": _("The content is approved."),
        "request_changes": _("Changes are asked."),
        "reject": _("The content is rejected."),
    }
    decision = form.cleaned_data["decision"]
    return run_action(
        request,
        lambda: deliverables.review(
            actor=request.user,
            deliverable=deliverable,
            decision=decision,
            comment=form.cleaned_data["comment"],
        ),
        success=labels[decision],
        back=deliverable.get_absolute_url(),
    )


@require_POST
@login_required
def deliverable_publish(request, pk):
    deliverable = deliverables.get_deliverable_for(request.user, pk)
    return run_action(
        request,
        lambda: deliverables.publish(
            actor=request.user, deliverable=deliverable, url=request.POST.get("url", "")
        ),
        success=_("Thank you: the published address is recorded."),
        back=deliverable.get_absolute_url(),
    )


# Contracts -----------------------------------------------------------------------------------


@staff_only
def contract_detail(request, pk):
    contract = get_object_or_404(Contract.objects.select_related("creator"), pk=pk)
    return render(request, "campaigns/contract.html", {"contract": contract})


@require_POST
@staff_only
def contract_sign(request, pk):
    contract = get_object_or_404(Contract, pk=pk)
    return run_action(
        request,
        lambda: ledger.mark_signed(actor=request.user, contract=contract),
        success=_("The contract is marked signed."),
        back=contract.get_absolute_url(),
    )


# The reports' pages are report_views.py's.


@staff_only
def ledger_view(request):
    """The value ledger: cash and in-kind value per creator, advertiser, year and objective,
    with each (creator, advertiser, year)'s total against the threshold and its contract."""
    from django.contrib.auth import get_user_model

    from ..models.missions import TracerStage
    from .models import LedgerLine

    rows = ledger.ledger_totals(LedgerLine.objects.all())
    names = dict(
        get_user_model()
        .objects.filter(pk__in={row[0] for row in rows})
        .values_list("pk", "display_name")
    )
    usernames = dict(
        get_user_model()
        .objects.filter(pk__in={row[0] for row in rows})
        .values_list("pk", "username")
    )
    contracts = {
        (c.creator_id, c.advertiser_name, c.year): c
        for c in Contract.objects.filter(creator_id__in={row[0] for row in rows})
    }
    threshold = current_rules().contract_threshold
    stages = dict(TracerStage.choices)
    groups: dict = {}
    for creator_id, advertiser, year, objective, cash, in_kind, total in rows:
        key = (creator_id, advertiser, year)
        group = groups.setdefault(
            key,
            {
                "creator": names.get(creator_id) or usernames.get(creator_id, ""),
                "advertiser": advertiser,
                "year": year,
                "lines": [],
                "total": 0,
                "contract": contracts.get(key),
            },
        )
        group["lines"].append(
            {
                "objective": stages.get(objective, objective),
                "cash": cash,
                "in_kind": in_kind,
                "total": total,
            }
        )
        group["total"] += total
    for group in groups.values():
        group["over"] = group["total"] >= threshold
    return render(
        request, "campaigns/ledger.html", {"groups": list(groups.values()), "threshold": threshold}
    )
