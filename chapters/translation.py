from modeltranslation.translator import TranslationOptions, register

from .models import Chapter


@register(Chapter)
class ChapterTranslationOptions(TranslationOptions):
    fields = (
        "name",
        "introduction",
        "why_cld",
        "host_organisation",
        "co_chairs",
        "membership_expectations",
    )
    required_languages = {"default": ()}
