"""The action programme as data: its metadata, its printed structure and its targets.

Glossary:
- programme: chương trình hành động
- part: phần (I- QUAN ĐIỂM, II- MỤC TIÊU, III- NHIỆM VỤ, GIẢI PHÁP, IV- TỔ CHỨC THỰC HIỆN)
- group: mục có số (III.3 "Tạo lập môi trường đầu tư ...") — a task group in part III
- bullet: gạch đầu dòng ("- ..."); in part III each bullet is a task (nhiệm vụ)
- sub-item: đoạn con of a bullet (the three regions under III.1, first bullet)
- clause: điều khoản có số without children (IV.1 ... IV.4)
- target: chỉ tiêu (the numbers of II.2)
- region: vùng (the three key economic regions of III.1)
"""

from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.models import BilingualNameMixin, Body

from .text import fold


class ProgrammeManager(models.Manager):
    def get_by_natural_key(self, code: str) -> "Programme":
        return self.get(code=code)


class Programme(models.Model):
    code = models.SlugField(_("code"), max_length=80, unique=True)
    document_type = models.CharField(_("document type"), max_length=100)
    title = models.TextField(_("title"), help_text=_("The title lines as printed."))
    issuer_name = models.CharField(_("issuer as printed"), max_length=255)
    issuing_body = models.ForeignKey(
        Body,
        verbose_name=_("issuing body"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="issued_programmes",
    )
    document_number = models.CharField(_("document number"), max_length=50, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    resolution_number = models.CharField(_("resolution number"), max_length=50)
    resolution_date = models.DateField(_("resolution date"))
    resolution_issuer = models.CharField(_("resolution issuer"), max_length=255)
    horizon_year = models.PositiveSmallIntegerField(_("horizon year"), null=True, blank=True)
    vision_year = models.PositiveSmallIntegerField(_("vision year"), null=True, blank=True)
    preamble = models.TextField(_("preamble"), blank=True)
    signing_authority = models.CharField(_("signing authority"), max_length=150, blank=True)
    signer_title = models.CharField(_("signer's title"), max_length=150, blank=True)
    signer_name = models.CharField(_("signer's name"), max_length=150, blank=True)
    signature_note = models.CharField(_("signature note"), max_length=50, blank=True)
    history = HistoricalRecords()

    objects = ProgrammeManager()

    class Meta:
        verbose_name = _("action programme")
        verbose_name_plural = _("action programmes")
        ordering = ["-resolution_date", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(vision_year__isnull=True)
                | Q(horizon_year__isnull=True)
                | Q(vision_year__gte=F("horizon_year")),
                name="programme_vision_after_horizon",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document_type} {self.title.splitlines()[0] if self.title else ''}".strip()

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    @property
    def title_lines(self) -> list[str]:
        return self.title.splitlines()

    @property
    def short_title(self) -> str:
        return f"{self.document_type.capitalize()} thực hiện Nghị quyết {self.resolution_number}"


class RecipientManager(models.Manager):
    def get_by_natural_key(self, programme_code: str, position: int) -> "Recipient":
        return self.get(programme__code=programme_code, position=position)


class Recipient(models.Model):
    """A line of the document's "Nơi nhận" list."""

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="recipients", verbose_name=_("programme")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    text = models.CharField(_("text"), max_length=255)
    history = HistoricalRecords()

    objects = RecipientManager()

    class Meta:
        verbose_name = _("recipient")
        verbose_name_plural = _("recipients")
        ordering = ["programme", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["programme", "position"], name="recipient_unique_position"
            ),
        ]

    def __str__(self) -> str:
        return self.text

    def natural_key(self) -> tuple[str, int]:
        return (self.programme.code, self.position)

    natural_key.dependencies = ["programme.programme"]


class ItemQuerySet(models.QuerySet):
    def tasks(self) -> "ItemQuerySet":
        """The tracked tasks: bullets and sub-items of the tasks part (III)."""
        return self.filter(section=Item.Section.TASKS, kind__in=Item.TASK_KINDS)


class ItemManager(models.Manager.from_queryset(ItemQuerySet)):
    def get_by_natural_key(self, programme_code: str, key: str) -> "Item":
        return self.get(programme__code=programme_code, key=key)


class ItemKind(models.TextChoices):
    PART = "part", _("part")
    GROUP = "group", _("numbered heading")
    CLAUSE = "clause", _("numbered clause")
    BULLET = "bullet", _("bullet")
    PARAGRAPH = "paragraph", _("paragraph")
    SUBITEM = "subitem", _("sub-item")


class ItemSection(models.TextChoices):
    VIEWPOINTS = "viewpoints", _("Viewpoints")
    OBJECTIVES = "objectives", _("Objectives")
    TASKS = "tasks", _("Tasks and solutions")
    IMPLEMENTATION = "implementation", _("Organisation of implementation")


class Item(models.Model):
    """One printed element of the programme, in document order, with its verbatim text."""

    Kind = ItemKind

    Section = ItemSection

    TASK_KINDS = (ItemKind.BULLET, ItemKind.SUBITEM)

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="items", verbose_name=_("programme")
    )
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
        verbose_name=_("parent"),
    )
    key = models.CharField(
        _("key"),
        max_length=40,
        help_text=_('Stable reference, e.g. "III.3.b2" for the 2nd bullet of III.3.'),
    )
    sequence = models.PositiveIntegerField(_("order in the document"))
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    section = models.CharField(_("section"), max_length=16, choices=Section.choices)
    marker = models.CharField(
        _("printed marker"), max_length=10, blank=True, help_text=_('"III-", "3.", "-" or empty.')
    )
    number = models.CharField(
        _("printed number"), max_length=10, blank=True, help_text=_('"III", "3" or empty.')
    )
    position = models.PositiveSmallIntegerField(_("position among its siblings"))
    text = models.TextField(_("text"))
    # The programme is Vietnamese; a task group's heading also has an English title, from the
    # programme's fixtures (titles-en.json), for the English pages and filters.
    title_en = models.CharField(
        _("English title"),
        max_length=255,
        blank=True,
        help_text=_("The heading in English, shown on the English pages (task groups)."),
    )
    # Folded copy of `text` for diacritic-insensitive search; kept in step by save()
    # and written by the importer into fixtures, since loaddata bypasses save().
    search_text = models.TextField(_("search text"), editable=False)
    source_line = models.PositiveIntegerField(_("line in the source text"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ItemManager()

    class Meta:
        verbose_name = _("programme item")
        verbose_name_plural = _("programme items")
        ordering = ["programme", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "key"], name="item_unique_key"),
            models.UniqueConstraint(fields=["programme", "sequence"], name="item_unique_sequence"),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in ItemKind]), name="item_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(section__in=[s.value for s in ItemSection]), name="item_section_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind="part", parent__isnull=True)
                | (~Q(kind="part") & Q(parent__isnull=False)),
                name="item_only_parts_are_roots",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.citation}: {self.text[:60]}"

    def save(self, *args, **kwargs) -> None:
        self.search_text = fold(self.text)
        super().save(*args, **kwargs)

    def natural_key(self) -> tuple[str, str]:
        return (self.programme.code, self.key)

    natural_key.dependencies = ["programme.programme"]

    @property
    def is_task(self) -> bool:
        return self.section == self.Section.TASKS and self.kind in self.TASK_KINDS

    @property
    def display_text(self) -> str:
        """The item's text, or on the English pages its English title where it has one."""
        if self.title_en and (get_language() or "vi").startswith("en"):
            return self.title_en
        return self.text

    @property
    def citation(self) -> str:
        """How a report cites the item: "III.3, gạch đầu dòng thứ 2"."""
        from .citations import cite

        return cite(self)


