from modeltranslation.translator import TranslationOptions, register

from .models import AgendaItem, DefaultAgendaItem, Meeting


@register(DefaultAgendaItem)
class DefaultAgendaItemTranslationOptions(TranslationOptions):
    fields = ("title", "notes")
    required_languages = {"default": ()}


@register(Meeting)
class MeetingTranslationOptions(TranslationOptions):
    fields = ("title", "description", "city")
    required_languages = {"default": ()}


@register(AgendaItem)
class AgendaItemTranslationOptions(TranslationOptions):
    fields = ("title", "notes")
    required_languages = {"default": ()}
