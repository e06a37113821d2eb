"""Read-only serializers of the catalog REST API."""

from rest_framework import serializers

from .links import absolute_url, docs_url
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


class ErrorCodeSerializer(serializers.ModelSerializer):
    """A code with everything a client maps: status, family, causes, lifecycle, docs link."""

    status = StatusRefSerializer(read_only=True)
    family = FamilyRefSerializer(read_only=True)
    replaced_by = serializers.SerializerMethodField()
    causes = CauseSerializer(many=True, read_only=True)
    docs_uri = serializers.SerializerMethodField()

    class Meta:
        model = ErrorCode
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

    def get_replaced_by(self, obj) -> str | None:
        request = self.context.get("request")
        replacement = obj.visible_replacement(getattr(request, "user", None))
        return replacement.code if replacement else None

    def get_docs_uri(self, obj) -> str | None:
        return absolute_url(
            self.context.get("request"), docs_url(obj.catalog.slug, obj.catalog.docs_base_url, obj.code)
        )


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
