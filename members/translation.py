from modeltranslation.translator import TranslationOptions, register

from chapters import languages

from .models import ConsentStatement, InitialTask, Organisation


@register(Organisation)
class OrganisationTranslationOptions(TranslationOptions):
    fields = ("name", "city", "description")
    required_languages = {"default": ()}


@register(InitialTask)
class InitialTaskTranslationOptions(TranslationOptions):
    fields = ("title", "description")
    required_languages = {"default": ()}


@register(ConsentStatement)
class ConsentStatementTranslationOptions(TranslationOptions):
    # A representative reads the statement in their language: staff publish a
    # new version in every language. Older versions miss the languages added
    # after them, and are read in another one (field_in_language).
    fields = ("text",)
    required_languages = tuple(languages.codes())
