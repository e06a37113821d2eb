from django.db import models


class Item(models.Model):
    """What the demo API creates: enough fields to fail validation in every way."""

    ENVIRONMENTS = [("staging", "staging"), ("production", "production")]

    catalog = models.SlugField(help_text="The demo mount the item was created under.")
    name = models.CharField(max_length=100)
    quantity = models.PositiveIntegerField()
    environment = models.CharField(max_length=16, choices=ENVIRONMENTS)
    tags = models.JSONField(default=list)
    created = models.DateTimeField(auto_now_add=True)

    def __str__(self):
        return self.name
