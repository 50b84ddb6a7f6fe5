from decimal import Decimal
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.html import format_html
from modelcluster.fields import ParentalKey
from wagtail import blocks
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.fields import StreamField
from wagtail.search import index

from ..enums import AnswerType, RuleKind, RuleOutcome
from .base import (
    LIVE_FILTER_FIELDS,
    MedicallyReviewed,
    PublishableSnippet,
    ReferenceLink,
    TreatmentFormLink,
    errors_from,
    title_panel,
)

YES_NO_CHOICES = [(True, "Yes"), (False, "No")]

# How messages name a question of each answer type.
QUESTION_OF_TYPE = {
    AnswerType.YES_NO: "A yes/no question",
    AnswerType.NUMBER: "A number question",
    AnswerType.CHOICE: "A choice question",
}


class AnswerOptionBlock(blocks.StructBlock):
    """One answer a patient can pick, and whether picking it triggers the rule."""

    def render_basic(self, value, context=None):
        suffix = " (triggers the rule)" if value["triggers_rule"] else ""
        return format_html("{}{}", value["label"], suffix)

    label = blocks.CharBlock(max_length=200, help_text="As the patient reads it.")
    triggers_rule = blocks.BooleanBlock(
        required=False, help_text="Tick if choosing this answer triggers the rule."
    )

    class Meta:
        icon = "list-ul"


