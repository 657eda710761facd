"""Reference data: the sectors, in English, Chinese and Russian."""

from django.db import migrations

SECTORS = [
    ("economy", "Economy and trade", "经济贸易", "Экономика и торговля"),
    ("healthcare", "Healthcare", "医疗卫生", "Здравоохранение"),
    ("education", "Education", "教育", "Образование"),
    ("culture", "Culture and arts", "文化艺术", "Культура и искусство"),
    ("media", "Media", "媒体", "СМИ"),
    ("science", "Science and technology", "科学技术", "Наука и технологии"),
    ("tourism", "Tourism", "旅游", "Туризм"),
    ("sport", "Sport", "体育", "Спорт"),
    ("youth", "Youth", "青年", "Молодёжь"),
    ("government", "Government", "政府", "Государственное управление"),
]


def add_sectors(apps, schema_editor):
    Sector = apps.get_model("partnerships", "Sector")
    for position, (code, name, name_zh, name_ru) in enumerate(SECTORS, start=1):
        Sector.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "name_zh": name_zh,
                "name_ru": name_ru,
                "position": position,
            },
        )


def remove_sectors(apps, schema_editor):
    Sector = apps.get_model("partnerships", "Sector")
    Sector.objects.filter(code__in=[code for code, *_ in SECTORS]).delete()


class Migration(migrations.Migration):
    dependencies = [("partnerships", "0001_initial")]

    operations = [migrations.RunPython(add_sectors, remove_sectors)]
