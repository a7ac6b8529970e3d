from django.apps import AppConfig


class VersionsConfig(AppConfig):
    name = "versions"
    verbose_name = "Phiên bản dữ liệu"

    def ready(self) -> None:
        from . import data

        data.connect_receivers()
