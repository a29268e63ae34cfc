from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AdminTextareaWidget
from django.db import models
from django.http import Http404
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import (
    TranslationAdmin,
    TranslationStackedInline,
)
from rules.contrib.admin import (
    ObjectPermissionsInlineModelAdminMixin,
    ObjectPermissionsModelAdminMixin,
)

from accelerator.forms import ModelForm

from . import services
from .enums import FileType, Phase, Stage
from .models import (
    Cohort,
    CohortPartner,
    InterviewCriterion,
    Partner,
    Program,
    Question,
    RubricCriterion,
)
from .offsets import OffsetsField
from .registries import rubric_locks
from .selectors import staff_scope


class ManagedAdminMixin(ObjectPermissionsModelAdminMixin):
    """Permissions from cohorts/rules.py; program managers see only their own programs."""

    program_path = "program"  # from this admin's model to its Program

    def has_module_permission(self, request) -> bool:
        return self.has_view_permission(request)

    def get_queryset(self, request):
        return staff_scope(request.user).filter_by_program(
            super().get_queryset(request), self.program_path
        )

    def get_object(self, request, object_id, from_field=None):
        # Another program's object does not exist for this manager: 404, not the admin's
        # "perhaps it was deleted" redirect.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404
        return obj


@admin.register(Program)
class ProgramAdmin(ManagedAdminMixin, TranslationAdmin):
    list_display = ["name", "kind", "slug"]
    search_fields = ["name", "slug"]
    filter_horizontal = ["managers"]
    prepopulated_fields = {"slug": ["name_en"]}

    def get_queryset(self, request):
        queryset = admin.ModelAdmin.get_queryset(self, request)
        scope = staff_scope(request.user)
        return queryset if scope.is_superuser else queryset.filter(pk__in=scope.program_ids)

    def get_readonly_fields(self, request, obj=None):
        # Who manages a program is the superusers' call.
        return [] if request.user.is_superuser else ["managers", "slug", "kind"]

    def get_prepopulated_fields(self, request, obj=None):
        # A read-only slug is not in the form: prepopulating it would be a 500.
        if "slug" in self.get_readonly_fields(request, obj):
            return {}
        return super().get_prepopulated_fields(request, obj)


class CohortPartInline(ObjectPermissionsInlineModelAdminMixin, TranslationStackedInline):
    """Stacked: texts in two languages side by side in a table row overflow a 1280 px
    screen; stacked, short fields share a line and each text has its own."""

    extra = 0
    formfield_overrides = {models.TextField: {"widget": AdminTextareaWidget(attrs={"rows": 3})}}


class CohortPartnerInline(CohortPartInline):
    model = CohortPartner
    autocomplete_fields = ["partner"]
    fields = [("partner", "role", "display_order"), "contribution"]


class QuestionInlineForm(ModelForm):
    file_types = forms.MultipleChoiceField(
        label=_("Accepted file types"),
        choices=FileType.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("For file questions. None ticked: PDF only."),
    )

    class Meta:
        model = Question
        fields = "__all__"


class QuestionInline(CohortPartInline):
    model = Question
    form = QuestionInlineForm
    fields = [("order", "kind", "required", "is_example"), "label", "help_text", "word_limit",
              "choices", "file_types"]  # fmt: skip


