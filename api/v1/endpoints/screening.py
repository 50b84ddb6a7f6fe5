"""The eligibility screener: the questionnaire, and the evaluation of a person's answers.

Thin views over `content_models.screening` (the rules of evaluation) and the selectors. The
questionnaire is a read like any other, cached and validated by the response cache. Answers
are health data: the evaluation reads them from the request body and forgets them. Nothing of
the request is written to the database, logged or cached (`Cache-Control: no-store`), and
error messages name the question at fault, never the answer sent.
"""

from django.conf import settings
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.response import Response
from rest_framework.views import APIView

from api import query_parameters
from api.authentication import api_client
from api.v1.schema import evaluate_schema, questionnaire_schema
from api.v1.serializers import screening as documents
from content_models import screening
from content_models.selectors import screening_guidance, screening_questions

# The collection the screener is made of: a partner's key must be licensed for it.
RULES = "eligibility-rules"
REQUEST_FIELDS = {"locale", "answers"}


class ScreenerNotSetUp(APIException):
    status_code = 503
    default_detail = (
        "The screener is not available: no screener guidance (disclaimer and crisis "
        "guidance) is published."
    )


class ScreenerView(APIView):
    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not api_client(request).may_read(RULES):
            raise NotFound(f"There is no endpoint at {request.path}.")

    @staticmethod
    def guidance(locale: str):
        guidance = screening_guidance(locale=locale)
        if guidance is None:
            # Never a result without its disclaimer, nor an urgent one without crisis guidance.
            raise ScreenerNotSetUp
        return guidance


class QuestionnaireView(ScreenerView):
    """The questionnaire: the questions in order, each with where every answer leads."""

    @questionnaire_schema
    def get(self, request):
        query_parameters.reject_unknown(request, {"locale", "format"})
        locale = query_parameters.locale(request)
        guidance = self.guidance(locale)
        questions = screening_questions(locale=locale)
        return Response(documents.questionnaire(questions, guidance, locale, request))


class EvaluateView(ScreenerView):
    """The outcome of a person's answers; see the module docstring for what is kept (nothing)."""

    @evaluate_schema
    def post(self, request):
        query_parameters.reject_unknown(request, {"format"})
        body = request.data
        if not isinstance(body, dict):
            raise ValidationError({"body": ["Must be a JSON object with 'answers'."]})
        unknown = sorted(set(body) - REQUEST_FIELDS)
        if unknown:
            raise ValidationError(
                {name: ["Unknown field. Known: answers, locale."] for name in unknown}
            )
        if "answers" not in body:
            raise ValidationError({"answers": ["This field is required."]})
        locale = body.get("locale", settings.LANGUAGE_CODE)
        if locale not in query_parameters.content_languages():
            raise ValidationError(
                {"locale": [f"Must be one of: {', '.join(query_parameters.content_languages())}."]}
            )
        guidance = self.guidance(locale)
        questions = screening_questions(locale=locale)
        try:
            answers = screening.parse_answers(questions, body["answers"])
        except screening.InvalidAnswers as error:
            raise ValidationError(error.errors) from None
        result = screening.evaluate(questions, answers)
        return Response(
            documents.evaluation(result, guidance, locale, request),
        )

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Errors too: they name the questions a person answered.
        response["Cache-Control"] = "no-store, private"
        return response
