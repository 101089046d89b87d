from django import template

from guide.promo import live_guide_url

register = template.Library()


@register.inclusion_tag("guide/includes/promo.html")
def guide_promo():
    """ "Not sure which care?" link to the live guide; nothing when there is none."""
    return {"guide_url": live_guide_url()}
