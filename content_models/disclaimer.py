"""The "not medical advice" notice every clinical item and article carries, in each content
language: patient information describes; a clinician who has assessed the person decides."""

DISCLAIMERS = {
    "en": (
        "This is general information about ketamine therapy, not medical advice. It cannot "
        "tell you whether a treatment is right for you: a clinician who has assessed you "
        "decides. In an emergency, call your local emergency number."
    ),
    "es": (
        "Esta es información general sobre la terapia con ketamina, no consejo médico. No "
        "puede decirle si un tratamiento es adecuado para usted: lo decide un profesional "
        "sanitario que le haya evaluado. En una emergencia, llame al número de emergencias "
        "de su zona."
    ),
}


def disclaimer(language_code: str) -> str:
    """The notice in `language_code`, in English for a language it has not been written in."""
    return DISCLAIMERS.get(language_code, DISCLAIMERS["en"])
