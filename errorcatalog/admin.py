"""Admin screens for the people who maintain the catalog every week."""

from contextvars import ContextVar
from typing import TYPE_CHECKING

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from .examples import example_response
from .models import Catalog, Cause, ErrorCode, ErrorFamily, ExceptionMapping, HttpStatus, Lifecycle
from .snapshot import bump_version_on_commit

_preview_request = ContextVar("errorcatalog_preview_request", default=None)


class CauseForm(forms.ModelForm):
    def _post_clean(self):
        super()._post_clean()  # type: ignore[misc]  # BaseModelForm's step, missing from the stubs
        # Django leaves an inline's foreign key out of constraint checks (on an
        # add page the parent does not exist yet), so a cause someone else
        # added meanwhile would end in an IntegrityError instead of this message.
        if self.instance.error_code_id is not None and self.has_changed() and not self.errors:
            try:
                self.instance.validate_constraints()
            except ValidationError as error:
                self.add_error(None, error)


if TYPE_CHECKING:
    _AdminBase = admin.ModelAdmin
else:
    _AdminBase = object


class RefusesConflictingSaves(_AdminBase):
    """A save that loses a race with another person's (an IntegrityError) is
    refused with a message and the page again, never a server error; the
    change view's transaction has already rolled it all back."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except IntegrityError:
            self.message_user(
                request,
                _(
                    "Someone else saved a conflicting change at the same moment, so nothing of "
                    "yours was saved. Check the page and save again."
                ),
                messages.ERROR,
            )
            return HttpResponseRedirect(request.get_full_path())


class CauseInline(admin.TabularInline):
    model = Cause
    form = CauseForm
    fields = ["position", "text", "remedy"]
    extra = 1


class ExceptionMappingInline(admin.TabularInline):
    model = ExceptionMapping
    fields = ["exception_class", "drf_code", "field_code"]
    extra = 0
    verbose_name = _("exception mapping (errors that get this code)")
    verbose_name_plural = _("exception mappings (errors that get this code)")


@admin.register(Catalog)
class CatalogAdmin(RefusesConflictingSaves, admin.ModelAdmin):
    list_display = ["name", "slug", "format", "family_count", "code_count"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    # Django 5.2 warns about URLField's default scheme; 6.0 makes https the default.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(family_count=Count("families", distinct=True), code_count=Count("codes", distinct=True))
        )

    @admin.display(description=_("families"), ordering="family_count")
    def family_count(self, obj):
        return obj.family_count

    @admin.display(description=_("codes"), ordering="code_count")
    def code_count(self, obj):
        return obj.code_count


@admin.register(HttpStatus)
class HttpStatusAdmin(admin.ModelAdmin):
    list_display = ["code", "reason", "description"]
    search_fields = ["=code", "reason", "description"]


@admin.register(ErrorFamily)
class ErrorFamilyAdmin(RefusesConflictingSaves, admin.ModelAdmin):
    list_display = ["name", "key", "prefix", "catalog", "position", "code_count"]
    list_filter = ["catalog"]
    list_select_related = ["catalog"]
    search_fields = ["name", "key", "prefix", "description"]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(code_count=Count("codes"))

    @admin.display(description=_("codes"), ordering="code_count")
    def code_count(self, obj):
        return obj.code_count


@admin.register(ErrorCode)
class ErrorCodeAdmin(RefusesConflictingSaves, admin.ModelAdmin):
    list_display = ["code", "title", "status", "family", "lifecycle", "public"]
    list_filter = ["catalog", "family", "status", "lifecycle", "public", "is_status_default", "is_catch_all"]
    list_select_related = ["status", "family__catalog"]
    search_fields = ["code", "title", "description", "causes__text", "causes__remedy"]
    autocomplete_fields = ["replaced_by"]
    readonly_fields = ["catalog", "created", "updated", "preview"]
    inlines = [CauseInline, ExceptionMappingInline]
    actions = ["deprecate"]
    fieldsets = [
        (None, {"fields": ["family", "code", "numeric_code", "status", "title", "description", "default_detail"]}),
        (_("Lifecycle"), {"fields": ["lifecycle", "replaced_by", "public"]}),
        (_("Retry hints"), {"fields": ["retryable", "retry_after"]}),
        (_("Rules"), {"fields": ["is_status_default", "is_catch_all"]}),
        (_("Record"), {"fields": ["catalog", "created", "updated"]}),
        (_("Preview"), {"fields": ["preview"]}),
    ]

    @admin.display(description=_("how clients see it"))
    def preview(self, obj):
        if obj.pk is None:
            return _("Save the code to see how it renders.")
        try:
            example = example_response(obj.catalog.slug, obj.code, request=_preview_request.get())
        except Exception as exc:  # a broken custom format must not break the admin
            return format_html("<em>{}</em>", _("The catalog's format cannot render: %s") % exc)
        return format_html(
            "<p>HTTP {} · Content-Type: {}</p><pre>{}</pre>",
            example.status,
            example.media_type,
            example.text,
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        # The preview links to the docs pages as a client of this host sees
        # them: it needs the request, which readonly fields are not given.
        token = _preview_request.set(request)
        try:
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            return response
        finally:
            _preview_request.reset(token)

    @admin.action(description=_("Deprecate selected codes"), permissions=["change"])
    def deprecate(self, request, queryset):
        # update() sends no signals: the version stamp is bumped by hand.
        count = queryset.exclude(lifecycle=Lifecycle.DEPRECATED).update(
            lifecycle=Lifecycle.DEPRECATED, updated=timezone.now()
        )
        bump_version_on_commit()
        self.message_user(
            request,
            ngettext("%d code deprecated.", "%d codes deprecated.", count) % count,
            messages.SUCCESS,
        )


@admin.register(ExceptionMapping)
class ExceptionMappingAdmin(RefusesConflictingSaves, admin.ModelAdmin):
    list_display = ["__str__", "catalog", "exception_class", "drf_code", "field_code", "error_code"]
    list_filter = ["catalog"]
    list_select_related = ["catalog", "error_code"]
    search_fields = ["exception_class", "drf_code", "field_code", "error_code__code"]
    autocomplete_fields = ["error_code"]
