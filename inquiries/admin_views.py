"""Staff views of one inquiry in the Wagtail admin: delivery details for
anyone who may see inquiries, the contents only with the
`inquiries.view_inquiry_contents` permission (each viewing audit-logged),
and a "send again" action."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.views.generic import TemplateView, View
from wagtail.admin.views.generic.base import BaseObjectMixin, WagtailAdminTemplateMixin

from . import services
from .models import Inquiry

CONTENTS_PERMISSION = "inquiries.view_inquiry_contents"


def can_view_inquiries(user) -> bool:
    return user.has_perm("inquiries.view_inquiry") or user.has_perm(CONTENTS_PERMISSION)


class InquiryAdminMixin(BaseObjectMixin):
    model = Inquiry

    def dispatch(self, request, *args, **kwargs):
        if not can_view_inquiries(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_base_object_queryset(self):
        return Inquiry.objects.select_related("program", "opened_by")


class InquiryDetailView(InquiryAdminMixin, WagtailAdminTemplateMixin, TemplateView):
    template_name = "inquiries/admin/detail.html"
    header_icon = "mail"

    def get_page_title(self):
        return str(self.object)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("inquiries_admin:index"), "label": "Inquiries"},
            {"url": "", "label": str(self.object)},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        can_read = self.request.user.has_perm(CONTENTS_PERMISSION)
        context.update(
            inquiry=self.object,
            can_read=can_read,
            contents=services.inquiry_open(inquiry=self.object, user=self.request.user) if can_read else None,
            program_edit_url=reverse("wagtailsnippets_directory_program:edit", args=[self.object.program_id]),
            resend_url=reverse("inquiries_admin:resend", args=[self.object.pk]),
        )
        return context


class InquiryResendView(InquiryAdminMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        services.inquiry_resend(inquiry=self.object, user=request.user)
        messages.success(request, f"{self.object} will be sent again now.")
        return redirect("inquiries_admin:inspect", self.object.pk)
