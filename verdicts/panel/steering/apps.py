from django.apps import AppConfig


class SteeringConfig(AppConfig):
    name = "verdicts.panel.steering"
    label = "steering"
    verbose_name = "Steering flags"

    def ready(self) -> None:
        from verdicts.panel.steering import signals

        signals.steering_signals_connect()
