from rest_framework import serializers

from .models import Item

# Bounded so a huge number is a 400, not an overflow in the database
# (PostgreSQL's integer column stops at 2**31 - 1, SQLite's at 2**63 - 1).
MAX_QUANTITY = 1_000_000


class ItemSerializer(serializers.ModelSerializer):
    quantity = serializers.IntegerField(min_value=1, max_value=MAX_QUANTITY)
    environment = serializers.ChoiceField(choices=["staging", "production"])
    tags = serializers.ListField(child=serializers.CharField(max_length=50), required=False)

    class Meta:
        model = Item
        fields = ["id", "name", "quantity", "environment", "tags", "created"]
        read_only_fields = ["id", "created"]
