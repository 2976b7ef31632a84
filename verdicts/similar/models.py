"""One embedding per tool, with the model that made it and a hash of the text it read."""

import numpy as np
from django.db import models

from verdicts.catalog.models import Tool


class ToolEmbedding(models.Model):
    tool = models.OneToOneField(Tool, on_delete=models.CASCADE, related_name="embedding")
    model_name = models.CharField(max_length=120)
    model_version = models.CharField(max_length=40)
    text_sha256 = models.CharField(max_length=64)
    vector = models.BinaryField(help_text="float32 values, little-endian, unit length.")
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    def __str__(self) -> str:
        return f"{self.tool_id}: {self.model_name} {self.model_version}"

    @property
    def array(self) -> np.ndarray:
        return np.frombuffer(bytes(self.vector), dtype="<f4")
