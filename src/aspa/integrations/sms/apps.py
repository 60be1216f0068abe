from django.apps import AppConfig


class SmsGatewaysConfig(AppConfig):
    """The text message gateways: registered with the SMS channel once the apps are loaded."""

    name = "aspa.integrations.sms"
    label = "sms_gateways"
    verbose_name = "SMS gateways"

    def ready(self) -> None:
        from aspa.integrations.sms import console, twilio  # noqa: F401  (they register themselves)
