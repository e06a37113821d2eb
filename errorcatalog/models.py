"""The catalog: what errors an API can return, edited in the admin.

Nothing on the error path reads these models directly: ``snapshot`` turns them
into plain immutable data once per change.
"""

from collections.abc import Iterator
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import connections, models
from django.db.models import Case, Exists, F, OuterRef, Q, When
from django.db.models.sql.constants import MULTI
from django.utils.translation import gettext_lazy as _

from .exception_classes import ExceptionClassError, load_exception_class
from .formats import format_choices, load_format, uses_numeric_codes
from .types import GENERIC_SLUG

CODE_CHARACTERS = r"^[A-Za-z0-9._-]+$"
validate_code = RegexValidator(CODE_CHARACTERS, _("Use only letters, digits, '-', '_' and '.'."))


class NaturalKeyQuerySet(models.QuerySet):
    """Looks rows up by the fields named in ``natural_key_fields`` (loaddata's
    ``get_by_natural_key``, copied onto the manager by ``as_manager()``)."""

    natural_key_fields: tuple[str, ...] = ()

    def get_by_natural_key(self, *key):
        return self.get(**dict(zip(self.natural_key_fields, key, strict=True)))


def driver_rows(queryset: models.QuerySet, chunk_size: int = 2000) -> Iterator[list[tuple]]:
    """The rows of a ``values_list()`` queryset, lists of ``chunk_size`` at a
    time, as the database driver returns them.

    Read as ``iterator(chunk_size)`` reads them (a server-side cursor where
    the database has one), without the ORM's per-value converters, which cost
    more than the read itself at 100,000 rows. Only for columns every driver
    returns as their Python type (text, integers), and booleans, which SQLite
    returns as 0 and 1: the caller makes them booleans (``bool``).
    """
    compiler = queryset.query.get_compiler(using=queryset.db)
    chunked = not connections[queryset.db].settings_dict.get("DISABLE_SERVER_SIDE_CURSORS")
    return compiler.execute_sql(MULTI, chunked_fetch=chunked, chunk_size=chunk_size)


def can_see_hidden(user) -> bool:
    """Whether ``user`` may see codes with ``public=False`` (the
    ``errorcatalog.view_errorcode`` permission). Everything an anonymous
    reader can fetch follows from this one rule."""
    return bool(user is not None and user.has_perm("errorcatalog.view_errorcode"))


class CatalogFromParent(models.Model):
    """A row whose catalog is always its parent's.

    The catalog is stored anyway so the database itself keeps codes and rules
    unique per catalog; it is never a form field, so it is derived here.
    """

    catalog_parent: str = ""  # name of the foreign key whose catalog this row shares
    _stored_catalog_id: int | None = None

    class Meta:
        abstract = True

    @classmethod
    def from_db(cls, *args, **kwargs):
        # Remember where the row is stored (Django 6.1 adds arguments: pass them on).
        instance = super().from_db(*args, **kwargs)
        instance._stored_catalog_id = instance.__dict__.get("catalog_id")
        return instance

    def derive_catalog(self):
        parent_id = getattr(self, f"{self.catalog_parent}_id")
        if parent_id:
            self.catalog_id = getattr(self, self.catalog_parent).catalog_id

    def moves_to_another_catalog(self):
        # Rows that point at this one store its catalog too (a code's mappings,
        # replacements): a row stays in its catalog, or they would contradict it.
        stored = getattr(self, "_stored_catalog_id", None)
        return stored is not None and stored != self.catalog_id

    def save(self, *args, **kwargs):
        self.derive_catalog()
        if self.moves_to_another_catalog():
            raise ValidationError(_("A catalog row cannot move to another catalog."))
        super().save(*args, **kwargs)
        self._stored_catalog_id = self.catalog_id

    def clean_fields(self, exclude=None):
        self.derive_catalog()
        super().clean_fields(exclude)
        if self.moves_to_another_catalog():
            raise ValidationError(
                {
                    str(self.catalog_parent): _(
                        "This belongs to another catalog: choose one of the same catalog "
                        "(export and import copy rows between catalogs)."
                    )
                }
            )

    def validate_constraints(self, exclude=None):
        # Forms exclude the derived catalog, which would skip every
        # per-catalog constraint and leave it to an IntegrityError.
        super().validate_constraints(set(exclude or ()) - {"catalog"})


class CatalogQuerySet(NaturalKeyQuerySet):
    natural_key_fields = ("slug",)


