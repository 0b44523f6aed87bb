from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def chat_index(request):
    return render(request, "realtime/chat_index.html")