class RubricCriterionInline(CohortPartInline):
    """Once reviews have started, the criteria are read-only: a score means something only on
    the rubric it was given on (the cohort page says why)."""

    model = RubricCriterion
    fields = [("order", "weight", "scale_max", "is_example"), "name", "guidance"]

    def _locked(self, obj) -> bool:
        return obj is not None and bool(rubric_locks(obj))

    def has_add_permission(self, request, obj=None) -> bool:
        return not self._locked(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None) -> bool:
        return not self._locked(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return not self._locked(obj) and super().has_delete_permission(request, obj)


class PhaseFilter(admin.SimpleListFilter):
    title = _("phase")
    parameter_name = "phase"

    def lookups(self, request, model_admin):
        return Phase.choices

    def queryset(self, request, queryset):
        if self.value() not in Phase.values:
            return queryset
        # The phase is derived by one function, never stored: filter with it.
        matching = [cohort.pk for cohort in queryset if cohort.phase() == self.value()]
        return queryset.filter(pk__in=matching)


class CohortAdminForm(ModelForm):
    required_stages = forms.MultipleChoiceField(
        label=_("Required stages"),
        choices=Stage.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("Stages a startup must be at to apply. None ticked: any stage."),
    )
    reminder_offsets = OffsetsField(
        label=_("Deadline reminders"),
        required=False,
        help_text=_(
            "When each draft's members are reminded, before the closing time: e.g. 7d, 2d, 3h "
            "(days, hours, minutes). Empty: no reminders."
        ),
    )

    class Meta:
        model = Cohort
        fields = "__all__"

    def clean(self):
        cleaned = super().clean()
        if "capacity" in self.changed_data and "capacity" in cleaned:
            # The admin's change view is one transaction: the row stays locked until saved.
            refusal = services.cohort_capacity_refusal(
                cohort_id=self.instance.pk, capacity=cleaned["capacity"]
            )
            if refusal:
                self.add_error("capacity", refusal)
        return cleaned


class InterviewCriterionInline(CohortPartInline):
    model = InterviewCriterion
    fields = [("order", "weight", "scale_max", "is_example"), "name", "guidance"]


@admin.register(Cohort)
class CohortAdmin(ManagedAdminMixin, TranslationAdmin):
    form = CohortAdminForm
    inlines = [CohortPartnerInline, QuestionInline, RubricCriterionInline,
               InterviewCriterionInline]  # fmt: skip
    list_display = ["name", "program", "year", "opens_at", "closes_at", "phase_display",
                    "is_published", "is_demo"]  # fmt: skip
    list_filter = ["program", PhaseFilter, "year", "is_published", "is_demo"]
    list_select_related = ["program"]
    search_fields = ["name", "slug", "program__name"]
    actions = ["duplicate_for_next_year"]
    fieldsets = [
        (None, {"fields": ["program", "name", "slug", "year", "is_published", "is_demo"]}),
        (
            _("Dates"),
            {
                "fields": [
                    "opens_at",
                    "closes_at",
                    "grace_minutes",
                    "reminder_offsets",
                    "reviews_close_at",
                    "decisions_at",
                    "program_starts_on",
                    "program_ends_on",
                ],
                "description": _("Times are in Paris time (Europe/Paris)."),
            },
        ),
        (
            _("Who can apply"),
            {"fields": ["applicant_kind", "region", "required_stages", "eligibility", "benefits"]},
        ),
        (
            _("Selection"),
            {"fields": ["capacity", "reviews_per_application", "blind_review"]},
        ),
    ]

    @admin.display(description=_("phase"))
    def phase_display(self, obj: Cohort) -> str:
        return obj.phase().label

    def change_view(self, request, object_id, form_url="", extra_context=None):
        cohort = self.get_object(request, object_id)
        locked = rubric_locks(cohort)
        if locked and request.method == "GET":
            messages.info(request, locked)
        return super().change_view(request, object_id, form_url, extra_context)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "program":
            kwargs["queryset"] = staff_scope(request.user).programs()
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.action(description=_("Duplicate for next year"), permissions=["add"])
    def duplicate_for_next_year(self, request, queryset) -> None:
        for cohort in queryset:
            copy = services.cohort_duplicate(cohort=cohort)
            self.log_addition(request, copy, [{"added": {}}])
            url = reverse("admin:cohorts_cohort_change", args=[copy.pk])
            self.message_user(
                request,
                format_html(
                    _(
                        "Created {name}, one year after {source}. It is unpublished: only its "
                        "program's staff see it until you publish it."
                    ),
                    name=format_html('<a href="{}">{}</a>', url, copy.name),
                    source=cohort.name,
                ),
                messages.SUCCESS,
            )


@admin.register(Partner)
class PartnerAdmin(ObjectPermissionsModelAdminMixin, TranslationAdmin):
    list_display = ["name", "slug", "website"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}

    def has_module_permission(self, request) -> bool:
        return self.has_view_permission(request)