class EligibilityRule(MedicallyReviewed, PublishableSnippet):
    """A screening question and the eligibility outcome its answers lead to.

    Structured so that a program can evaluate a patient's answer (`is_triggered_by`) without
    reading the prose: yes/no, a number within bounds, or one of listed options.
    """

    title = models.CharField(max_length=200, help_text="e.g. 'Uncontrolled high blood pressure'.")
    kind = models.CharField(
        max_length=30,
        choices=RuleKind.choices,
        help_text="Absolute contraindication: ketamine must not be given. Relative "
        "contraindication: ketamine is usually avoided unless a clinician judges that the "
        "benefit outweighs the risk. Precaution: ketamine can be given with extra care or "
        "checks. Indication: a reason ketamine may help.",
    )
    summary = models.TextField(help_text="One or two plain sentences shown in lists.")
    rationale = models.TextField(
        help_text="Why this matters for ketamine treatment, in plain words."
    )
    question = models.CharField(
        max_length=300,
        help_text="The screening question the patient answers, e.g. 'Are you pregnant?'",
    )
    answer_type = models.CharField(
        max_length=10,
        choices=AnswerType.choices,
        help_text="How the patient answers: yes or no, a number (e.g. how many medicines), or "
        "one of several options.",
    )
    triggering_answer = models.BooleanField(
        null=True,
        blank=True,
        choices=YES_NO_CHOICES,
        verbose_name="yes/no answer that triggers the rule",
    )
    number_trigger_min = models.DecimalField(
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        verbose_name="triggered from (inclusive)",
        help_text="For a number answer: the lowest value that triggers the rule.",
    )
    number_trigger_max = models.DecimalField(
        max_digits=9,
        decimal_places=2,
        null=True,
        blank=True,
        verbose_name="triggered up to (inclusive)",
        help_text="For a number answer: the highest value that triggers the rule.",
    )
    number_unit = models.CharField(
        max_length=50, blank=True, help_text="For a number answer, e.g. 'medicines' or 'mmHg'."
    )
    answer_options = StreamField(
        [("option", AnswerOptionBlock())],
        blank=True,
        help_text="For a choice answer: every option the patient can pick.",
    )
    outcome = models.CharField(
        max_length=30,
        choices=RuleOutcome.choices,
        help_text="What follows when the patient's answer triggers this rule.",
    )

    panels: ClassVar = [
        title_panel("title"),
        PublishableSnippet.slug_panel,
        FieldPanel("kind"),
        FieldPanel("summary"),
        FieldPanel("rationale"),
        MultiFieldPanel(
            [FieldPanel("question"), FieldPanel("answer_type")], heading="Screening question"
        ),
        MultiFieldPanel(
            [FieldPanel("triggering_answer")],
            heading="If the answer is yes or no",
            help_text="Leave empty for other answer types.",
        ),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [
                        FieldPanel("number_trigger_min"),
                        FieldPanel("number_trigger_max"),
                        FieldPanel("number_unit"),
                    ]
                )
            ],
            heading="If the answer is a number",
            help_text="Leave empty for other answer types.",
        ),
        MultiFieldPanel(
            [FieldPanel("answer_options")],
            heading="If the answer is one of several options",
            help_text="Leave empty for other answer types.",
        ),
        FieldPanel("outcome"),
        InlinePanel("treatment_form_links", heading="Applies to", label="Treatment form"),
        InlinePanel("reference_links", heading="References", label="Reference", min_num=1),
        *MedicallyReviewed.review_panels,
    ]
    search_fields: ClassVar = [
        index.SearchField("title", boost=3),
        index.AutocompleteField("title"),
        index.SearchField("question"),
        index.SearchField("summary"),
        index.SearchField("rationale"),
        index.FilterField("kind"),
        index.FilterField("outcome"),
        *MedicallyReviewed.review_search_fields,
        *LIVE_FILTER_FIELDS,
    ]

    class Meta(PublishableSnippet.Meta):
        ordering: ClassVar = ["title"]

    def __str__(self):
        return self.title

    def is_triggered_by(self, answer) -> bool:
        """Whether a patient's answer (bool, number or option label) triggers this rule."""
        if self.answer_type == AnswerType.YES_NO:
            return answer is self.triggering_answer
        if self.answer_type == AnswerType.NUMBER:
            value = Decimal(str(answer))
            above_min = self.number_trigger_min is None or value >= self.number_trigger_min
            below_max = self.number_trigger_max is None or value <= self.number_trigger_max
            return above_min and below_max
        return answer in self.triggering_options

    @property
    def triggering_options(self) -> list[str]:
        return [
            option.value["label"] for option in self.answer_options if option.value["triggers_rule"]
        ]

    def clean(self):
        errors = errors_from(super().clean)
        for field, message in [*self.question_problems(), *self.outcome_problems()]:
            errors.setdefault(field, []).append(message)
        if errors:
            raise ValidationError(errors)

    def question_problems(self):
        yield from self.other_answer_type_problems()
        if self.answer_type == AnswerType.YES_NO and self.triggering_answer is None:
            yield "triggering_answer", "Say whether 'Yes' or 'No' triggers this rule."
        if self.answer_type == AnswerType.NUMBER:
            low, high = self.number_trigger_min, self.number_trigger_max
            if low is None and high is None:
                yield (
                    "number_trigger_min",
                    "Give the lowest or highest value that triggers this rule.",
                )
            elif low is not None and high is not None and low > high:
                yield "number_trigger_min", "The lowest triggering value is above the highest."
        if self.answer_type == AnswerType.CHOICE:
            if len(self.answer_options) < 2:
                yield "answer_options", "A choice question needs at least two answers to pick from."
            elif not self.triggering_options:
                yield "answer_options", "Tick the answer or answers that trigger this rule."

    def other_answer_type_problems(self):
        """Triggers filled in for another answer type: the rule would carry two contradictory
        answers to what triggers it."""
        question = QUESTION_OF_TYPE.get(self.answer_type)
        if question is None:  # no answer type chosen yet: its own field error says so
            return
        if self.answer_type != AnswerType.YES_NO and self.triggering_answer is not None:
            yield (
                "triggering_answer",
                f"{question} has no yes/no trigger: clear this answer or change the answer type.",
            )
        if self.answer_type != AnswerType.NUMBER:
            for field in ("number_trigger_min", "number_trigger_max"):
                if getattr(self, field) is not None:
                    yield (
                        field,
                        f"{question} has no number range: clear the trigger range or change "
                        "the answer type.",
                    )
            if self.number_unit:
                yield (
                    "number_unit",
                    f"{question} has no unit: clear the unit or change the answer type.",
                )
        if self.answer_type != AnswerType.CHOICE and len(self.answer_options):
            yield (
                "answer_options",
                f"{question} has no answer options: remove them or change the answer type.",
            )

    def outcome_problems(self):
        # An indication can only ever support treatment, and a reason for caution never can.
        if self.kind == RuleKind.INDICATION and self.outcome != RuleOutcome.SUPPORTS_ELIGIBILITY:
            yield "outcome", "An indication can only lead to 'Supports eligibility'."
        elif self.kind != RuleKind.INDICATION and self.outcome == RuleOutcome.SUPPORTS_ELIGIBILITY:
            yield "outcome", "A contraindication or precaution cannot support eligibility."
        elif (
            self.kind == RuleKind.ABSOLUTE_CONTRAINDICATION
            and self.outcome != RuleOutcome.NOT_ELIGIBLE
        ):
            yield "outcome", "An absolute contraindication must lead to 'Not eligible'."


class EligibilityRuleTreatmentForm(TreatmentFormLink):
    rule = ParentalKey(
        EligibilityRule, on_delete=models.CASCADE, related_name="treatment_form_links"
    )
    treatment_form = models.ForeignKey(
        "content_models.TreatmentForm",
        on_delete=models.CASCADE,
        related_name="eligibility_rule_links",
    )


class EligibilityRuleReference(ReferenceLink):
    rule = ParentalKey(EligibilityRule, on_delete=models.CASCADE, related_name="reference_links")
