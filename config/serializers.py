"""JSON for backups and reference data. Django's JSON serializer rounds times to the
millisecond, which would make a restored row differ from the original; this one keeps every
microsecond (the `exactjson` format of SERIALIZATION_MODULES).

Both directions remember the natural keys they have resolved: Django's own serializer asks the
database for the related row of every foreign key, once per row (an assignment's natural key
alone takes three queries), so a backup cost a query or more per foreign key written."""

import datetime

from django.core.serializers import base
from django.core.serializers import json as django_json
from django.core.serializers.json import DjangoJSONEncoder


class ExactJSONEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime | datetime.time):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        return super().default(o)


class Serializer(django_json.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactJSONEncoder
        self._natural_keys = {}

    def handle_fk_field(self, obj, field):
        related_model = field.remote_field.model
        if not (self.use_natural_foreign_keys and hasattr(related_model, "natural_key")):
            return super().handle_fk_field(obj, field)
        target = getattr(obj, field.attname)
        if target is None:
            self._current[field.name] = None
            return
        key = (related_model, target)
        if key not in self._natural_keys:
            self._natural_keys[key] = getattr(obj, field.name).natural_key()
        self._current[field.name] = self._natural_keys[key]


class Deserializer(django_json.Deserializer):
    def __init__(self, stream_or_string, **options):
        super().__init__(stream_or_string, **options)
        self._fk_values = {}

    def _handle_fk_field_node(self, field, field_value):
        if not isinstance(field_value, list):
            return super()._handle_fk_field_node(field, field_value)
        key = (field.remote_field.model, field.remote_field.field_name, tuple(field_value))
        if key not in self._fk_values:
            value = super()._handle_fk_field_node(field, field_value)
            if value == base.DEFER_FIELD:
                return value
            self._fk_values[key] = value
        return self._fk_values[key]
