from modeltranslation.translator import TranslationOptions, register

from .models import InitialTask, Organisation


@register(Organisation)
class OrganisationTranslationOptions(TranslationOptions):
    fields = ("name", "city", "description")
    required_languages = {"default": ()}


@register(InitialTask)
class InitialTaskTranslationOptions(TranslationOptions):
    fields = ("title", "description")
    required_languages = {"default": ()}