class TargetManager(models.Manager):
    def get_by_natural_key(self, programme_code: str, code: str) -> "Target":
        return self.get(programme__code=programme_code, code=code)


class TargetComparator(models.TextChoices):
    ABOUT = "about", _("about")
    ABOVE = "above", _("above")
    AT_LEAST = "at_least", _("at least")
    BELOW = "below", _("below")
    RANGE = "range", _("within the range")


class TargetMeasure(models.TextChoices):
    LEVEL = "level", _("level in the target year")
    AVERAGE_ANNUAL_GROWTH = "average_annual_growth", _("average annual growth")


class TargetValuesFrom(models.TextChoices):
    ENTERED = "entered", _("entered by the responsible body")
    INDUSTRIAL_AREAS = "industrial_areas", _("computed from the industrial zones and clusters")


class Target(BilingualNameMixin, models.Model):
    """A quantitative target of part II, held as numbers, not only as text. Tracked as an
    indicator (chỉ tiêu): its yearly values come from the responsible body and are judged
    against the straight path from the baseline (năm gốc) to the target."""

    Comparator = TargetComparator

    Measure = TargetMeasure

    ValuesFrom = TargetValuesFrom

    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="targets", verbose_name=_("programme")
    )
    item = models.ForeignKey(
        Item,
        on_delete=models.PROTECT,
        related_name="targets",
        verbose_name=_("stated in"),
    )
    code = models.SlugField(_("code"), max_length=80)
    position = models.PositiveSmallIntegerField(_("position"))
    name = models.CharField(_("indicator"), max_length=255)
    name_en = models.CharField(_("indicator (English)"), max_length=255, blank=True)
    measure = models.CharField(_("measure"), max_length=32, choices=Measure.choices)
    comparator = models.CharField(_("comparator"), max_length=16, choices=Comparator.choices)
    value = models.DecimalField(_("value"), max_digits=12, decimal_places=3)
    value_max = models.DecimalField(
        _("upper value"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    unit = models.CharField(_("unit"), max_length=30)
    target_year = models.PositiveSmallIntegerField(_("target year"))
    quote = models.CharField(
        _("quoted words"), max_length=255, help_text=_("The words of the item that state it.")
    )
    responsible_body = models.ForeignKey(
        Body,
        verbose_name=_("body responsible for the figures"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicator_targets",
    )
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"), null=True, blank=True)
    baseline_value = models.DecimalField(
        _("baseline value"), max_digits=12, decimal_places=3, null=True, blank=True
    )
    values_from = models.CharField(
        _("yearly values"),
        max_length=20,
        choices=TargetValuesFrom.choices,
        default=TargetValuesFrom.ENTERED,
    )
    history = HistoricalRecords()

    objects = TargetManager()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["programme", "item__sequence", "position"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "code"], name="target_unique_code"),
            models.CheckConstraint(
                condition=(Q(comparator="range") & Q(value_max__gt=F("value")))
                | (~Q(comparator="range") & Q(value_max__isnull=True)),
                name="target_range_has_upper_value",
            ),
            models.CheckConstraint(
                condition=Q(comparator__in=[c.value for c in TargetComparator]),
                name="target_comparator_valid",
            ),
            models.CheckConstraint(
                condition=Q(measure__in=[m.value for m in TargetMeasure]),
                name="target_measure_valid",
            ),
            models.CheckConstraint(
                condition=Q(baseline_year__isnull=True, baseline_value__isnull=True)
                | Q(baseline_year__isnull=False, baseline_value__isnull=False),
                name="target_baseline_year_and_value_together",
            ),
            models.CheckConstraint(
                condition=Q(baseline_year__isnull=True) | Q(baseline_year__lt=F("target_year")),
                name="target_baseline_before_target_year",
            ),
            models.CheckConstraint(
                condition=Q(values_from__in=[v.value for v in TargetValuesFrom]),
                name="target_values_from_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str, str]:
        return (self.programme.code, self.code)

    natural_key.dependencies = ["programme.programme", "programme.item"]


class RegionManager(models.Manager):
    def get_by_natural_key(self, code: str) -> "Region":
        return self.get(code=code)


class Region(BilingualNameMixin, models.Model):
    """A key economic region of III.1 and the localities it covers (editable data)."""

    code = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=255)
    name_en = models.CharField(_("English name"), max_length=255, blank=True)
    item = models.ForeignKey(
        Item,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="regions",
        verbose_name=_("described in"),
    )
    history = HistoricalRecords()

    objects = RegionManager()

    class Meta:
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    natural_key.dependencies = ["programme.item", "accounts.body"]


class RegionLocalityManager(models.Manager):
    def get_by_natural_key(self, region_code: str, body_code: str) -> "RegionLocality":
        return self.get(region__code=region_code, body__code=body_code)


class RegionLocality(models.Model):
    """A locality, by its district-level Party committee, that a region covers."""

    region = models.ForeignKey(
        Region, on_delete=models.CASCADE, related_name="localities", verbose_name=_("region")
    )
    body = models.ForeignKey(
        Body, on_delete=models.PROTECT, related_name="regions", verbose_name=_("locality")
    )
    history = HistoricalRecords()

    objects = RegionLocalityManager()

    class Meta:
        verbose_name = _("region locality")
        verbose_name_plural = _("region localities")
        constraints = [
            models.UniqueConstraint(fields=["region", "body"], name="region_locality_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.region} — {self.body}"

    def natural_key(self) -> tuple[str, str]:
        return (self.region.code, self.body.code)

    natural_key.dependencies = ["programme.region", "accounts.body"]
