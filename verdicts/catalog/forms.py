"""The cost panel's scenario form: a GET form, so every scenario has a shareable URL."""

from django import forms

from verdicts.catalog.pricing import LIMITS, Scenario

LABELS = {
    "seats": "Seats",
    "requests": "Requests a month",
    "input_tokens": "Input tokens a request",
    "output_tokens": "Output tokens a request",
    "cached_percent": "Cached input (%)",
    "images": "Images a request",
}


class ScenarioForm(forms.Form):
    """Every field is optional: a blank one means none (one seat for seats)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, (low, high) in LIMITS.items():
            self.fields[name] = forms.IntegerField(
                label=LABELS[name], required=False, min_value=low, max_value=high
            )

    def scenario(self) -> Scenario:
        """The scenario the valid form describes."""
        values = {name: value for name, value in self.cleaned_data.items() if value is not None}
        return Scenario(**values)
