"""Text messages to customers: `send_sms` queues one for the worker, which hands it to the
gateway chosen by ASPA_SMS_BACKEND (`gateway.py`); the gateways themselves live in
`aspa/integrations/sms/` (docs/sms.md).

Its own app below the work layer and above the customer register, because every app that will
send one (reminders, callback notices, status messages) sits above it and it must ask the
register whether the customer wants text messages."""
