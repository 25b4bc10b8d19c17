"""The seed document's proposed agenda as the default agenda of a new
exploratory meeting. The Arabic is the source document's own wording; the
English follows its English rendering. Staff may change the rows afterwards."""

from django.db import migrations

# (order, title_ar, title_en, notes_ar, notes_en, minutes)
SEED_AGENDA = [
    (
        1,
        "الترحيب والمقدمات",
        "Welcome and introductions",
        "",
        "",
        15,
    ),
    (
        2,
        "عرض قضية الحِراك",
        "The movement's case",
        "عرض قضية الحِراك وإيقاظ الشعور بفرص نجاح توسعة نطاق عمله وتطبيقه في المنطقة.",
        "Present the movement's case and awaken a sense of the opportunity to "
        "scale up its work and apply it in the region.",
        20,
    ),
    (
        3,
        "المجالات الممكنة للعمل معاً",
        "Areas of working together",
        "تبادل الأفكار حول المجالات الممكنة للعمل معاً، غالباً يوجد هناك اهتمام "
        "بفئتين رئيسيتين كبيرتين: تبادل أفضل الممارسات والمناصرة، بالإضافة إلى فرص القيادة.",
        "Exchange ideas on possible areas of working together. There is usually "
        "interest in two big categories: sharing best practices, and advocacy; "
        "plus leadership opportunities.",
        25,
    ),
    (
        4,
        "مسارات لتشجيع الحكومة على توسيع نطاق التنمية التي تقودها المجتمعات المحلية",
        "Pathways to encourage the government to scale up",
        "طرح مسارات العصف الذهني لتشجيع الحكومة على توسيع نطاق برنامج التنمية التي "
        "تقودها المجتمعات المحلية: الزيارات البرلمانية للمشاريع الناجحة، التبادل مع "
        "الدول الأخرى، والأبطال داخل الوزارات.",
        "Brainstorm pathways to encourage the government to scale up "
        "community-led development: parliamentary visits to successful projects, "
        "exchanges with other countries, and champions inside ministries.",
        25,
    ),
    (
        5,
        "استشارات حول توطين أهداف التنمية المستدامة مع الحكومة",
        "Consultations on localising the SDGs with the government",
        "مناقشة إمكانية إجراء استشارات تخص \"التنمية المحلية لأهداف التنمية المستدامة\" "
        "مع الحكومة والتي قد يعقدها برنامج الأمم المتحدة الإنمائي (UNDP).",
        "Discuss the possibility of consultations with the government on "
        "\"localising the SDGs\", which UNDP might convene.",
        20,
    ),
    (
        6,
        "أسئلة وأجوبة حول توقعات الأعضاء",
        "Questions and answers on members' expectations",
        "تُبقي معظم الفروع متطلباتها منخفضة مع التأكيد على أهمية فرص القيادة.",
        "Most chapters keep their requirements low, while stressing the "
        "importance of leadership opportunities.",
        15,
    ),
    (
        7,
        "التأكد من المنظمات الأعضاء ومن المتطوعين للمهام الأولية",
        "Confirmation of member organisations and of volunteers for initial tasks",
        "التأكد من المنظمات التي يتم إدراجها ليكونوا ضمن المنظمات الأعضاء (والمدرجين في "
        "صفحة الدول)، حيث يحتاج الممثلون إلى التحقق من الأشخاص أولاً، وكذلك التحقق من "
        "الذين يرغبون في القيام بمهام أولية مختلفة.",
        "Confirm which organisations will be included as member organisations "
        "(and listed on the country page), since representatives need to check "
        "with their people first; and confirm who wishes to take on the various "
        "initial tasks.",
        15,
    ),
]


def seed_default_agenda(apps, schema_editor):
    item = apps.get_model("meetings", "DefaultAgendaItem")
    if item.objects.exists():
        return
    for order, title_ar, title_en, notes_ar, notes_en, minutes in SEED_AGENDA:
        item.objects.create(
            order=order,
            title=title_ar,
            title_ar=title_ar,
            title_en=title_en,
            notes=notes_ar,
            notes_ar=notes_ar,
            notes_en=notes_en,
            duration_minutes=minutes,
        )


class Migration(migrations.Migration):
    dependencies = [("meetings", "0001_initial")]

    operations = [
        migrations.RunPython(seed_default_agenda, migrations.RunPython.noop),
    ]
