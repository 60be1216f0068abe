"""Text message gateways for the SMS channel (`aspa/sms/`): one module per gateway, each a
registered `aspa.sms.gateway.SmsBackend`, chosen by ASPA_SMS_BACKEND.

console.py logs and keeps what it would send (the demo, the tests); twilio.py speaks Twilio's
Programmable Messaging REST API, and api.py takes its delivery reports (docs/sms.md)."""
