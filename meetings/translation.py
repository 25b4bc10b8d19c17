from modeltranslation.translator import TranslationOptions, register

from .models import (
    AgendaItem,
    AgendaNote,
    Decision,
    DefaultAgendaItem,
    Engagement,
    Meeting,
    Minutes,
)


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


@register(AgendaNote)
class AgendaNoteTranslationOptions(TranslationOptions):
    # The version too: each language's text is saved, and checked against
    # a stale save, on its own (meetings.services.notes).
    fields = ("text", "version")
    required_languages = {"default": ()}


@register(Decision)
class DecisionTranslationOptions(TranslationOptions):
    fields = ("text",)
    required_languages = {"default": ()}


@register(Minutes)
class MinutesTranslationOptions(TranslationOptions):
    fields = ("summary",)
    required_languages = {"default": ()}


@register(Engagement)
class EngagementTranslationOptions(TranslationOptions):
    fields = ("title", "summary")
    required_languages = {"default": ()}
