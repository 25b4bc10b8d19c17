"""What a write changed, for its audit entry: a snapshot of fields and the
before/after of the fields that differ."""


def fields_snapshot(obj, fields) -> dict:
    return {field: getattr(obj, field) for field in fields}


def fields_changed(before: dict, after: dict) -> tuple[dict, dict]:
    changed = [key for key in after if before.get(key) != after[key]]
    return (
        {key: before.get(key) for key in changed},
        {key: after[key] for key in changed},
    )
