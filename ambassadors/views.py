from django.shortcuts import render

from .selectors import list_ambassadors


def ambassador_directory(request):
    return render(request, "ambassadors/directory.html", {"ambassadors": list_ambassadors()})