class Catalog(models.Model):
    """One API product's error contract."""

    slug = models.SlugField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    format = models.CharField(
        max_length=200,
        default="problem",
        choices=format_choices,
        help_text=_(
            "Wire format of this catalog's errors: one of the formats registered "
            "in ERRORCATALOG['FORMATS'] (problem, envelope, flat built in)."
        ),
    )
    docs_base_url = models.URLField(
        blank=True,
        help_text=_(
            "Where this catalog's docs pages live, when they are not served by "
            "this app. A code's link is this URL followed by the code."
        ),
    )
    type_base_url = models.URLField(
        blank=True,
        help_text=_(
            "Base of the problem type URIs of this catalog's errors, when the API "
            "publishes its own (e.g. https://docs.example.com/errors/): a code's "
            "type is this URL followed by the code. The docs link stays this app's page."
        ),
    )

    objects = CatalogQuerySet.as_manager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        if self.slug == GENERIC_SLUG:
            raise ValidationError({"slug": _("%(slug)s is the bundled generic catalog's slug.") % {"slug": self.slug}})
        # The choices say the name is registered; this says its class loads.
        try:
            load_format(self.format)
        except (ImportError, TypeError, ValueError) as exc:
            raise ValidationError({"format": str(exc)}) from exc


class HttpStatusQuerySet(NaturalKeyQuerySet):
    natural_key_fields = ("code",)


class HttpStatus(models.Model):
    """An HTTP status, shared by every catalog (shipped by a data migration)."""

    code = models.PositiveSmallIntegerField(unique=True, validators=[MinValueValidator(100), MaxValueValidator(599)])
    reason = models.CharField(max_length=100)
    description = models.TextField(blank=True)

    objects = HttpStatusQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("HTTP status")
        verbose_name_plural = _("HTTP statuses")
        constraints = [
            models.CheckConstraint(
                condition=Q(code__gte=100, code__lte=599),
                name="errorcatalog_status_code_range",
                violation_error_message=_("An HTTP status is between 100 and 599."),
            )
        ]

    def __str__(self):
        return f"{self.code} {self.reason}"

    def natural_key(self):
        return (self.code,)


class ErrorFamilyQuerySet(NaturalKeyQuerySet):
    natural_key_fields = ("catalog__slug", "key")

    def visible_to(self, user):
        """Families ``user`` may see: a family whose codes are all hidden is
        hidden too (its name would say that hidden codes exist)."""
        if can_see_hidden(user):
            return self
        codes = ErrorCode.objects.filter(family=OuterRef("pk"))
        return self.filter(Exists(codes.filter(public=True)) | ~Exists(codes))


class ErrorFamily(models.Model):
    """A group of codes in a catalog, usually sharing a prefix (``UZ-AUTH``)."""

    _stored_catalog_id: int | None = None

    catalog = models.ForeignKey(Catalog, on_delete=models.CASCADE, related_name="families")
    key = models.SlugField(max_length=64)
    prefix = models.CharField(
        max_length=64,
        blank=True,
        validators=[validate_code],
        help_text=_("When set, every code of the family must start with it."),
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0, help_text=_("Display order."))

    objects = ErrorFamilyQuerySet.as_manager()

    class Meta:
        ordering = ["catalog", "position", "key"]
        verbose_name = _("error family")
        verbose_name_plural = _("error families")
        constraints = [
            models.UniqueConstraint(
                fields=["catalog", "key"],
                name="errorcatalog_family_key_unique",
                violation_error_message=_("This catalog already has a family with this key."),
            )
        ]

    def __str__(self):
        return f"{self.catalog.slug}: {self.name}"

    def natural_key(self):
        return self.catalog.natural_key() + (self.key,)

    natural_key.dependencies = ["errorcatalog.catalog"]  # type: ignore[attr-defined]  # Django reads it off the method

    @classmethod
    def from_db(cls, *args, **kwargs):
        # Remember where the row is stored (Django 6.1 adds arguments: pass them on).
        instance = super().from_db(*args, **kwargs)
        instance._stored_catalog_id = instance.__dict__.get("catalog_id")
        return instance

    def save(self, *args, **kwargs):
        # Code paths that skip validation must not split a family from its codes either.
        if self.moves_codes_to_another_catalog():
            raise ValidationError(_("A family with codes cannot move to another catalog."))
        super().save(*args, **kwargs)
        self._stored_catalog_id = self.catalog_id

    def moves_codes_to_another_catalog(self):
        """Whether saving would put this family, with codes, in another catalog.

        Codes store their catalog (it keeps them unique per catalog), so a
        family with codes stays where it is: move the codes first, or export
        and import the family into the other catalog.
        """
        stored = getattr(self, "_stored_catalog_id", None)
        return stored is not None and stored != self.catalog_id and self.codes.exists()

    def clean(self):
        if self.moves_codes_to_another_catalog():
            raise ValidationError(
                {
                    "catalog": _(
                        "This family has codes: it cannot move to another catalog. Move or delete its codes first."
                    )
                }
            )
        if self.prefix and self.pk:
            strays = list(self.codes.exclude(code__startswith=self.prefix).values_list("code", flat=True)[:5])
            if strays:
                raise ValidationError(
                    {
                        "prefix": _("Codes of this family do not start with %(prefix)s: %(codes)s.")
                        % {"prefix": self.prefix, "codes": ", ".join(strays)}
                    }
                )


