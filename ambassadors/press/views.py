"""The staff's e-PR pages (/press/…) and the contacts' own unsubscribe page."""

import json

from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST

from content.models import Area
from core.errors import Conflict, DomainError, InvalidInput, NotAllowed, NotFound

from ..models.licences import LANGUAGE_CHOICES
from ..views import _refuse, staff_view
from . import selectors
from .forms import ImportForm, PressContactForm, ReleaseForm
from .models import PressContact, PressRelease, PressSegment
from .services import contacts as contact_services
from .services import releases as release_services
from .services.sending import preview


def _form_error(form, error: DomainError, field=None):
    if isinstance(error, (NotFound, NotAllowed)):
        _refuse(error)
    form.add_error(field, error.message)


# Releases ----------------------------------------------------------------------------------


@staff_view
def releases(request):
    page = Paginator(selectors.releases_for(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "press/releases.html", {"page": page})


@staff_view
def release_new(request):
    form = ReleaseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            release = release_services.save_release(actor=request.user, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            return redirect("press:release", release.pk)
    return render(request, "press/release_form.html", {"form": form})


@staff_view
def release_edit(request, pk):
    release = get_object_or_404(PressRelease, pk=pk)
    if release.status != PressRelease.Status.DRAFT:
        return redirect("press:release", release.pk)
    form = ReleaseForm.for_release(release, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            release_services.save_release(actor=request.user, release=release, **form.cleaned_data)
        except DomainError as error:
            _form_error(form, error)
        else:
            return redirect("press:release", release.pk)
    return render(request, "press/release_form.html", {"form": form, "release": release})


@staff_view
def release_detail(request, pk):
    release = selectors.release_for(request.user, pk)
    if release is None:
        raise Http404
    context = {"release": release}
    if release.status == PressRelease.Status.DRAFT:
        context["preview"] = preview(release)
        context["receiving"] = release_services.count_receiving(release.segment)
    else:
        context["recipients"] = selectors.recipients_of(release)
    return render(request, "press/release.html", context)


@require_POST
@staff_view
def release_send(request, pk):
    release = get_object_or_404(PressRelease, pk=pk)
    try:
        count = release_services.send_release(actor=request.user, release=release)
    except (NotFound, NotAllowed) as error:
        _refuse(error)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("Sending to %(count)d contacts: the figures below fill in as the e-mails leave.")
            % {"count": count},
        )
    return redirect("press:release", release.pk)


# Contacts ----------------------------------------------------------------------------------


@staff_view
def contacts(request):
    filters = {
        name: request.GET.get(name, "").strip()[:100]
        for name in ("q", "segment", "status", "language", "area")
    }
    found = selectors.contacts_for(request.user, **filters)
    page = Paginator(found, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "press/contacts.html",
        {
            "page": page,
            "filters": filters,
            "query": query.urlencode(),
            "segments": PressSegment.objects.annotate(contact_count=Count("contacts")),
            "statuses": PressContact.Status.choices,
            "languages": LANGUAGE_CHOICES,
            "areas": Area.objects.only("pk", "name"),
        },
    )


def _contact_form(request, contact=None):
    form = PressContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            saved = contact_services.save_contact(actor=request.user, contact=contact, data=data)
        except Conflict as error:
            form.add_error("email", error.message)
        except DomainError as error:
            _form_error(form, error)
        else:
            messages.success(request, _("The contact is saved."))
            return redirect("press:contact", saved.pk)
    return render(request, "press/contact_form.html", {"form": form, "contact": contact})


@staff_view
def contact_new(request):
    return _contact_form(request)


@staff_view
def contact_detail(request, pk):
    contact = get_object_or_404(PressContact, pk=pk)
    return _contact_form(request, contact)


@staff_view
def contact_export(request, pk):
    contact = get_object_or_404(
        PressContact.objects.select_related("area").prefetch_related("segments"), pk=pk
    )
    data = contact_services.export_contact(actor=request.user, contact=contact)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = f'attachment; filename="press-contact-{contact.pk}.json"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@staff_view
def contact_erase(request, pk):
    contact = get_object_or_404(PressContact, pk=pk)
    try:
        contact_services.erase_contact(actor=request.user, contact=contact)
    except DomainError as error:
        _refuse(error)
    messages.success(request, _("The contact is erased."))
    return redirect("press:contacts")


@staff_view
def contact_import(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        try:
            report = contact_services.import_contacts(
                actor=request.user, upload=form.cleaned_data["file"]
            )
        except DomainError as error:
            _form_error(form, error, "file")
    status = 400 if request.method == "POST" and report is None else 200
    return render(
        request, "press/contact_import.html", {"form": form, "report": report}, status=status
    )


# The contact's own page ------------------------------------------------------------------------


@csrf_exempt  # the signed token is the proof; mail providers POST without a CSRF token
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def unsubscribe(request, token):
    """GET shows one button (a mail scanner following links unsubscribes no one); POST
    unsubscribes, from that button or the mail client's one-click (RFC 8058). No log-in."""
    try:
        if request.method == "POST":
            contact = contact_services.unsubscribe(token=token)
        else:
            contact = contact_services.read_unsubscribe_token(token)
    except InvalidInput as error:
        return render(request, "press/unsubscribe.html", {"error": error.message}, status=400)
    return render(
        request,
        "press/unsubscribe.html",
        {"done": request.method == "POST", "contact": contact, "token": token},
    )
