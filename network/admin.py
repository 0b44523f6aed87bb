from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = DjangoUserAdmin.fieldsets + (
        (_("Profile"), {"fields": ("display_name", "avatar", "preferred_language")}),
        (_("Trust"), {"fields": ("trust_level_granted",)}),
    )
    list_display = ("username", "email", "display_name", "is_staff", "is_active")
