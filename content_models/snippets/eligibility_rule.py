import re
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

from ..enums import AnswerType, RuleKind, ScreeningOutcome
from ..screening import (
    AT_BEST_WITHOUT_AN_ANSWER,
    most_restrictive,
    number_range_label,
    rank,
    rule_answers,
)
from .base import (
    LIVE_FILTER_FIELDS,
    MedicallyReviewed,
    PublishableSnippet,
    ReferenceLink,
    TreatmentFormLink,
    errors_from,
    live_item_indexes,
    title_panel,
)

YES_NO_CHOICES = [(True, "Yes"), (False, "No")]

# How messages name a question of each answer type.
QUESTION_OF_TYPE = {
    AnswerType.YES_NO: "A yes/no question",
    AnswerType.NUMBER: "A number question",
    AnswerType.CHOICE: "A choice question",
}
# An option's value: what a front end sends, the same in every language.
OPTION_VALUE = re.compile(r"^[a-z0-9]+(?:[-_][a-z0-9]+)*$")
OUTCOME_LABELS = dict(ScreeningOutcome.choices)
TRIGGERS_HELP = (
    "Tick if this answer is what the rule is about: for a contraindication or precaution, the "
    "answer that raises the concern; for an indication, the answer that shows the reason "
    "ketamine may help."
)


class AnswerOptionBlock(blocks.StructBlock):
    """One answer a patient can pick, and where picking it leads."""

    def render_basic(self, value, context=None):
        suffix = " (triggers the rule)" if value["triggers_rule"] else ""
        outcome = OUTCOME_LABELS.get(value["outcome"], "no outcome chosen")
        return format_html("{}{}: {}", value["label"], suffix, outcome)

    value = blocks.RegexBlock(
        regex=OPTION_VALUE.pattern,
        max_length=50,
        error_messages={
            "invalid": "Use lower-case letters, digits and hyphens only, e.g. 'not-controlled'."
        },
        help_text="What a web site or app sends for this answer, e.g. 'not-controlled': "
        "the same in every language. Do not change it once published.",
    )
    label = blocks.CharBlock(max_length=200, help_text="As the patient reads it.")
    triggers_rule = blocks.BooleanBlock(required=False, help_text=TRIGGERS_HELP)
    outcome = blocks.ChoiceBlock(
        choices=ScreeningOutcome.choices, help_text="Where picking this answer leads."
    )

    class Meta:
        icon = "list-ul"


class NumberRangeBlock(blocks.StructBlock):
    """A range of numbers a patient can give, and where a number in it leads."""

    def render_basic(self, value, context=None):
        suffix = " (triggers the rule)" if value["triggers_rule"] else ""
        outcome = OUTCOME_LABELS.get(value["outcome"], "no outcome chosen")
        label = number_range_label(value["minimum"], value["maximum"])
        return format_html("{}{}: {}", label, suffix, outcome)

    minimum = blocks.FloatBlock(
        required=False, help_text="The lowest number in this range. Empty: no lower limit."
    )
    maximum = blocks.FloatBlock(
        required=False, help_text="The highest number in this range. Empty: no upper limit."
    )
    triggers_rule = blocks.BooleanBlock(required=False, help_text=TRIGGERS_HELP)
    outcome = blocks.ChoiceBlock(
        choices=ScreeningOutcome.choices, help_text="Where a number in this range leads."
    )

    class Meta:
        icon = "order"


def outcome_field(**kwargs) -> models.CharField:
    return models.CharField(max_length=30, choices=ScreeningOutcome.choices, **kwargs)


