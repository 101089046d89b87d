from django.core.cache import cache
from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from .promo import PROMO_CACHE_KEY


@receiver(page_published)
@receiver(page_unpublished)
def forget_guide_url(sender, **kwargs):
    cache.delete(PROMO_CACHE_KEY)
