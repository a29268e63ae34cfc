import csv

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.urls import path
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import Country
from rules.contrib.admin import (
    ObjectPermissionsInlineModelAdminMixin,
    ObjectPermissionsModelAdminMixin,
)

from cohorts.models import Cohort
from cohorts.selectors import staff_scope

from . import services
from .models import Application, Extension
from .overview import CHART_HEIGHT, SLOT, applications_per_day, chart_bars


class ExtensionInlineForm(forms.ModelForm):
    class Meta:
        model = Extension
        fields = ["closes_at", "reason"]

    def clean(self):
        cleaned_data = super().clean()
        application = self.instance.application if self.instance.application_id else None
        closes_at = cleaned_data.get("closes_at")
        if application is not None and closes_at and closes_at <= application.cohort.closes_at:
            self.add_error("closes_at", _("An extension must end after the call closes."))
        return cleaned_data


class ExtensionInline(ObjectPermissionsInlineModelAdminMixin, admin.TabularInline):
    """Grants are history: new ones are added, none is edited."""

    model = Extension
    form = ExtensionInlineForm
    extra = 1
    fields = ["closes_at", "reason", "granted_by", "granted_at"]
    readonly_fields = ["granted_by", "granted_at"]

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def _spreadsheet_safe(text: str) -> str:
    """Applicants type startup names: one starting like a formula must stay text in Excel."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


class CountryFilter(admin.SimpleListFilter):
    """Only the countries that applied, not all 250."""

    title = _("country")
    parameter_name = "country"

    def lookups(self, request, model_admin):
        codes = (
            model_admin.get_queryset(request)
            .order_by()
            .values_list("startup__country", flat=True)
            .distinct()
        )
        return sorted(((code, Country(code).name) for code in codes if code), key=lambda c: c[1])

    def queryset(self, request, queryset):
        return queryset.filter(startup__country=self.value()) if self.value() else queryset


@admin.register(Application)
class ApplicationAdmin(ObjectPermissionsModelAdminMixin, admin.ModelAdmin):
    """The staff overview of applications, scoped to the programs one manages."""

    change_list_template = "admin/applications/application/change_list.html"
    list_display = ["startup", "cohort", "status", "country", "stage", "submitted_at",
                    "updated_at"]  # fmt: skip
    # Only the cohorts among one's own applications, not every program's.
    list_filter = [
        ("cohort", admin.RelatedOnlyFieldListFilter),
        "status",
        "startup__stage",
        CountryFilter,
    ]
    list_select_related = ["startup", "cohort__program"]
    search_fields = ["startup__name", "startup__city"]
    date_hierarchy = "created_at"
    inlines = [ExtensionInline]
    readonly_fields = ["startup", "cohort", "status", "created_at", "submitted_at",
                       "updated_at", "privacy_notice_version", "privacy_accepted_at",
                       "pitch_deck_pages"]  # fmt: skip
    fields = readonly_fields

    def has_module_permission(self, request) -> bool:
        return self.has_view_permission(request)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # Only extensions are granted here; statuses change through their own services.
        return self.has_view_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return staff_scope(request.user).filter_by_cohort(super().get_queryset(request))

    def get_list_filter(self, request):
        return self.list_filter

    def get_object(self, request, object_id, from_field=None):
        # Another program's application does not exist for this manager: 404.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj

    @admin.display(description=_("country"), ordering="startup__country")
    def country(self, obj: Application) -> str:
        return obj.startup.country.name if obj.startup.country else ""

    @admin.display(description=_("stage"), ordering="startup__stage")
    def stage(self, obj: Application) -> str:
        return obj.startup.get_stage_display()

    def save_formset(self, request, form, formset, change) -> None:
        # New grants go through the service (it records who granted them); the admin's
        # change message reads these lists.
        formset.new_objects = [
            services.extension_grant(
                application=form.instance,
                closes_at=extension_form.cleaned_data["closes_at"],
                reason=extension_form.cleaned_data["reason"],
                granted_by=request.user,
            )
            for extension_form in formset.forms
            if extension_form.has_changed() and not extension_form.instance.pk
        ]
        formset.changed_objects = []
        formset.deleted_objects = []

    def save_model(self, request, obj, form, change) -> None:
        """Nothing on the application itself is edited here."""

    def get_urls(self):
        return [
            path(
                "export.csv",
                self.admin_site.admin_view(self.export_csv),
                name="applications_application_export",
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = extra_context or {}
        cohort_id = request.GET.get("cohort__id__exact")
        if cohort_id and cohort_id.isdigit():
            cohort = Cohort.objects.filter(pk=cohort_id).first()
            if cohort is not None and self.get_queryset(request).filter(cohort=cohort).exists():
                bars = chart_bars(applications_per_day(cohort))
                extra_context |= {
                    "chart_cohort": cohort,
                    "chart_bars": bars,
                    "chart_width": len(bars) * SLOT,
                    "chart_height": CHART_HEIGHT,
                }
        extra_context["export_query"] = request.GET.urlencode()
        return super().changelist_view(request, extra_context=extra_context)

    def export_csv(self, request):
        """The list as filtered and searched on the page, as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        changelist = self.get_changelist_instance(request)
        rows = changelist.get_queryset(request).select_related("startup", "cohort__program")
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="applications.csv"'
        writer = csv.writer(response)
        writer.writerow([gettext("id"), gettext("startup"), gettext("program"), gettext("cohort"),
                         gettext("status"), gettext("country"), gettext("stage"),
                         gettext("started at"), gettext("submitted at"),
                         gettext("last change")])  # fmt: skip
        for application in rows:
            country = application.startup.country
            submitted_at = application.submitted_at
            writer.writerow(
                [
                    application.pk,
                    _spreadsheet_safe(application.startup.name),
                    application.cohort.program.name,
                    application.cohort.name,
                    application.status,
                    country.code if country else "",
                    application.startup.stage,
                    application.created_at.isoformat(),
                    submitted_at.isoformat() if submitted_at else "",
                    application.updated_at.isoformat(),
                ]
            )
        return response