class EligibilityRule(MedicallyReviewed, PublishableSnippet):
    """A screening question and the outcome each of its answers leads to.

    Structured so that a program can evaluate a patient's answers without reading the prose
    (`content_models/screening.py`): each yes/no answer, each option and each number range
    leads to its own outcome, and so do "not sure" and "not answered".
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
        help_text="Why this matters for ketamine treatment, in plain words. The screener shows "
        "it as the reason for the outcome."
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
    position = models.PositiveIntegerField(
        default=0,
        help_text="Where the question comes in the questionnaire: lower numbers come first.",
    )
    required = models.BooleanField(
        default=True,
        help_text="The patient must answer it: left out, it leads to the outcome for 'Not "
        "answered' below. Untick only for a question whose answer never rules anything out.",
    )
    triggering_answer = models.BooleanField(
        null=True,
        blank=True,
        choices=YES_NO_CHOICES,
        verbose_name="yes/no answer that triggers the rule",
        help_text="The answer the rule is about, e.g. 'Yes' to 'Are you pregnant?'.",
    )
    outcome_if_yes = outcome_field(blank=True, verbose_name="if the answer is yes")
    outcome_if_no = outcome_field(blank=True, verbose_name="if the answer is no")
    number_ranges = StreamField(
        [("range", NumberRangeBlock())],
        blank=True,
        help_text="For a number answer: ranges of numbers (both ends included) and where each "
        "leads. A number in no range leads to the outcome for 'Not sure'.",
    )
    number_unit = models.CharField(
        max_length=50, blank=True, help_text="For a number answer, e.g. 'medicines' or 'mmHg'."
    )
    answer_options = StreamField(
        [("option", AnswerOptionBlock())],
        blank=True,
        help_text="For a choice answer: every option the patient can pick.",
    )
    unsure_outcome = outcome_field(
        default=ScreeningOutcome.CLINICIAN_REVIEW,
        verbose_name="if the patient is not sure",
        help_text="Never 'Possible candidate': a clinician must decide what is not known.",
    )
    unanswered_outcome = outcome_field(
        default=ScreeningOutcome.CLINICIAN_REVIEW,
        verbose_name="if a required question is not answered",
        help_text="Never 'Possible candidate': a clinician must decide what is not known.",
    )
    # Derived on save: the most restrictive outcome of the answers that trigger the rule,
    # which the API's lists filter and order by ("the outcome the rule leads to").
    outcome = outcome_field(editable=False, verbose_name="outcome when triggered")

    panels: ClassVar = [
        title_panel("title"),
        PublishableSnippet.slug_panel,
        FieldPanel("kind"),
        FieldPanel("summary"),
        FieldPanel("rationale"),
        MultiFieldPanel(
            [
                FieldPanel("question"),
                FieldPanel("answer_type"),
                FieldRowPanel([FieldPanel("position"), FieldPanel("required")]),
            ],
            heading="Screening question",
        ),
        MultiFieldPanel(
            [
                FieldPanel("triggering_answer"),
                FieldRowPanel([FieldPanel("outcome_if_yes"), FieldPanel("outcome_if_no")]),
            ],
            heading="If the answer is yes or no",
            help_text="Leave empty for other answer types.",
        ),
        MultiFieldPanel(
            [FieldPanel("number_ranges"), FieldPanel("number_unit")],
            heading="If the answer is a number",
            help_text="Leave empty for other answer types.",
        ),
        MultiFieldPanel(
            [FieldPanel("answer_options")],
            heading="If the answer is one of several options",
            help_text="Leave empty for other answer types.",
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("unsure_outcome"), FieldPanel("unanswered_outcome")])],
            heading="If the patient is not sure, or does not answer",
        ),
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
        ordering: ClassVar = ["position", "title"]
        indexes: ClassVar = live_item_indexes(ordering)

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        self.outcome = self.triggered_outcome()
        super().save(*args, **kwargs)

    def triggered_outcome(self) -> str:
        """The most restrictive outcome of the answers that trigger the rule (the outcome for
        'not sure' while none does)."""
        triggered = [answer.outcome for answer in rule_answers(self) if answer.triggers_rule]
        return most_restrictive(triggered) or self.unsure_outcome or ""

    def clean(self):
        errors = errors_from(super().clean)
        for field, message in [
            *self.question_problems(),
            *self.other_answer_type_problems(),
            *self.outcome_problems(),
        ]:
            errors.setdefault(field, []).append(message)
        if errors:
            raise ValidationError(errors)

    def question_problems(self):
        if self.answer_type == AnswerType.YES_NO:
            if self.triggering_answer is None:
                yield "triggering_answer", "Say whether 'Yes' or 'No' triggers this rule."
            if not self.outcome_if_yes:
                yield "outcome_if_yes", "Choose where the answer 'Yes' leads."
            if not self.outcome_if_no:
                yield "outcome_if_no", "Choose where the answer 'No' leads."
        if self.answer_type == AnswerType.NUMBER:
            yield from self.number_range_problems()
        if self.answer_type == AnswerType.CHOICE:
            yield from self.option_problems()

    def number_range_problems(self):
        ranges = [block.value for block in self.number_ranges]
        if not ranges:
            yield "number_ranges", "Give at least one range of numbers and where it leads."
            return
        for position, value in enumerate(ranges, start=1):
            low, high = value["minimum"], value["maximum"]
            if low is None and high is None:
                yield (
                    "number_ranges",
                    f"Range {position}: give its lowest or highest number, or both.",
                )
            elif low is not None and high is not None and low > high:
                yield "number_ranges", f"Range {position}: its lowest number is above its highest."
        bounded = [
            (value["minimum"], value["maximum"])
            for value in ranges
            if value["minimum"] is not None or value["maximum"] is not None
        ]
        for first in range(len(bounded)):
            for second in range(first + 1, len(bounded)):
                if _overlap(bounded[first], bounded[second]):
                    yield (
                        "number_ranges",
                        f"Ranges {first + 1} and {second + 1} overlap: a number must lead to "
                        "one outcome only.",
                    )
        if not any(value["triggers_rule"] for value in ranges):
            yield "number_ranges", "Tick the range or ranges that trigger this rule."

    def option_problems(self):
        options = [block.value for block in self.answer_options]
        if len(options) < 2:
            yield "answer_options", "A choice question needs at least two answers to pick from."
            return
        values = [option["value"] for option in options]
        repeated = sorted({value for value in values if value and values.count(value) > 1})
        if repeated:
            yield (
                "answer_options",
                f"Each answer needs its own value: {', '.join(repeated)} is used twice.",
            )
        if not any(option["triggers_rule"] for option in options):
            yield "answer_options", "Tick the answer or answers that trigger this rule."

    def other_answer_type_problems(self):
        """Answers filled in for another answer type: the rule would carry two contradictory
        answers to what leads where."""
        question = QUESTION_OF_TYPE.get(self.answer_type)
        if question is None:  # no answer type chosen yet: its own field error says so
            return
        if self.answer_type != AnswerType.YES_NO:
            for field in ("triggering_answer", "outcome_if_yes", "outcome_if_no"):
                if getattr(self, field) not in (None, ""):
                    yield (
                        field,
                        f"{question} has no yes/no answers: clear this or change the answer type.",
                    )
        if self.answer_type != AnswerType.NUMBER:
            if len(self.number_ranges):
                yield (
                    "number_ranges",
                    f"{question} has no number ranges: remove them or change the answer type.",
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
        """What would make the screener say more than a clinician would: each answer's
        outcome checked against what the rule is (its kind) and what the answer means."""
        field_of_type = {
            AnswerType.YES_NO: None,
            AnswerType.NUMBER: "number_ranges",
            AnswerType.CHOICE: "answer_options",
        }
        for answer in rule_answers(self) if self.answer_type in field_of_type else ():
            field = field_of_type[self.answer_type] or f"outcome_if_{answer.value}"
            message = self.answer_problem(answer)
            if message:
                yield field, message
        for field, name in (
            ("unsure_outcome", "Not being sure"),
            ("unanswered_outcome", "A question left unanswered"),
        ):
            outcome = getattr(self, field)
            if outcome and rank(outcome) > rank(AT_BEST_WITHOUT_AN_ANSWER):
                yield (
                    field,
                    f"{name} can never lead to 'Possible candidate': a clinician must decide "
                    "what is not known.",
                )
        leads_to_urgent = any(
            answer.outcome == ScreeningOutcome.URGENT for answer in rule_answers(self)
        )
        if not self.required and self.kind == RuleKind.ABSOLUTE_CONTRAINDICATION:
            yield (
                "required",
                "An absolute contraindication must be asked of everyone: tick 'Required'.",
            )
        elif not self.required and leads_to_urgent:
            yield (
                "required",
                "A question whose answer can be urgent must be asked of everyone: tick 'Required'.",
            )

    def answer_problem(self, answer) -> str | None:
        """Why an answer may not lead where it does, in a clinician's words; None if it may."""
        outcome = OUTCOME_LABELS[answer.outcome]
        hopeful = answer.outcome == ScreeningOutcome.POSSIBLE_CANDIDATE
        if answer.triggers_rule and self.kind == RuleKind.ABSOLUTE_CONTRAINDICATION:
            if rank(answer.outcome) > rank(ScreeningOutcome.NOT_ELIGIBLE):
                return (
                    f"The answer '{answer.label}' is what makes this an absolute "
                    "contraindication, so it must lead to 'Not eligible' (or 'Urgent'): "
                    f"ketamine must not be given. It now leads to '{outcome}'."
                )
        elif answer.triggers_rule and self.kind != RuleKind.INDICATION and hopeful:
            kind = dict(RuleKind.choices).get(self.kind, "rule").lower()
            return (
                f"The answer '{answer.label}' is what this {kind} is about, so it cannot "
                "lead to 'Possible candidate': at least a clinician must decide."
            )
        elif not answer.triggers_rule and self.kind == RuleKind.INDICATION and hopeful:
            return (
                f"The answer '{answer.label}' does not show the reason for treatment, so "
                "it cannot lead to 'Possible candidate': a clinician must decide."
            )
        return None


def _overlap(first, second) -> bool:
    """Whether two ranges (lowest, highest; None for no limit) share a number."""
    low = max((bound for bound in (first[0], second[0]) if bound is not None), default=None)
    high = min((bound for bound in (first[1], second[1]) if bound is not None), default=None)
    return low is None or high is None or low <= high


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
