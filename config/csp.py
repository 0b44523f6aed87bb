from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings


class TerritoryCSPMiddleware(CSPMiddleware):
    """The site-wide policy everywhere; a looser one scoped to the Wagtail and Django admins,
    whose editors still rely on inline scripts and styles."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if not report_only and request.path_info.startswith(settings.ADMIN_URL_PREFIXES):
            parts.update = {**settings.ADMIN_CSP_UPDATE, **(parts.update or {})}
        return parts
