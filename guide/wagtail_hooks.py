from wagtail import hooks

from content.admin_views import ReviewedPageViewSet

from .models import GuidePage


@hooks.register("register_admin_viewset")
def register_guide_page_viewset():
    """The guide goes through the editorial workflow like articles."""
    return ReviewedPageViewSet("guide_pages", model=GuidePage)
