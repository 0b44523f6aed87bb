"""{% load member_parts %}: `{% member_part "template.html" %}` includes a template that says
who the viewer is (the header's account menu, the admin user bar). On a page cached for
everyone with the same roles (core.pages.render_shared) it leaves a marker instead, filled in
for each request."""

from django import template

from core.pages import DEFERRED, marker

register = template.Library()


@register.simple_tag(takes_context=True)
def member_part(context, template_name: str):
    if context.get(DEFERRED):
        return marker(template_name)
    # Included with the page's context, as {% include %} would.
    return context.template.engine.get_template(template_name).render(context)
