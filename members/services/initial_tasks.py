"""A chapter's initial tasks: suggested defaults, organisers' edits, and
member organisations volunteering. Tasks are for members and organisers;
nothing here is public."""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from chapters.audit import audit_log
from chapters.languages import Language, codes, localized
from chapters.models import Chapter

from ..models import (
    ConfirmationLink,
    InitialTask,
    Membership,
    Organisation,
    Representative,
    Volunteering,
)


@dataclass(frozen=True)
class SuggestedTask:
    key: str
    # {language code: (title, description)}
    texts: dict[str, tuple[str, str]]

    def values(self) -> dict[str, str]:
        """The task's translated columns, empty in a language it lacks."""
        values = {}
        for code in codes():
            title, description = self.texts.get(code, ("", ""))
            values[f"title_{code}"] = title
            values[f"description_{code}"] = description
        return values


# Drawn from the movement's practice (the seed's last agenda item and the
# chapters' usual first steps). Content, not interface text: stored on the
# task in each language it is written in (title, description), and edited
# by the organisers; a site language missing here shows another's.
SUGGESTED_TASKS = [
    SuggestedTask(
        "next_meeting",
        {
            Language.ENGLISH: (
                "Coordinate the next meeting",
                "Agree on a date, a host and an agenda for the chapter's next "
                "meeting, and invite the member organisations.",
            ),
            Language.ARABIC: (
                "تنسيق الاجتماع القادم",
                "الاتفاق على موعد الاجتماع القادم للفرع والجهة المضيفة وجدول الأعمال، "
                "ودعوة المنظمات الأعضاء.",
            ),
            Language.FRENCH: (
                "Coordonner la prochaine réunion",
                "Convenir d’une date, d’une organisation hôte et d’un ordre du jour pour la prochaine réunion du chapitre, et inviter les organisations membres.",
            ),
        },
    ),
    SuggestedTask(
        "terms_of_reference",
        {
            Language.ENGLISH: (
                "Draft the chapter's terms of reference",
                "Write down the chapter's purpose, how decisions are taken, the "
                "interim co-chairs' role and what membership means.",
            ),
            Language.ARABIC: (
                "صياغة الإطار المرجعي للفرع",
                "كتابة غاية الفرع وطريقة اتخاذ القرار ودور الرئاسة المشتركة المؤقتة "
                "ومعنى العضوية.",
            ),
            Language.FRENCH: (
                "Rédiger les termes de référence du chapitre",
                "Mettre par écrit la raison d’être du chapitre, son mode de prise de décision, le rôle de la coprésidence par intérim et ce qu’implique l’adhésion.",
            ),
        },
    ),
    SuggestedTask(
        "map_programmes",
        {
            Language.ENGLISH: (
                "Map community-led programmes in the country",
                "List the community-led programmes the members know of, with their "
                "places and results, to share best practices.",
            ),
            Language.ARABIC: (
                "رصد برامج التنمية التي تقودها المجتمعات المحلية في الدولة",
                "إعداد قائمة ببرامج التنمية التي تقودها المجتمعات المحلية التي يعرفها "
                "الأعضاء، بأماكنها ونتائجها، لتبادل أفضل الممارسات.",
            ),
            Language.FRENCH: (
                "Recenser les programmes de développement conduit par les communautés dans le pays",
                "Dresser la liste des programmes de développement conduit par les communautés que connaissent les membres, avec leurs lieux et leurs résultats, afin de partager les bonnes pratiques.",
            ),
        },
    ),
    SuggestedTask(
        "parliamentary_visit",
        {
            Language.ENGLISH: (
                "Prepare a parliamentary visit to a successful project",
                "Choose a successful community-led project and prepare a visit for "
                "members of parliament.",
            ),
            Language.ARABIC: (
                "التحضير لزيارة برلمانية لمشروع ناجح",
                "اختيار مشروع ناجح تقوده المجتمعات المحلية والتحضير لزيارة يقوم بها "
                "أعضاء البرلمان.",
            ),
            Language.FRENCH: (
                "Préparer une visite parlementaire d’un projet réussi",
                "Choisir un projet réussi conduit par les communautés et préparer une visite à l’intention des parlementaires.",
            ),
        },
    ),
    SuggestedTask(
        "undp_sdgs",
        {
            Language.ENGLISH: (
                "Liaise with UNDP on SDG localisation",
                "Meet the UNDP country office about localising the Sustainable "
                "Development Goals and the chapter's possible contribution.",
            ),
            Language.ARABIC: (
                "التواصل مع برنامج الأمم المتحدة الإنمائي بشأن توطين أهداف التنمية "
                "المستدامة",
                "لقاء المكتب القُطري لبرنامج الأمم المتحدة الإنمائي بشأن توطين أهداف "
                "التنمية المستدامة وما يمكن أن يسهم به الفرع.",
            ),
            Language.FRENCH: (
                "Assurer la liaison avec le PNUD sur la localisation des ODD",
                "Rencontrer le bureau pays du PNUD au sujet de la localisation des objectifs de développement durable et de la contribution que pourrait apporter le chapitre.",
            ),
        },
    ),
    SuggestedTask(
        "country_page",
        {
            Language.ENGLISH: (
                "Keep the country page up to date",
                "Check the chapter's country page in each of its languages and tell "
                "the organisers what has changed.",
            ),
            Language.ARABIC: (
                "تحديث صفحة الدولة باستمرار",
                "مراجعة صفحة الدولة بكل لغة من لغات الفرع وإبلاغ منسّقي الفرع بما تغيّر.",
            ),
            Language.FRENCH: (
                "Tenir la page pays à jour",
                "Vérifier la page pays du chapitre dans chaque langue et signaler aux responsables ce qui a changé.",
            ),
        },
    ),
]

