"""JSON for backups: Django's JSON serializer rounds times to the millisecond, which would make
a restored row differ from the original; this one keeps every microsecond."""

import datetime

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


Deserializer = django_json.Deserializer
