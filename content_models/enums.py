"""Choices shared by the models, the admin and the API: one spelling of each value everywhere."""

from django.db import models


class Route(models.TextChoices):
    INTRAVENOUS = "intravenous", "Intravenous (into a vein)"
    INTRAMUSCULAR = "intramuscular", "Intramuscular (into a muscle)"
    INTRANASAL = "intranasal", "Intranasal (nasal spray)"
    SUBLINGUAL = "sublingual", "Sublingual (dissolved under the tongue)"
    ORAL = "oral", "Oral (swallowed)"


class ProcessPhase(models.TextChoices):
    BEFORE = "before", "Before the session"
    DURING = "during", "During the session"
    AFTER = "after", "After the session"
    FOLLOW_UP = "follow_up", "Follow-up"


class Frequency(models.TextChoices):
    COMMON = "common", "Common"
    UNCOMMON = "uncommon", "Uncommon"
    RARE = "rare", "Rare"


class Severity(models.TextChoices):
    MILD = "mild", "Mild"
    MODERATE = "moderate", "Moderate"
    SEVERE = "severe", "Severe"


class Timing(models.TextChoices):
    DURING = "during", "During the session"
    AFTER = "after", "In the hours after a session"
    LONG_TERM = "long_term", "Long term"


class RuleKind(models.TextChoices):
    ABSOLUTE_CONTRAINDICATION = "absolute_contraindication", "Absolute contraindication"
    RELATIVE_CONTRAINDICATION = "relative_contraindication", "Relative contraindication"
    PRECAUTION = "precaution", "Precaution"
    INDICATION = "indication", "Indication"


class AnswerType(models.TextChoices):
    YES_NO = "yes_no", "Yes or no"
    NUMBER = "number", "A number"
    CHOICE = "choice", "One of several options"


class ScreeningOutcome(models.TextChoices):
    """Where an answer to a screening question leads, most restrictive first: the screener's
    overall outcome is the first of these that any answer leads to (`screening.py`)."""

    URGENT = "urgent", "Urgent: seek help now (the crisis guidance is shown)"
    NOT_ELIGIBLE = "not_eligible", "Not eligible: ketamine must not be given"
    CLINICIAN_REVIEW = "clinician_review", "A clinician needs to decide"
    POSSIBLE_CANDIDATE = (
        "possible_candidate",
        "Possible candidate: this answer does not stand in the way (a clinician still decides)",
    )


# Most restrictive first: an outcome's place here is how strongly it holds a person back.
OUTCOME_ORDER = tuple(ScreeningOutcome)


class EvidenceStrength(models.TextChoices):
    STRONG = "strong", "Strong (consistent results in clinical trials)"
    MODERATE = "moderate", "Moderate (some trials, less consistent)"
    EMERGING = "emerging", "Emerging (early studies or clinical experience)"


class Basis(models.TextChoices):
    """Where a classification (a frequency, a severity, a strength of evidence, a setting, a
    regulatory status) comes from, so that a reader is never shown the editor's judgement as
    if a source had said it."""

    SOURCE = "source", "Stated in a cited source"
    EDITORIAL = "editorial", "Editor's judgement (no cited source states it)"


class RegulatoryStatus(models.TextChoices):
    """Whether a medicines regulator has approved this form for the use the content is about
    (depression): the regulator and the use are named in the form's regulatory note."""

    APPROVED = "approved", "Approved for this use"
    OFF_LABEL = "off_label", "Used off-label (not approved for this use)"


class ReferenceKind(models.TextChoices):
    TRIAL = "trial", "Clinical trial"
    REVIEW = "review", "Review"
    GUIDELINE = "guideline", "Guideline"
    INSTITUTIONAL_PAGE = "institutional_page", "Institutional page"
    NEWS = "news", "News"


class FaqTopic(models.TextChoices):
    ABOUT_KETAMINE = "about_ketamine", "About ketamine"
    HOW_IT_WORKS = "how_it_works", "How it works"
    TREATMENT_PROCESS = "treatment_process", "The treatment process"
    SIDE_EFFECTS = "side_effects", "Side effects"
    ELIGIBILITY = "eligibility", "Who can have it"
    COMPARISONS = "comparisons", "Compared with other treatments"


class CalloutLevel(models.TextChoices):
    INFO = "info", "Information"
    WARNING = "warning", "Warning"
    URGENT = "urgent", "Urgent: seek help now"


class HeadingLevel(models.TextChoices):
    H2 = "h2", "Section heading"
    H3 = "h3", "Subheading"


class CareSetting(models.TextChoices):
    CLINIC = "clinic", "In clinic"
    SUPERVISED_AT_HOME = "supervised_at_home", "At home, under the clinic's supervision"


# The treatment form field that records each setting.
CARE_SETTING_FIELDS = {
    CareSetting.CLINIC: "given_in_clinic",
    CareSetting.SUPERVISED_AT_HOME: "given_at_home",
}


class ChangeAction(models.TextChoices):
    """What happened to an item, as the change log records it for syndication."""

    PUBLISHED = "published", "Published"
    UPDATED = "updated", "Updated"
    UNPUBLISHED = "unpublished", "Unpublished"
    DELETED = "deleted", "Deleted"


class ReviewStatus(models.TextChoices):
    """Whether a medical review stands behind the text the public reads (`review.py`)."""

    REVIEWED = "reviewed", "Reviewed"
    OVERDUE = "overdue", "Review overdue"
    NOT_REVIEWED = "not_reviewed", "Not reviewed"