class Lifecycle(models.TextChoices):
    ACTIVE = "active", _("Active")
    DEPRECATED = "deprecated", _("Deprecated")
    REMOVED = "removed", _("Removed")


class ErrorCodeQuerySet(NaturalKeyQuerySet):
    natural_key_fields = ("catalog__slug", "code")

    def visible_to(self, user):
        """Codes ``user`` may see: public ones, and all with the view permission."""
        return self if can_see_hidden(user) else self.filter(public=True)

    #: What ``search()`` looks in, as DRF ``SearchFilter``'s ``search_fields``.
    SEARCH_FIELDS = ("code", "title", "description", "causes__text", "causes__remedy")
    #: Terms past this many are ignored: each adds a subquery.
    MAX_SEARCH_TERMS = 10

    def search(self, text):
        """Codes matching every term of ``text`` in one of ``SEARCH_FIELDS``.

        Terms split as DRF's ``SearchFilter`` splits them (whitespace and
        commas; quoted phrases kept whole); the catalog API's ``search`` and
        the docs pages' search box both use it.
        """
        from rest_framework.filters import search_smart_split

        queryset = self
        for term in search_smart_split(text)[: self.MAX_SEARCH_TERMS]:
            matches = Q()
            for name in self.SEARCH_FIELDS:
                matches |= Q(**{f"{name}__icontains": term})
            # Through causes a code can match twice: filter by id to stay distinct.
            queryset = queryset.filter(pk__in=ErrorCode.objects.filter(matches).values("pk"))
        return queryset

    def with_details(self):
        """With the related rows a code's docs page reads."""
        return self.select_related("catalog", "status", "family", "replaced_by").prefetch_related("causes")

    def with_replacement_code(self, include_hidden: bool):
        """Annotated ``replacement_code``: the code of ``replaced_by``, or
        ``None`` when it is hidden and ``include_hidden`` is false (a public
        code never names a hidden one)."""
        code = F("replaced_by__code")
        return self.annotate(
            replacement_code=code if include_hidden else Case(When(replaced_by__public=True, then=code))
        )

    def published(self, user):
        """Codes ``user`` may see, with the related rows ``ErrorCodeSerializer`` reads.

        Status and family are joined (Django leaves ``select_related`` out of
        a page's count, which reads the listing index alone); causes and
        replacements are read for a whole list by the serializer
        (benchmarks/bench_scale.py measures the page against a plain
        ModelSerializer).
        """
        return self.visible_to(user).select_related("status", "family")