TASK_FIELDS = [*localized("title", "description"), "status", "lead"]


class TaskError(Exception):
    """A domain error whose message is shown to the person as it is."""


@transaction.atomic
def tasks_suggest(*, actor, chapter: Chapter) -> int:
    """Add the suggested tasks the chapter does not have yet; returns how
    many were added. Suggesting again adds nothing."""
    Chapter.objects.select_for_update().get(pk=chapter.pk)
    existing = set(
        InitialTask.objects.filter(chapter=chapter).values_list("key", flat=True)
    )
    start = InitialTask.objects.filter(chapter=chapter).count()
    created = 0
    for index, suggested in enumerate(SUGGESTED_TASKS):
        if suggested.key in existing:
            continue
        task = InitialTask.objects.create(
            chapter=chapter,
            key=suggested.key,
            **suggested.values(),
            order=start + index,
        )
        audit_log(
            actor=actor,
            action="task.create",
            obj=task,
            chapter=chapter,
            after={"key": suggested.key},
        )
        created += 1
    return created


def _value(value):
    return value.pk if hasattr(value, "pk") else value


@transaction.atomic
def task_save(
    *, actor, chapter: Chapter, values: dict, task: InitialTask | None = None
) -> InitialTask:
    values = {key: values[key] for key in TASK_FIELDS if key in values}
    lead = values.get("lead")
    if lead is not None and not member_organisations(chapter).filter(pk=lead.pk):
        raise TaskError(_("The lead must be a member organisation of the chapter."))
    if task is None:
        task = InitialTask(
            chapter=chapter,
            order=InitialTask.objects.filter(chapter=chapter).count(),
        )
        before = {}
    else:
        task = InitialTask.objects.select_for_update().get(pk=task.pk, chapter=chapter)
        before = {key: _value(getattr(task, key)) for key in values}
    for key, value in values.items():
        setattr(task, key, value)
    task.save()
    after = {key: _value(getattr(task, key)) for key in values}
    changed = [key for key in after if before.get(key) != after[key]]
    if changed:
        audit_log(
            actor=actor,
            action="task.update" if before else "task.create",
            obj=task,
            chapter=chapter,
            before={key: before.get(key) for key in changed if before},
            after={key: after[key] for key in changed},
        )
    return task


def member_organisations(chapter: Chapter):
    """Organisations listed as members of the chapter."""
    return Organisation.objects.filter(
        pk__in=Membership.objects.listed().for_chapter(chapter).values("organisation")
    )


@transaction.atomic
def task_volunteer(
    *,
    task: InitialTask,
    organisation: Organisation,
    representative: Representative | None = None,
    actor=None,
    link: ConfirmationLink | None = None,
) -> Volunteering:
    """Offer the organisation for the task. Only member organisations of the
    task's chapter volunteer; offering twice keeps the first offer."""
    if not member_organisations(task.chapter).filter(pk=organisation.pk).exists():
        raise TaskError(
            _("Only member organisations of the chapter can volunteer for its tasks.")
        )
    volunteering, created = Volunteering.objects.get_or_create(
        task=task,
        organisation=organisation,
        defaults={
            "representative": representative,
            "actor": actor if getattr(actor, "is_authenticated", False) else None,
            "link": link,
        },
    )
    if created:
        audit_log(
            actor=actor,
            actor_label=""
            if getattr(actor, "is_authenticated", False) or representative is None
            else f"personal link of {representative.email}",
            action="task.volunteer",
            obj=task,
            chapter=task.chapter,
            after={"organisation": organisation.pk},
        )
    return volunteering


@transaction.atomic
def task_volunteer_cancel(
    *, task: InitialTask, organisation: Organisation, actor
) -> None:
    deleted, _rows = Volunteering.objects.filter(
        task=task, organisation=organisation
    ).delete()
    if deleted:
        if task.lead_id == organisation.pk:
            InitialTask.objects.filter(pk=task.pk).update(lead=None)
        audit_log(
            actor=actor,
            action="task.volunteer_cancel",
            obj=task,
            chapter=task.chapter,
            before={"organisation": organisation.pk},
        )
