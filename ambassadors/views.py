from functools import wraps
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.models import Page

from core.errors import DomainError, NotAllowed, NotFound

from . import selectors
from .forms import ApplicationForm, DecisionForm, ProfileForm, ProofForm
from .models import (
    Application,
    Badge,
    Briefing,
    BriefingRecipient,
    Charter,
    LinkClickDay,
    Mission,
    Participation,
    Profile,
    Submission,
)
from .permissions import is_ambassador, is_programme_staff, licence_of
from .services import badges, briefings, licences, missions, profiles, recognition
from .services.links import link_for_page


def _refuse(error: DomainError):
    if isinstance(error, NotFound):
        raise Http404(str(error.message)) from error
    raise PermissionDenied(str(error.message)) from error


def _run(request, action, *, success: str = "", back: str):
    try:
        action()
    except (NotFound, NotAllowed) as error:
        _refuse(error)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        if success:
            messages.success(request, success)
    return redirect(back)


def ambassador_view(view):
    """Ambassadors only (a valid licence); one who has not accepted the current charter
    version is sent to read it first."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not is_ambassador(request.user):
            licence = licence_of(request.user)
            if licence is not None:
                raise PermissionDenied(
                    _("Your ambassador licence is not valid: renew it to take part.")
                )
            raise PermissionDenied(_("This page is for ambassadors."))
        if licences.needs_charter(request.user):
            return redirect(
                f"{reverse('ambassadors:charter')}?next={quote(request.get_full_path())}"
            )
        return view(request, *args, **kwargs)

    return wrapper


def staff_view(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not is_programme_staff(request.user):
            raise PermissionDenied(_("This page is for agency staff."))
        return view(request, *args, **kwargs)

    return wrapper


# Directory and profiles ----------------------------------------------------------------------


def profile(request, username):
    found = selectors.get_profile_for(request.user, username)
    if found is None:
        raise Http404
    shown = found.shown_to(request.user)
    context = {"profile": found, "person": found.user, "shown": shown}
    if "activity" in shown:
        points = recognition.points_of(found.user)
        context.update(points=points, level=recognition.level_for(points))
        context["badges"] = badges.badges_of([found.user_id]).get(found.user_id, [])
        context["missions_done"] = (
            Participation.objects.filter(
                ambassador=found.user, status=Participation.Status.APPROVED
            )
            .select_related("mission")
            .order_by("-taken_at")[:5]
        )
    if "organisations" in shown:
        from network.models import Organisation

        context["organisations"] = Organisation.objects.filter(memberships__user=found.user).only(
            "name", "slug"
        )[:10]
    if is_programme_staff(request.user):
        context["badge_choices"] = Badge.objects.filter(active=True).exclude(
            awards__user=found.user
        )
    return render(request, "ambassadors/profile.html", context)


@require_POST
@staff_view
def give_badge(request, username):
    found = selectors.get_profile_for(request.user, username)
    if found is None:
        raise Http404
    badge = get_object_or_404(Badge, pk=request.POST.get("badge") or 0, active=True)
    return _run(
        request,
        lambda: badges.award_badge(actor=request.user, user=found.user, badge=badge),
        success=_("The badge is given."),
        back=reverse("ambassadors:profile", args=[username]),
    )


@ambassador_view
def edit_profile(request):
    mine, _created = Profile.objects.get_or_create(user=request.user)
    form = ProfileForm(request.POST or None, request.FILES or None, instance=mine)
    if request.method == "POST" and form.is_valid():
        profiles.update_profile(actor=request.user, profile=mine, form=form)
        messages.success(request, _("Your profile is saved."))
        return redirect("ambassadors:profile", request.user.username)
    return render(request, "ambassadors/profile_form.html", {"form": form})


# Applications, charter ----------------------------------------------------------------------


@login_required
def apply(request):
    charter = Charter.current()
    form = ApplicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            licences.submit_application(
                actor=request.user,
                motivation=data["motivation"],
                areas=data["areas"],
                interests=data["interests"],
                skills=data["skills"],
                languages=data["languages"],
                links=data["links"],
                charter_version=int(request.POST.get("charter_version") or 0),
            )
        except (NotFound, NotAllowed) as error:
            _refuse(error)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Thank you! The agency will read your application soon."))
            return redirect("ambassadors:me")
    return render(
        request,
        "ambassadors/apply.html",
        {
            "form": form,
            "charter": charter,
            "applications": Application.objects.filter(applicant=request.user)[:5],
            "is_ambassador": is_ambassador(request.user),
        },
    )


@login_required
def charter(request):
    current = Charter.current()
    if current is None:
        raise Http404
    back = request.GET.get("next") or reverse("ambassadors:me")
    if not back.startswith("/") or back.startswith("//"):
        back = reverse("ambassadors:me")
    if request.method == "POST":
        return _run(
            request,
            lambda: licences.accept_charter(
                actor=request.user, version=int(request.POST.get("version") or 0)
            ),
            success=_("Thank you for accepting the charter."),
            back=back,
        )
    return render(
        request,
        "ambassadors/charter.html",
        {"charter": current, "needs": licences.needs_charter(request.user), "next": back},
    )


@staff_view
def applications(request):
    waiting = (
        Application.objects.filter(
            status__in=[Application.Status.PENDING, Application.Status.MORE_INFO]
        )
        .select_related("applicant")
        .prefetch_related("areas")
        .order_by("created_at", "pk")[:100]
    )
    return render(request, "ambassadors/applications.html", {"applications": waiting})


@staff_view
def application_detail(request, pk):
    application = get_object_or_404(
        Application.objects.select_related("applicant").prefetch_related("areas"), pk=pk
    )
    form = DecisionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            licences.decide_application(
                actor=request.user,
                application=application,
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
            )
        except (NotFound, NotAllowed) as error:
            _refuse(error)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The decision is recorded."))
            return redirect("ambassadors:applications")
    return render(
        request, "ambassadors/application_detail.html", {"application": application, "form": form}
    )


# The ambassador's own space ------------------------------------------------------------------


@login_required
def me(request):
    if not is_ambassador(request.user):
        return redirect("ambassadors:apply")
    if licences.needs_charter(request.user):
        return redirect(f"{reverse('ambassadors:charter')}?next={reverse('ambassadors:me')}")
    points = recognition.points_of(request.user)
    return render(
        request,
        "ambassadors/me.html",
        {
            "licence": licence_of(request.user),
            "points": points,
            "level": recognition.level_for(points),
            "participations": Participation.objects.filter(ambassador=request.user)
            .select_related("mission")
            .order_by("-taken_at")[:20],
            "links": selectors.links_of(request.user)[:20],
        },
    )


@login_required
# Briefings ---------------------------------------------------------------------------------


@login_required
def briefing_list(request):
    if is_programme_staff(request.user):
        items = Briefing.objects.all()[:100]
    elif is_ambassador(request.user):
        if licences.needs_charter(request.user):
            return redirect(f"{reverse('ambassadors:charter')}?next={quote(request.path)}")
        items = selectors.briefings_of(request.user)[:100]
    else:
        raise PermissionDenied(_("This page is for ambassadors."))
    return render(request, "ambassadors/briefings.html", {"briefings": items})


@login_required
def briefing_detail(request, pk):
    briefing = get_object_or_404(Briefing.objects.prefetch_related("pages"), pk=pk)
    staff = is_programme_staff(request.user)
    mine = BriefingRecipient.objects.filter(briefing=briefing, user=request.user).first()
    if not staff and (mine is None or not is_ambassador(request.user)):
        raise Http404
    context = {"briefing": briefing, "mine": mine, "staff": staff}
    if staff:
        context["recipients"] = briefing.recipients.select_related("user").order_by(
            "read_at", "user__username"
        )
    return render(request, "ambassadors/briefing.html", context)


@require_POST
@ambassador_view
def briefing_read(request, pk):
    briefing = get_object_or_404(Briefing, pk=pk)
    return _run(
        request,
        lambda: briefings.mark_read(actor=request.user, briefing=briefing),
        success=_("Thank you: the agency knows you read it."),
        back=briefing.get_absolute_url(),
    )


@require_POST
@staff_view
def briefing_send(request, pk):
    briefing = get_object_or_404(Briefing, pk=pk)
    action = request.POST.get("action")
    service = briefings.remind_unread if action == "remind" else briefings.send_briefing
    return _run(
        request,
        lambda: service(actor=request.user, briefing=briefing),
        success=_("Sent."),
        back=briefing.get_absolute_url(),
    )


# Missions -----------------------------------------------------------------------------------


@login_required
def mission_list(request):
    if not selectors.can_see_programme(request.user):
        raise PermissionDenied(_("This page is for ambassadors."))
    if is_ambassador(request.user) and licences.needs_charter(request.user):
        return redirect(f"{reverse('ambassadors:charter')}?next={quote(request.get_full_path())}")
    return render(
        request, "ambassadors/missions.html", {"missions": selectors.missions_for(request.user)}
    )


@login_required
def mission_detail(request, pk):
    if not selectors.can_see_programme(request.user):
        raise PermissionDenied(_("This page is for ambassadors."))
    mission = get_object_or_404(
        Mission.objects.select_related("page"),
        pk=pk,
        status__in=[Mission.Status.PUBLISHED, Mission.Status.CLOSED],
    )
    mine = Participation.objects.filter(mission=mission, ambassador=request.user).first()
    context = {
        "mission": mission,
        "participation": mine,
        "proofs": mine.submissions.all() if mine else [],
        "form": ProofForm(),
    }
    if mission.page_id and mine and is_ambassador(request.user):
        context["share_url"] = reverse("ambassadors:share", args=[mission.page_id])
    if is_programme_staff(request.user):
        context["waiting"] = Submission.objects.filter(
            participation__mission=mission, status=Submission.Status.WAITING
        ).select_related("participation__ambassador")
    return render(request, "ambassadors/mission.html", context)


@require_POST
@ambassador_view
def take(request, pk):
    mission = get_object_or_404(Mission, pk=pk)
    return _run(
        request,
        lambda: missions.take_mission(actor=request.user, mission=mission),
        success=_("The mission is yours."),
        back=mission.get_absolute_url(),
    )


@require_POST
@ambassador_view
def submit(request, pk):
    mission = get_object_or_404(Mission, pk=pk)
    form = ProofForm(request.POST, request.FILES)
    form.is_valid()
    data = form.cleaned_data
    return _run(
        request,
        lambda: missions.submit_proof(
            actor=request.user,
            mission=mission,
            link=data.get("link", ""),
            text=data.get("text", ""),
            photo=data.get("photo"),
        ),
        success=_("Your proof is sent. The agency will review it."),
        back=mission.get_absolute_url(),
    )


@require_POST
@staff_view
def review(request, pk):
    submission = get_object_or_404(Submission.objects.select_related("participation"), pk=pk)
    return _run(
        request,
        lambda: missions.review_submission(
            actor=request.user,
            submission=submission,
            decision=request.POST.get("decision", ""),
            reason=request.POST.get("reason", ""),
        ),
        success=_("The review is recorded."),
        back=reverse("ambassadors:mission", args=[submission.participation.mission_id]),
    )


# Links -------------------------------------------------------------------------------------


@ambassador_view
def share(request, page_id):
    """The ambassador's link to a page, with plain share links (no third-party script)."""
    try:
        link = link_for_page(actor=request.user, page_id=page_id)
    except DomainError as error:
        _refuse(error)
    page = Page.objects.get(pk=link.page_id).specific
    short = request.build_absolute_uri(reverse("tracked_link", args=[link.code]))
    text = page.title
    encoded, encoded_text = quote(short, safe=""), quote(text, safe="")
    buttons = [
        ("email", _("E-mail"), f"mailto:?subject={encoded_text}&body={encoded}"),
        ("whatsapp", "WhatsApp", f"https://wa.me/?text={encoded_text}%20{encoded}"),
        ("linkedin", "LinkedIn", f"https://www.linkedin.com/sharing/share-offsite/?url={encoded}"),
        ("facebook", "Facebook", f"https://www.facebook.com/sharer/sharer.php?u={encoded}"),
        ("x", "X", f"https://x.com/intent/post?url={encoded}&text={encoded_text}"),
        ("bluesky", "Bluesky", f"https://bsky.app/intent/compose?text={encoded_text}%20{encoded}"),
    ]
    days = LinkClickDay.objects.filter(link=link).order_by("-day")[:30]
    return render(
        request,
        "ambassadors/share.html",
        {"link": link, "page": page, "short": short, "buttons": buttons, "days": days},
    )


@ambassador_view
def links(request):
    mine = selectors.links_of(request.user)
    pages = Page.objects.live().public().filter(depth__gt=2).specific().order_by("title")[:200]
    totals = LinkClickDay.objects.filter(link__owner=request.user).aggregate(total=Sum("clicks"))
    return render(
        request,
        "ambassadors/links.html",
        {"links": mine, "pages": pages, "total": totals["total"] or 0},
    )


@require_POST
@ambassador_view
def make_link(request):
    try:
        page_id = int(request.POST.get("page") or 0)
    except ValueError:
        page_id = 0
    try:
        link = link_for_page(actor=request.user, page_id=page_id)
    except DomainError as error:
        _refuse(error)
    return redirect("ambassadors:share", link.page_id)