class ErrorCode(CatalogFromParent):
    """One error an API can return: a stable code, title and HTTP status."""

    catalog_parent = "family"

    catalog = models.ForeignKey(
        Catalog,
        on_delete=models.CASCADE,
        related_name="codes",
        editable=False,
        help_text=_("Always the family's catalog; stored so the database keeps codes unique."),
    )
    family = models.ForeignKey(ErrorFamily, on_delete=models.RESTRICT, related_name="codes")
    code = models.CharField(max_length=100, validators=[validate_code])
    numeric_code = models.IntegerField(
        null=True,
        blank=True,
        help_text=_("Integer code for the flat format; required when the catalog uses it."),
    )
    status = models.ForeignKey(
        HttpStatus,
        on_delete=models.PROTECT,
        related_name="error_codes",
        limit_choices_to={"code__gte": 400, "code__lte": 599},
        verbose_name=_("HTTP status"),
        error_messages={"invalid": _("An error code has a 4xx or 5xx status.")},
    )
    title = models.CharField(max_length=200, help_text=_("Short and stable: the same for every occurrence."))
    description = models.TextField(blank=True, help_text=_("Long text for the docs page."))
    default_detail = models.TextField(
        blank=True,
        help_text=_(
            "Detail used when the occurrence gives none. {name} placeholders are "
            "filled from the error's extra values; unknown ones stay visible."
        ),
    )
    retryable = models.BooleanField(default=False)
    retry_after = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("Seconds a client should wait (Retry-After).")
    )
    lifecycle = models.CharField(max_length=16, choices=Lifecycle.choices, default=Lifecycle.ACTIVE)
    replaced_by = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replaces")
    public = models.BooleanField(default=True, help_text=_("Listed in the public catalog API and docs pages."))
    is_status_default = models.BooleanField(
        _("default for its HTTP status"),
        default=False,
        help_text=_("Used for errors of this status that no exception mapping names."),
    )
    is_catch_all = models.BooleanField(
        _("catch-all"),
        default=False,
        help_text=_("Used for unexpected errors. One per catalog, with a 5xx status."),
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    objects = ErrorCodeQuerySet.as_manager()

    class Meta:
        ordering = ["catalog", "code"]
        verbose_name = _("error code")
        verbose_name_plural = _("error codes")
        constraints = [
            models.UniqueConstraint(
                fields=["catalog", "code"],
                name="errorcatalog_code_unique",
                violation_error_message=_("This catalog already has this code."),
            ),
            models.UniqueConstraint(
                fields=["catalog", "numeric_code"],
                name="errorcatalog_numeric_code_unique",
                violation_error_message=_("This catalog already has this numeric code."),
            ),
            models.UniqueConstraint(
                fields=["catalog", "status"],
                condition=Q(is_status_default=True),
                name="errorcatalog_one_default_per_status",
                violation_error_message=_("This catalog already has a default code for this HTTP status."),
            ),
            models.UniqueConstraint(
                fields=["catalog"],
                condition=Q(is_catch_all=True),
                name="errorcatalog_one_catch_all",
                violation_error_message=_("This catalog already has a catch-all code."),
            ),
            models.CheckConstraint(
                condition=~Q(code=""),
                name="errorcatalog_code_not_empty",
                violation_error_message=_("A code cannot be empty."),
            ),
        ]
        indexes = [
            # The public listing (API pages, their counts, the public export)
            # reads a catalog's public codes in code order from the index alone.
            models.Index(fields=["catalog", "public", "code"], name="errorcatalog_code_listing"),
        ]

    def __str__(self):
        return self.code

    def natural_key(self):
        return self.catalog.natural_key() + (self.code,)

    natural_key.dependencies = ["errorcatalog.errorfamily", "errorcatalog.httpstatus"]  # type: ignore[attr-defined]  # Django reads it off the method

    def visible_replacement(self, user):
        """``replaced_by`` when ``user`` may see it, else ``None``: a public
        code never names a hidden one."""
        replacement = self.replaced_by
        if replacement is None or replacement.public or can_see_hidden(user):
            return replacement
        return None

    def clean(self):
        errors: dict[str, Any] = {}
        family = self.family if self.family_id else None
        if family is not None:
            if family.prefix and self.code and not self.code.startswith(family.prefix):
                errors["code"] = _("Codes of the family %(family)s start with %(prefix)s.") % {
                    "family": family.name,
                    "prefix": family.prefix,
                }
            if uses_numeric_codes(family.catalog.format) and self.numeric_code is None:
                errors["numeric_code"] = _(
                    "The catalog %(catalog)s uses the %(format)s format: every code needs a numeric code."
                ) % {"catalog": family.catalog.name, "format": family.catalog.format}
        # The status range itself is checked by the field (limit_choices_to).
        if self.status_id and self.is_catch_all and self.status.code < 500:
            errors["is_catch_all"] = _("The catch-all code stands for server errors: give it a 5xx status.")
        if self.replaced_by_id:
            if self.pk and self.replaced_by_id == self.pk:
                errors["replaced_by"] = _("A code cannot replace itself.")
            elif self.catalog_id and self.replaced_by and self.replaced_by.catalog_id != self.catalog_id:
                errors["replaced_by"] = _("The replacement must be a code of the same catalog.")
        if errors:
            raise ValidationError(errors)


class CauseQuerySet(NaturalKeyQuerySet):
    natural_key_fields = ("error_code__catalog__slug", "error_code__code", "text")

    def by_code(self, codes) -> dict[int, list[dict[str, str]]]:
        """``{code id: [{"text", "remedy"}, ...]}`` for ``codes``, in order, in one query.

        Values, not model instances: what a list of codes shows of its
        causes, at a third of a ``Prefetch``'s cost per cause.
        """
        causes: dict[int, list[dict[str, str]]] = {}
        for code_id, text, remedy in self.filter(error_code__in=codes).values_list("error_code_id", "text", "remedy"):
            causes.setdefault(code_id, []).append({"text": text, "remedy": remedy})
        return causes


class Cause(models.Model):
    """A common cause of an error code, with what to do about it."""

    error_code = models.ForeignKey(ErrorCode, on_delete=models.CASCADE, related_name="causes")
    text = models.TextField()
    remedy = models.TextField(blank=True)
    position = models.PositiveIntegerField(default=0)

    objects = CauseQuerySet.as_manager()

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["error_code", "text"],
                name="errorcatalog_cause_unique",
                violation_error_message=_("This code already lists this cause."),
            )
        ]

    def __str__(self):
        return self.text

    def natural_key(self):
        return self.error_code.natural_key() + (self.text,)

    natural_key.dependencies = ["errorcatalog.errorcode"]  # type: ignore[attr-defined]  # Django reads it off the method


