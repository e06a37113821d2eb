"""Read-only serializers of the catalog REST API."""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import cast

from django.db.models.manager import BaseManager
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .links import absolute_link_maker
from .models import Catalog, Cause, ErrorCode, ErrorFamily, HttpStatus


class HttpStatusSerializer(serializers.ModelSerializer):
    class Meta:
        model = HttpStatus
        fields = ["code", "reason", "description"]


class CauseSerializer(serializers.ModelSerializer):
    class Meta:
        model = Cause
        fields = ["text", "remedy"]


class FamilyRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = ErrorFamily
        fields = ["key", "prefix", "name"]


class StatusRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = HttpStatus
        fields = ["code", "reason"]


def _fields_of(row, ref_serializer) -> dict:
    # What ``ref_serializer`` shows of ``row``: its fields are plain columns,
    # read here without building a serializer per row (the schema names it).
    return {name: getattr(row, name) for name in ref_serializer.Meta.fields}


@dataclass(frozen=True)
class ListedRows:
    """What a list of codes shows beyond each code's own row, one query per
    kind for the whole list: each code's causes (values, not model
    instances), and the codes replacing them that the requester may see
    (no query when none is replaced)."""

    causes: dict[int, list[dict[str, str]]]
    replacements: dict[int, str]

    @classmethod
    def read(cls, codes: list[ErrorCode], user) -> "ListedRows":
        replaced = {code.replaced_by_id for code in codes if code.replaced_by_id is not None}
        replacements = (
            dict(ErrorCode.objects.filter(pk__in=replaced).visible_to(user).values_list("pk", "code"))
            if replaced
            else {}
        )
        return cls(Cause.objects.by_code(codes), replacements)


class ErrorCodeListSerializer(serializers.ListSerializer):
    """Reads what every code of the list shows beyond its row at once (``ListedRows``)."""

    def to_representation(self, data):
        codes = list(data.all() if isinstance(data, BaseManager) else data)
        child = cast(ErrorCodeSerializer, self.child)
        child.listed = ListedRows.read(codes, child.requester)
        return super().to_representation(codes)


class ErrorCodeSerializer(serializers.ModelSerializer):
    """A code with everything a client maps: status, family, causes, lifecycle, docs link."""

    # Serializes rows of ErrorCode.objects.published(user): the nested objects
    # are built from the joined status and family, causes and replacements
    # read for the whole list (ListedRows), so a page of codes costs no
    # nested serializer and no query per code (the schema still names the
    # nested components). The catalog comes from the context ("catalog"), as
    # every code of a list shares it.

    status = serializers.SerializerMethodField()
    family = serializers.SerializerMethodField()
    replaced_by = serializers.SerializerMethodField()
    causes = serializers.SerializerMethodField()
    docs_uri = serializers.SerializerMethodField()

    class Meta:
        model = ErrorCode
        list_serializer_class = ErrorCodeListSerializer
        fields = [
            "code",
            "numeric_code",
            "title",
            "status",
            "family",
            "description",
            "default_detail",
            "retryable",
            "retry_after",
            "lifecycle",
            "replaced_by",
            "public",
            "causes",
            "docs_uri",
            "created",
            "updated",
        ]

    #: What the list being serialized reads beyond its rows (set by the list).
    listed = ListedRows(causes={}, replacements={})

    @property
    def requester(self):
        request = self.context.get("request")
        return getattr(request, "user", None)

    def to_representation(self, instance):
        if not isinstance(self.parent, ErrorCodeListSerializer):  # one code: read what it shows beyond its row
            self.listed = ListedRows.read([instance], self.requester)
        return super().to_representation(instance)

    @extend_schema_field(StatusRefSerializer)
    def get_status(self, obj) -> dict:
        return _fields_of(obj.status, StatusRefSerializer)

    @extend_schema_field(FamilyRefSerializer)
    def get_family(self, obj) -> dict:
        return _fields_of(obj.family, FamilyRefSerializer)

    def get_replaced_by(self, obj) -> str | None:
        return self.listed.replacements.get(obj.replaced_by_id)

    @extend_schema_field(CauseSerializer(many=True))
    def get_causes(self, obj) -> list:
        return self.listed.causes.get(obj.pk, [])

    def get_docs_uri(self, obj) -> str | None:
        catalog = self.context.get("catalog") or obj.catalog
        link = self._docs_links.get(catalog.pk)
        if link is None:  # once per catalog a list shows, not once per code
            link = self._docs_links[catalog.pk] = absolute_link_maker(
                self.context.get("request"), catalog.slug, catalog.docs_base_url
            )
        return link(obj.code)

    @cached_property
    def _docs_links(self) -> dict[int, Callable[[str], str | None]]:
        return {}


class CatalogSerializer(serializers.ModelSerializer):
    class Meta:
        model = Catalog
        fields = ["slug", "name", "description", "format", "docs_base_url", "type_base_url"]


class ErrorFamilySerializer(serializers.ModelSerializer):
    class Meta:
        model = ErrorFamily
        fields = ["key", "prefix", "name", "description", "position"]


class ErrorFamilyDetailSerializer(ErrorFamilySerializer):
    codes = ErrorCodeSerializer(many=True, read_only=True, source="visible_codes")

    class Meta(ErrorFamilySerializer.Meta):
        fields = ErrorFamilySerializer.Meta.fields + ["codes"]