class ExceptionMappingQuerySet(NaturalKeyQuerySet):
    natural_key_fields = ("catalog__slug", "exception_class", "drf_code", "field_code")


class ExceptionMapping(CatalogFromParent):
    """A rule: errors matching these conditions get this code.

    Every condition that is set must match. The handler prefers rules on the
    first field error's code, then the closest exception class (by MRO), then
    rules naming a DRF error code.
    """

    catalog_parent = "error_code"

    catalog = models.ForeignKey(Catalog, on_delete=models.CASCADE, related_name="mappings", editable=False)
    error_code = models.ForeignKey(ErrorCode, on_delete=models.CASCADE, related_name="mappings")
    exception_class = models.CharField(
        max_length=255,
        blank=True,
        help_text=_(
            "Dotted path of an exception class; subclasses match too, e.g. rest_framework.exceptions.NotAuthenticated."
        ),
    )
    drf_code = models.CharField(
        _("DRF error code"),
        max_length=64,
        blank=True,
        help_text=_("The exception's DRF code, e.g. throttled, parse_error, not_authenticated."),
    )
    field_code = models.CharField(
        _("first field error code"),
        max_length=64,
        blank=True,
        help_text=_("DRF code of a validation error's first field error, e.g. required, invalid."),
    )

    objects = ExceptionMappingQuerySet.as_manager()

    class Meta:
        ordering = ["catalog", "error_code__code", "exception_class"]
        constraints = [
            models.UniqueConstraint(
                fields=["catalog", "exception_class", "drf_code", "field_code"],
                name="errorcatalog_mapping_unique",
                violation_error_message=_("This catalog already has a rule with these conditions."),
            ),
            models.CheckConstraint(
                condition=~Q(exception_class="", drf_code="", field_code=""),
                name="errorcatalog_mapping_has_condition",
                violation_error_message=_("Give an exception class, a DRF error code or a field error code."),
            ),
        ]

    def __str__(self):
        return f"{self.describe()} → {self.error_code.code}"

    def natural_key(self):
        return self.catalog.natural_key() + (self.exception_class, self.drf_code, self.field_code)

    natural_key.dependencies = ["errorcatalog.errorcode"]  # type: ignore[attr-defined]  # Django reads it off the method

    def describe(self):
        """The rule's conditions as one readable line."""
        parts = []
        if self.exception_class:
            parts.append(_("exception is %(cls)s") % {"cls": self.exception_class.rsplit(".", 1)[-1]})
        if self.drf_code:
            parts.append(_("DRF code is %(code)s") % {"code": self.drf_code})
        if self.field_code:
            parts.append(_("first field error is %(code)s") % {"code": self.field_code})
        return " · ".join(str(part) for part in parts)

    def clean(self):
        if self.exception_class:
            try:
                load_exception_class(self.exception_class)
            except ExceptionClassError as exc:
                raise ValidationError({"exception_class": str(exc)}) from exc
